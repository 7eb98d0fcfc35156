// The numbering designer's draft of one rule: what the admin has typed (numbers still as text,
// so a half-typed value stays on screen), the `numbering` document it makes, and what is wrong
// with it at each control — before anything goes to the server.
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import type { NumberingReset } from '../../../engine/numbering/rule.ts';
import { ruleFromDocument } from '../../../engine/numbering/rule.ts';
import type { TextKey } from '../../text/index.ts';
import { partProblems, partsOfPattern, patternOfParts, patternProblems, type PatternParts, type PatternPlace } from './pattern.ts';

/** The reset periods, in the order the designer offers them. */
export const RESETS: readonly NumberingReset[] = ['never', 'yearly', 'monthly', 'daily'];

/** A numbering rule as the admin edits it (numbers as typed). */
export interface RuleDraft {
  name: string;
  labelZh: string;
  labelEn: string;
  /** The pattern the rule will have: made from `parts`, or typed by the admin. */
  pattern: string;
  /** The parts the designer shows; undefined when the pattern cannot be said in parts (then only the raw pattern is edited). */
  parts: PatternParts | undefined;
  reset: NumberingReset;
  start: string;
  step: string;
  allowManual: boolean;
}

/** A control of the designer a problem is shown at. */
export type RulePlace = PatternPlace | 'date' | 'reset' | 'name' | 'labelZh' | 'labelEn' | 'start' | 'step';

/** A problem of the draft at its control, as a text key and its parameters. */
export interface RuleProblem {
  place: RulePlace;
  key: TextKey;
  params?: Record<string, string | number>;
}

/** A machine name as the meta-schema takes it. */
const NAME = /^[a-z][a-z0-9_]{0,47}$/;

/** What a new rule starts as: `{YYYY}{MM}-{####}`, restarting every month, like the standard CRM's documents. */
const NEW_RULE: PatternParts = { prefix: '', date: 'YYYYMM', separator: '-', digits: 4, suffix: '' };

/** The draft of a stored rule, or of a new one. */
export function draftOfRule(doc: MetadataDocument | undefined): RuleDraft {
  if (!doc) {
    return {
      name: '', labelZh: '', labelEn: '', pattern: patternOfParts(NEW_RULE), parts: NEW_RULE,
      reset: 'monthly', start: '1', step: '1', allowManual: false,
    };
  }
  const rule = ruleFromDocument(doc);
  return {
    name: doc.name, labelZh: doc.label['zh-CN'], labelEn: doc.label.en, pattern: rule.pattern, parts: partsOfPattern(rule.pattern),
    reset: rule.reset, start: String(rule.start), step: String(rule.step), allowManual: rule.allowManual,
  };
}

/** The draft with its pattern made from new parts. */
export function withParts(draft: RuleDraft, parts: PatternParts): RuleDraft {
  return { ...draft, parts, pattern: patternOfParts(parts) };
}

/** The draft with a typed pattern, and its parts again when the designer can show them. */
export function withPattern(draft: RuleDraft, pattern: string): RuleDraft {
  return { ...draft, pattern, parts: partsOfPattern(pattern) };
}

/**
 * The `numbering` document of a draft, keeping what the designer does not edit (the
 * description) from the stored one. Numbers not yet whole stay as typed, so the server's check
 * refuses them too.
 */
export function documentOfDraft(draft: RuleDraft, stored: MetadataDocument | undefined): MetadataDocument {
  const whole = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
  return {
    kind: 'numbering',
    name: draft.name,
    label: { 'zh-CN': draft.labelZh, en: draft.labelEn },
    ...(stored?.description ? { description: stored.description } : {}),
    pattern: draft.pattern,
    reset: draft.reset,
    start: whole(draft.start),
    step: whole(draft.step),
    allowManual: draft.allowManual,
  };
}

/**
 * Everything wrong with a draft, each at its control: the parts (or the raw pattern when it is
 * typed), the numbers, and for a new rule its name and labels.
 *
 * @param taken names of the rules that exist (a new rule may not take one)
 */
export function draftProblems(draft: RuleDraft, isNew: boolean, taken: readonly string[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const fromParts = draft.parts ? partProblems(draft.parts) : [];
  problems.push(...(fromParts.length ? fromParts : patternProblems(draft.pattern)));
  if (!/^\d+$/.test(draft.start)) problems.push({ place: 'start', key: 'anb_problem_number', params: { min: 0 } });
  if (!/^\d+$/.test(draft.step) || Number(draft.step) < 1) problems.push({ place: 'step', key: 'anb_problem_number', params: { min: 1 } });
  if (isNew) {
    if (!NAME.test(draft.name)) problems.push({ place: 'name', key: draft.name ? 'anb_problem_name' : 'anb_problem_required' });
    else if (draft.name === 'new') problems.push({ place: 'name', key: 'anb_name_reserved' });
    else if (taken.includes(draft.name)) problems.push({ place: 'name', key: 'anb_name_taken', params: { name: draft.name } });
  }
  if (!draft.labelZh.trim()) problems.push({ place: 'labelZh', key: 'anb_problem_required' });
  if (!draft.labelEn.trim()) problems.push({ place: 'labelEn', key: 'anb_problem_required' });
  return problems;
}

/** Whether the preview can be asked for: the controls that shape a number have no problem. */
export function previewable(problems: readonly RuleProblem[]): boolean {
  return !problems.some((p) => p.place !== 'labelZh' && p.place !== 'labelEn' && p.place !== 'name');
}

/** What shapes a preview: the fields of a rule that shape its numbers (as typed), and its name, which picks its counter. */
export interface PreviewFields {
  name: string;
  pattern: string;
  reset: string;
  start: string;
  step: string;
}

/**
 * The preview request of a draft (the address's query of the designer's loader): the fields
 * that shape its numbers, and its name, which picks its counter.
 */
export function previewParams(draft: PreviewFields): string {
  return new URLSearchParams({ name: draft.name, pattern: draft.pattern, reset: draft.reset, start: draft.start, step: draft.step }).toString();
}
