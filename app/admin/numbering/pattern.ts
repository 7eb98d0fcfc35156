// The numbering designer's view of a pattern (`BJ{YYYY}{MM}-{####}`): the parts an admin picks
// (prefix, date, separator, digits, suffix) and back, and what is wrong with a pattern or a part,
// said at the part. Plain functions for the browser and the tests; the engine's own
// `parsePattern` reads the tokens, so both sides agree on what a pattern means.
import { parsePattern, type PatternToken } from '../../../engine/numbering/rule.ts';

/** The date parts a pattern may carry together, as the designer offers them ('' = no date). */
export const DATE_CHOICES = ['', 'YYYY', 'YYYYMM', 'YYYYMMDD', 'YY', 'YYMM', 'YYMMDD'] as const;

export type DateChoice = (typeof DATE_CHOICES)[number];

/** Shortest and longest sequence (the number of #'s), as the meta-schema allows. */
export const DIGITS = { min: 1, max: 12 } as const;

/** The longest pattern the meta-schema allows. */
export const PATTERN_MAX_LENGTH = 64;

/** A pattern as the designer edits it: `BJ` + `YYYYMM` + `-` + 4 digits + `` = `BJ{YYYY}{MM}-{####}`. */
export interface PatternParts {
  prefix: string;
  date: DateChoice;
  /** Between the date and the sequence (only with a date: without one it is part of the prefix). */
  separator: string;
  /** The zero-padded width of the sequence. */
  digits: number;
  suffix: string;
}

/** The part of the designer a problem is about: a part's input, or the raw pattern. */
export type PatternPlace = 'prefix' | 'separator' | 'digits' | 'suffix' | 'pattern';

/** Something wrong with a pattern, where the admin fixes it (a key of the `anb_` texts, with its parameters). */
export interface PatternProblem {
  place: PatternPlace;
  key: 'anb_problem_literal' | 'anb_problem_digits' | 'anb_problem_no_sequence' | 'anb_problem_many_sequences'
    | 'anb_problem_token' | 'anb_problem_too_long';
  params?: Record<string, string | number>;
}

/**
 * The pattern the parts make.
 *
 * @example patternOfParts({ prefix: 'QT', date: 'YYYYMM', separator: '-', digits: 5, suffix: '' }) // 'QT{YYYY}{MM}-{#####}'
 */
export function patternOfParts(parts: PatternParts): string {
  const date = dateTokens(parts.date).map((part) => `{${part}}`).join('');
  const digits = Number.isInteger(parts.digits) ? Math.min(Math.max(parts.digits, 0), DIGITS.max + 1) : 0;
  return `${parts.prefix}${date}${date ? parts.separator : ''}{${'#'.repeat(digits)}}${parts.suffix}`;
}

/**
 * The parts of a pattern, or undefined when the designer's parts cannot say it (date parts
 * apart or after the sequence, `{MM}` alone, a malformed pattern): then the admin edits the raw
 * pattern.
 *
 * @example partsOfPattern('KH{YYYY}-{#####}') // { prefix: 'KH', date: 'YYYY', separator: '-', digits: 5, suffix: '' }
 */
export function partsOfPattern(pattern: string): PatternParts | undefined {
  let tokens: PatternToken[];
  try {
    tokens = parsePattern(pattern);
  } catch {
    return undefined;
  }
  let i = 0;
  const text = () => (tokens[i]?.kind === 'text' ? (tokens[i++] as { text: string }).text : '');
  const prefix = text();
  let date = '';
  while (tokens[i]?.kind === 'date') date += (tokens[i++] as { part: string }).part;
  const separator = date ? text() : '';
  const sequence = tokens[i++];
  if (sequence?.kind !== 'sequence') return undefined;
  const suffix = text();
  if (i !== tokens.length || !(DATE_CHOICES as readonly string[]).includes(date)) return undefined;
  return { prefix, date: date as DateChoice, separator, digits: sequence.width, suffix };
}

/** What is wrong with the parts, each at its input (the pattern they make is then not checked again). */
export function partProblems(parts: PatternParts): PatternProblem[] {
  const problems: PatternProblem[] = [];
  for (const place of ['prefix', 'separator', 'suffix'] as const) {
    if (/[{}\s]/u.test(parts[place])) problems.push({ place, key: 'anb_problem_literal' });
  }
  if (!Number.isInteger(parts.digits) || parts.digits < DIGITS.min || parts.digits > DIGITS.max) {
    problems.push({ place: 'digits', key: 'anb_problem_digits', params: DIGITS });
  }
  if (!problems.length && patternOfParts(parts).length > PATTERN_MAX_LENGTH) {
    problems.push({ place: 'prefix', key: 'anb_problem_too_long', params: { max: PATTERN_MAX_LENGTH } });
  }
  return problems;
}

/**
 * What is wrong with a raw pattern, in the admin's words rather than the meta-schema's regular
 * expression: no sequence, two sequences, an unknown `{token}`, braces or spaces in the text,
 * too long. Empty when the meta-schema accepts it.
 *
 * @example patternProblems('QT{YYYY}') // [{ place: 'pattern', key: 'anb_problem_no_sequence' }]
 */
export function patternProblems(pattern: string): PatternProblem[] {
  const problems: PatternProblem[] = [];
  const at = (key: PatternProblem['key'], params?: PatternProblem['params']) => problems.push({ place: 'pattern', key, ...(params ? { params } : {}) });
  const tokens = [...pattern.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
  const unknown = tokens.find((token) => !/^(YYYY|YY|MM|DD|#{1,12})$/.test(token));
  const sequences = tokens.filter((token) => /^#+$/.test(token)).length;
  if (unknown !== undefined) at(/^#+$/.test(unknown) ? 'anb_problem_digits' : 'anb_problem_token', /^#+$/.test(unknown) ? DIGITS : { token: `{${unknown}}` });
  if (sequences === 0) at('anb_problem_no_sequence');
  if (sequences > 1) at('anb_problem_many_sequences');
  if (/\s/u.test(pattern) || /[{}]/.test(pattern.replace(/\{[^{}]*\}/g, ''))) at('anb_problem_literal');
  if (pattern.length > PATTERN_MAX_LENGTH) at('anb_problem_too_long', { max: PATTERN_MAX_LENGTH });
  return problems;
}

function dateTokens(choice: DateChoice): string[] {
  return choice.match(/YYYY|YY|MM|DD/g) ?? [];
}
