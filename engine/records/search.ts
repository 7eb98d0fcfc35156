import { sql, type RawBuilder } from 'kysely';
import { phoneDigits, phoneVariants } from '../db/phone-digits.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { entitiesOf, isArchivedEntity } from '../metadata/model.ts';
import { accessOf, requireRight, type Access } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import type { RecordsContext } from './context.ts';
import type { ColumnField } from './entity-table.ts';
import { likePattern } from './like.ts';
import { selectRecord, visibleFields, type RecordView } from './read.ts';
import { entityRuntime, type EntityRuntime } from './runtime.ts';

/** A record found by a search, with the name to show for it. */
export interface SearchHit {
  id: string;
  label: string | null;
  /**
   * 0–1, for ordering: trigram word similarity of the text to the closest field (a quick-search
   * hit always contains the text; Chinese text inside a longer name scores about 0.5), or 1 for
   * the same phone number.
   */
  score: number;
  /** The fields that matched. */
  matched: string[];
}

/**
 * Quick search over an entity's searchable fields the actor may see, within their record
 * scope: records where any of them contains the text
 * (case-insensitive, Chinese substrings included: '新时代网络' finds '上海新时代网络科技有限公司'),
 * best first — a field starting with the text, then the field closest to the text as a whole. Uses the
 * trigram indexes of the searchable fields; texts of one or two characters still work, by scan.
 *
 * @example await quickSearch(ctx, actor, 'customer', '新时代网络') // [{ id, label: '上海新时代网络科技有限公司', … }]
 */
export async function quickSearch(
  ctx: RecordsContext, actor: Actor, entity: string, text: string, options: { limit?: number } = {},
): Promise<SearchHit[]> {
  const { runtime, access } = await readable(ctx, actor, entity);
  const term = text.trim();
  const fields = searchableFields(runtime, access);
  const scope = access.scope(entity, 'r', 'read');
  if (!term || !fields.length) return [];
  const column = (f: ColumnField) => sql`r.${sql.id(f.column)}`;
  const matches = fields.map((f) => sql`${column(f)} ilike ${likePattern(term, 'contains')}`);
  // Every hit contains the text: similarity orders them (the field closest to the text as a
  // whole — the shorter name containing it — first). The reported score, word similarity, is
  // not a sort key, so PostgreSQL computes it for the returned rows only.
  const score = sql`greatest(${sql.join(fields.map((f) => sql`coalesce(word_similarity(${term}, ${column(f)}), 0)`))})`;
  const closeness = sql`greatest(${sql.join(fields.map((f) => sql`coalesce(similarity(${column(f)}, ${term}), 0)`))})`;
  const starts = sql`(${sql.join(fields.map((f) => sql`coalesce(${column(f)} ilike ${likePattern(term, 'starts_with')}, false)`), sql` or `)})`;
  const { rows } = await sql<{ id: string; label: string | null; score: number } & Record<string, unknown>>`
    select r.id, ${label(runtime, access)} as label, ${score} as score,
      ${sql.join(fields.map((f, i) => sql`coalesce(${matches[i]!}, false) as ${sql.id(`m_${f.name}`)}`))}
    from ${sql.id(runtime.table.schema, runtime.table.table)} as r
    where r.deleted_at is null and (${sql.join(matches, sql` or `)})${scope ? sql` and ${scope}` : sql``}
    order by ${starts} desc, ${closeness} desc, r.id
    limit ${Math.min(options.limit ?? 20, 100)}`.execute(ctx.db);
  return rows.map((r) => ({
    id: r.id, label: r.label, score: Number(r.score),
    matched: fields.filter((f) => r[`m_${f.name}`] === true).map((f) => f.name),
  }));
}

/**
 * Records that may be the one being entered (查找相似客户), so the same company is not entered
 * twice, among those the actor may read: by each searchable text field they see that the new values fill (word similarity: a name typed so
 * far that appears inside an existing name scores high) and by each phone field (the same
 * digits, whatever the punctuation). `except` leaves out the record being edited.
 *
 * @example await similarRecords(ctx, actor, 'customer', { name: '新时代网络', phone: '021 68881234' })
 */
