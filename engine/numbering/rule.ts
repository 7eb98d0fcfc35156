import type { MetadataDocument } from '../metadata/model.ts';

/** When a rule's sequence starts again from `start`. */
export type NumberingReset = 'never' | 'yearly' | 'monthly' | 'daily';

/**
 * A `numbering` document as the engine uses it: the fields that shape a number, with the
 * meta-schema's defaults applied, so no caller has to know them.
 */
export interface NumberingRule {
  name: string;
  pattern: string;
  reset: NumberingReset;
  start: number;
  step: number;
  allowManual: boolean;
}

/** A date part of a pattern, always in the workspace's time zone. */
export type DatePart = 'YYYY' | 'YY' | 'MM' | 'DD';

/** One piece of a pattern: literal text, a date part, or the zero-padded sequence. */
export type PatternToken =
  | { kind: 'text'; text: string }
  | { kind: 'date'; part: DatePart }
  | { kind: 'sequence'; width: number };

/**
 * The rule of a `numbering` document that passed its meta-schema, with the defaults the
 * meta-schema declares (reset never, start 1, step 1, no manual numbers).
 *
 * @example ruleFromDocument({ kind: 'numbering', name: 'sales_order', label, pattern: 'SO{YYYY}{MM}-{####}', reset: 'monthly' })
 *   // { name: 'sales_order', pattern: 'SO{YYYY}{MM}-{####}', reset: 'monthly', start: 1, step: 1, allowManual: false }
 */
export function ruleFromDocument(doc: MetadataDocument): NumberingRule {
  return {
    name: doc.name,
    pattern: String(doc.pattern),
    reset: (doc.reset as NumberingReset | undefined) ?? 'never',
    start: (doc.start as number | undefined) ?? 1,
    step: (doc.step as number | undefined) ?? 1,
    allowManual: (doc.allowManual as boolean | undefined) ?? false,
  };
}

const tokenPattern = /\{(YYYY|YY|MM|DD|#{1,12})\}/g;

/**
 * Splits a pattern into literal text, date parts and the one sequence token. Patterns reach the
 * engine only after the meta-schema accepted them, so a malformed one here is a bug, not user
 * input: it throws a plain Error.
 *
 * @example parsePattern('SO{YYYY}-{####}')
 *   // [{ kind: 'text', text: 'SO' }, { kind: 'date', part: 'YYYY' }, { kind: 'text', text: '-' }, { kind: 'sequence', width: 4 }]
 */
export function parsePattern(pattern: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  const literal = (text: string) => {
    if (/[{}]/.test(text)) throw new Error(`numbering pattern ${JSON.stringify(pattern)}: unknown token in ${JSON.stringify(text)}`);
    if (text) tokens.push({ kind: 'text', text });
  };
  let from = 0;
  for (const match of pattern.matchAll(tokenPattern)) {
    literal(pattern.slice(from, match.index));
    const token = match[1]!;
    tokens.push(token.startsWith('#') ? { kind: 'sequence', width: token.length } : { kind: 'date', part: token as DatePart });
    from = match.index + match[0].length;
  }
  literal(pattern.slice(from));
  const sequences = tokens.filter((t) => t.kind === 'sequence').length;
  if (sequences !== 1) throw new Error(`numbering pattern ${JSON.stringify(pattern)}: ${sequences} sequence tokens, expected exactly one`);
  return tokens;
}

/**
 * The number a rule gives the `sequence`-th value at instant `at`, with the date parts as the
 * calendar shows them in `timeZone` (the workspace's, e.g. 'Asia/Shanghai'): an order created at
 * 01:00 Beijing time on 1 January belongs to the new year even though it is still 31 December in
 * UTC. The sequence is padded to the width of the #'s and never cut: 10000 with {####} prints
 * 10000, because a truncated number would repeat an earlier one.
 *
 * @example
 * // salesOrder.pattern is 'SO{YYYY}{MM}-{####}'
 * formatNumber(salesOrder, new Date('2026-11-22T02:00:00Z'), 42, 'Asia/Shanghai') // 'SO202611-0042'
 */
export function formatNumber(rule: NumberingRule, at: Date, sequence: number, timeZone: string): string {
  const date = calendarDate(at, timeZone);
  return parsePattern(rule.pattern)
    .map((token) => {
      if (token.kind === 'text') return token.text;
      if (token.kind === 'sequence') return String(sequence).padStart(token.width, '0');
      return token.part === 'YY' ? date.YYYY.slice(-2) : date[token.part];
    })
    .join('');
}

/**
 * The counter period an instant falls in for a rule: a rule that resets yearly keeps one
 * counter per year, and so on. '' for a rule that never resets.
 *
 * @example
 * // salesOrder resets monthly
 * periodOf(salesOrder, new Date('2026-11-22T02:00:00Z'), 'Asia/Shanghai') // '2026-11'
 */
export function periodOf(rule: NumberingRule, at: Date, timeZone: string): string {
  if (rule.reset === 'never') return '';
  const { YYYY, MM, DD } = calendarDate(at, timeZone);
  if (rule.reset === 'yearly') return YYYY;
  if (rule.reset === 'monthly') return `${YYYY}-${MM}`;
  return `${YYYY}-${MM}-${DD}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Year, month and day of `at` on the wall calendar of `timeZone`, zero-padded. */
function calendarDate(at: Date, timeZone: string): { YYYY: string; MM: string; DD: string } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Gregorian calendar and Latin digits whatever the process locale, so numbers look the same everywhere.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: '2-digit', day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return { YYYY: part('year').padStart(4, '0'), MM: part('month'), DD: part('day') };
}
