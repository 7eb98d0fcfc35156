import { sql, type Kysely, type RawBuilder } from 'kysely';
import { FormaError } from '../errors.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import type { Actor } from '../security/actor.ts';
import { recordHistory, type RecordChange } from './audit.ts';
import { UUID, type RecordsContext } from './context.ts';
import { systemFields } from './entity-table.ts';
import { entityRuntime, type EntityRuntime } from './runtime.ts';
import { recordValue } from './values.ts';

/**
 * A record as engine calls return it: its id and system fields, each active field by name,
 * each `lines` field as the list of its rows, and `_labels`: the display name of the record
 * each lookup points to (fetched in the same query, not one query per lookup).
 */
export type RecordView = Record<string, unknown> & { id: string; version: number; _labels: Record<string, string | null> };

/**
 * Reads one record with its lookups' display names and its line items.
 * A record in the recycle bin is found only with `includeDeleted`.
 *
 * @example const quote = await getRecord(ctx, actor, 'quote', id); quote._labels.customer // '上海新时代网络科技有限公司'
 */
export async function getRecord(
  ctx: RecordsContext, actor: Actor, entity: string, id: string, options: { includeDeleted?: boolean } = {},
): Promise<RecordView> {
  void actor; // record scopes and field permissions come with the security module (issue 5)
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const runtime = entityRuntime(model, ctx.workspace, entity);
  const found = UUID.test(id) ? await selectRecord(ctx.db, runtime, id) : undefined;
  if (!found || (found.deleted_at !== null && !options.includeDeleted)) {
    throw new FormaError('record_not_found', { entity, id });
  }
  return found;
}

/** A record's change history (变更记录), oldest first. */
export async function getRecordHistory(ctx: RecordsContext, actor: Actor, entity: string, id: string): Promise<RecordChange[]> {
  await getRecord(ctx, actor, entity, id, { includeDeleted: true });
  return recordHistory(ctx.db, ctx.workspace, entity, id);
}

/** The record with its labels and lines, or undefined. Runs on a transaction too. */
export async function selectRecord(db: Kysely<any>, runtime: EntityRuntime, id: string): Promise<RecordView | undefined> {
  const { table, lookups } = runtime;
  const columns: RawBuilder<unknown>[] = [
    ...systemFields.map((name) => sql`r.${sql.id(name)}`),
    ...[...table.fields.values()].map((f) => sql`r.${sql.id(f.column)} as ${sql.id(`f_${f.name}`)}`),
    ...lookups.map((l, i) => (l.displayColumn ? sql`${sql.id(`l${i}`)}.${sql.id(l.displayColumn)} as ${sql.id(`label_${l.field}`)}` : sql`null as ${sql.id(`label_${l.field}`)}`)),
  ];
  const joins = lookups.map((l, i) =>
    sql`left join ${sql.id(l.target.schema, l.target.table)} as ${sql.id(`l${i}`)} on ${sql.id(`l${i}`)}.id = r.${sql.id(l.column)}`);
  const { rows } = await sql<Record<string, unknown>>`
    select ${sql.join(columns)} from ${sql.id(table.schema, table.table)} as r ${sql.join(joins, sql` `)}
    where r.id = ${id}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const record = toRecord(runtime, row) as RecordView;
  record._labels = Object.fromEntries(lookups.map((l) => [l.field, (row[`label_${l.field}`] as string | null) ?? null]));
  for (const [field, child] of runtime.children) record[field] = await selectLines(db, child, id);
  return record;
}

/** The rows of a `lines` field in their order. */
async function selectLines(db: Kysely<any>, child: EntityRuntime, parentId: string): Promise<Record<string, unknown>[]> {
  const { table } = child;
  const { rows } = await sql<Record<string, unknown>>`
    select r.id, r.position, r.version, ${sql.join([...table.fields.values()].map((f) => sql`r.${sql.id(f.column)} as ${sql.id(`f_${f.name}`)}`))}
    from ${sql.id(table.schema, table.table)} as r where r.parent_id = ${parentId} order by r.position, r.id`.execute(db);
  return rows.map((row) => {
    const line: Record<string, unknown> = { id: row.id };
    for (const f of table.fields.values()) line[f.name] = recordValue(f.type, row[`f_${f.name}`]);
    return line;
  });
}

function toRecord(runtime: EntityRuntime, row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const name of systemFields) {
    const value = row[name];
    record[name] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  for (const f of runtime.table.fields.values()) record[f.name] = recordValue(f.type, row[`f_${f.name}`]);
  return record;
}
