import { metaSchemaValidator } from '../../../engine/metadata/kinds.ts';
import { activeFields, documentKey, entitiesOf, isArchivedEntity, type MetadataDocument } from '../../../engine/metadata/model.ts';
import { previewNumbers } from '../../../engine/numbering/counter.ts';
import { ruleFromDocument, type NumberingRule } from '../../../engine/numbering/rule.ts';
import { calendarDate, DEFAULT_TIME_ZONE } from '../../../engine/records/context.ts';
import { runQuery } from '../../../engine/records/query/index.ts';
import { label } from '../../text/index.ts';
import type { Admin } from '../admin.server.ts';
import type { PreviewFields } from './draft.ts';

/** How many next numbers the designer previews. */
export const PREVIEW_COUNT = 3;

/** An autonumber field drawing from a rule: `报价单 · 报价单号`. */
export interface RuleUsage {
  entity: string;
  field: string;
  label: string;
}

/** The next numbers a rule (or a draft of it) would give today, and which of them records already hold. */
export interface NumberPreview {
  numbers: string[];
  /** Today in the workspace's time zone ('2026-11-22'): the date the numbers are for. */
  today: string;
  /** Previewed numbers that records of the entities using the rule already have: creating one would fail as a duplicate. */
  taken: { number: string; entity: string }[];
}

/** One row of the numbering overview (编号规则). */
export interface RuleSummary {
  name: string;
  label: string;
  pattern: string;
  reset: NumberingRule['reset'];
  usages: RuleUsage[];
  /** The number the next record will get (null when the stored rule cannot give one). */
  next: string | null;
}

/** The numbering rules of the model, by label. */
export function numberingDocuments(admin: Admin): MetadataDocument[] {
  return [...admin.model.values()]
    .filter((doc) => doc.kind === 'numbering')
    .sort((a, b) => label(a.label, admin.locale).localeCompare(label(b.label, admin.locale), admin.locale));
}

/** The active autonumber fields of active entities that draw from the rule `name`. */
export function ruleUsages(admin: Admin, name: string): RuleUsage[] {
  return entitiesOf(admin.model).filter((entity) => !isArchivedEntity(entity)).flatMap((entity) =>
    activeFields(entity)
      .filter(([, field]) => field['x-forma'].type === 'autonumber' && field['x-forma'].numbering === name)
      .map(([field, definition]) => ({
        entity: entity.name, field,
        label: `${label(entity.label, admin.locale)} · ${label(definition['x-forma'].label, admin.locale)}`,
      })));
}

/**
 * Every rule with its pattern, the fields using it and the number the next record gets (read
 * from its counter, none drawn): the overview page.
 */
export async function numberingOverview(admin: Admin): Promise<RuleSummary[]> {
  const now = new Date();
  return Promise.all(numberingDocuments(admin).map(async (doc) => {
    const rule = ruleFromDocument(doc);
    return {
      name: doc.name, label: label(doc.label, admin.locale), pattern: rule.pattern, reset: rule.reset,
      usages: ruleUsages(admin, doc.name),
      next: (await previewNumbers(admin.db, admin.workspace, rule, now, timeZoneOf(admin), 1))[0] ?? null,
    };
  }));
}

/**
 * The next numbers of a rule as the designer has it now — for today and the rule's real
 * counter of today's period, with the engine's own `previewNumbers` (the code that formats real
 * numbers), drawing none — or null while the draft is not a valid rule (the designer shows why
 * at the controls). Also says which of those numbers records already hold, for a changed
 * pattern that would give old numbers again.
 *
 * @example await previewRule(admin, { name: 'quote_number', pattern: 'QT{YYYY}{MM}-{#####}', reset: 'monthly', start: '1', step: '1' })
 *   // { numbers: ['QT202611-00031', 'QT202611-00032', 'QT202611-00033'], today: '2026-11-22', taken: [] }
 */
export async function previewRule(admin: Admin, request: PreviewFields): Promise<NumberPreview | null> {
  const shape = { pattern: request.pattern, reset: request.reset, start: Number(request.start), step: Number(request.step) };
  // The label and a name only complete the document for its meta-schema: they shape no number.
  const valid = /^\d+$/.test(request.start) && /^\d+$/.test(request.step)
    && metaSchemaValidator('numbering')({ kind: 'numbering', name: 'preview', label: { 'zh-CN': '-', en: '-' }, ...shape });
  if (!valid) return null;
  // A rule not named yet (or misnamed) has no counter: its numbers start at `start`.
  const rule = ruleFromDocument({ kind: 'numbering', name: request.name, label: { 'zh-CN': '', en: '' }, ...shape });
  const now = new Date();
  const numbers = await previewNumbers(admin.db, admin.workspace, rule, now, timeZoneOf(admin), PREVIEW_COUNT);
  return { numbers, today: calendarDate(now, timeZoneOf(admin)), taken: await takenNumbers(admin, ruleUsages(admin, request.name), numbers) };
}

/** Which of `numbers` records of the using entities hold, in the list or in the recycle bin (both block a new record: the field is unique). */
async function takenNumbers(admin: Admin, usages: RuleUsage[], numbers: string[]): Promise<NumberPreview['taken']> {
  const found = await Promise.all(usages.flatMap((usage) => (['exclude', 'only'] as const).map(async (deleted) => {
    const { records } = await runQuery(admin.ctx, admin.session.actor, usage.entity, {
      filter: { field: usage.field, op: 'in', value: numbers }, fields: [usage.field], page: { size: numbers.length }, deleted,
    });
    const entity = admin.model.get(documentKey({ kind: 'entity', name: usage.entity }));
    return records.map((record) => ({ number: String(record[usage.field]), entity: label(entity?.label, admin.locale) }));
  })));
  return found.flat().sort((a, b) => numbers.indexOf(a.number) - numbers.indexOf(b.number));
}

function timeZoneOf(admin: Admin): string {
  return admin.ctx.timeZone ?? DEFAULT_TIME_ZONE;
}