export async function similarRecords(
  ctx: RecordsContext, actor: Actor, entity: string, values: Record<string, unknown>,
  options: { limit?: number; except?: string; threshold?: number } = {},
): Promise<SearchHit[]> {
  const { runtime, access } = await readable(ctx, actor, entity);
  const threshold = options.threshold ?? 0.4;
  const scope = access.scope(entity, 'r', 'read');
  const parts: { field: string; score: RawBuilder<number>; match: RawBuilder<boolean> }[] = [];
  for (const f of searchableFields(runtime, access)) {
    const value = values[f.name];
    if (typeof value !== 'string' || value.trim().length < 2) continue;
    const column = sql`r.${sql.id(f.column)}`;
    // `<%` is the indexable form of word_similarity(value, column) >= the threshold set below.
    parts.push({ field: f.name, score: sql<number>`word_similarity(${value.trim()}, ${column})`, match: sql<boolean>`${value.trim()} <% ${column}` });
  }
  for (const f of phoneFields(runtime, access)) {
    const value = values[f.name];
    const variants = typeof value === 'string' ? phoneVariants(value).filter((v) => v.length >= 5) : [];
    if (!variants.length) continue;
    const match = sql<boolean>`${phoneDigits(sql`r.${sql.id(f.column)}`)} = any(${variants}::text[])`;
    parts.push({ field: f.name, score: sql<number>`case when ${match} then 1 else 0 end`, match });
  }
  if (!parts.length) return [];
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(threshold)}, true)`.execute(trx);
    const { rows } = await sql<{ id: string; label: string | null; score: number } & Record<string, unknown>>`
      select r.id, ${label(runtime, access)} as label, greatest(${sql.join(parts.map((p) => p.score))}) as score,
        ${sql.join(parts.map((p) => sql`coalesce(${p.match}, false) as ${sql.id(`m_${p.field}`)}`))}
      from ${sql.id(runtime.table.schema, runtime.table.table)} as r
      where r.deleted_at is null ${options.except ? sql`and r.id <> ${options.except}::uuid` : sql``}${scope ? sql` and ${scope}` : sql``}
        and (${sql.join(parts.map((p) => p.match), sql` or `)})
      order by score desc, r.id
      limit ${Math.min(options.limit ?? 5, 50)}`.execute(trx);
    return rows.map((r) => ({
      id: r.id, label: r.label, score: Number(r.score),
      matched: parts.filter((p) => r[`m_${p.field}`] === true).map((p) => p.field),
    }));
  });
}

/** A record holding the caller's number, with the field that holds it. */
export interface PhoneMatch {
  entity: string;
  field: string;
  record: RecordView;
}

/**
 * Finds who is calling (来电弹屏): every record the actor may read, of every entity they may
 * read with a phone field they see, holding the number, whatever its punctuation or +86
 * prefix — customers and contacts in the standard CRM. Each comes with its lookups' names (a
 * contact's customer), through the phone indexes.
 *
 * @example await lookupByPhone(ctx, actor, '+86 21 6888 1234') // [{ entity: 'customer', field: 'phone', record }]
 */
export async function lookupByPhone(ctx: RecordsContext, actor: Actor, number: string, options: { limit?: number } = {}): Promise<PhoneMatch[]> {
  const variants = phoneVariants(number).filter((v) => v.length >= 5);
  if (!variants.length) return [];
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  const found: PhoneMatch[] = [];
  for (const entity of entitiesOf(model)) {
    if (isArchivedEntity(entity) || !access.entity(entity.name)?.rights.has('read')) continue;
    const runtime = entityRuntime(model, ctx.workspace, entity.name);
    if (runtime.isLineEntity) continue;
    const scope = access.scope(entity.name, 'r', 'read');
    for (const f of phoneFields(runtime, access)) {
      const { rows } = await sql<{ id: string }>`
        select r.id from ${sql.id(runtime.table.schema, runtime.table.table)} as r
        where r.deleted_at is null and ${phoneDigits(sql`r.${sql.id(f.column)}`)} = any(${variants}::text[])${scope ? sql` and ${scope}` : sql``}
        order by r.updated_at desc limit ${Math.min(options.limit ?? 10, 50)}`.execute(ctx.db);
      for (const { id } of rows) found.push({ entity: entity.name, field: f.name, record: (await selectRecord(ctx.db, runtime, id, access))! });
    }
  }
  return found;
}

/** The entity's runtime and the actor's access, for a search they must be allowed to read (403 otherwise). */
async function readable(ctx: RecordsContext, actor: Actor, entity: string): Promise<{ runtime: EntityRuntime; access: Access }> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const runtime = entityRuntime(model, ctx.workspace, entity);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  await requireRight(ctx.db, ctx.workspace, access, entity, 'read');
  return { runtime, access };
}

/** Searchable fields the actor sees: a hidden field must not find records by its value. */
function searchableFields(runtime: EntityRuntime, access: Access): ColumnField[] {
  return visibleFields(runtime, access).filter((f) => f.definition['x-forma'].searchable === true);
}

function phoneFields(runtime: EntityRuntime, access: Access): ColumnField[] {
  return visibleFields(runtime, access).filter((f) => f.definition['x-forma'].type === 'phone');
}

/** The record's name, unless its field is hidden from the actor. */
function label(runtime: EntityRuntime, access: Access): RawBuilder<unknown> {
  const display = runtime.display;
  return display && !access.entity(runtime.table.entity.name)?.hidden.has(display.name) ? sql`r.${sql.id(display.column)}` : sql`null`;
}
