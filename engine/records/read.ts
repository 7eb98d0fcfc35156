import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { FormaError } from '../errors.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { accessOf, logRefusal, requireRight, withDenial, type Access } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { recordHistory, type RecordChange } from './audit.ts';
import { UUID, type RecordsContext } from './context.ts';
import { systemFields, type ColumnField } from './entity-table.ts';
import { entityRuntime, type EntityRuntime } from './runtime.ts';
import { recordValue } from './values.ts';

/**
 * A record as engine calls return it: its id and system fields, each active field by name,
 * each `lines` field as the list of its rows, and `_labels`: the display name of the record
 * each lookup points to (fetched in the same query, not one query per lookup).
 */
export type RecordView = Record<string, unknown> & { id: string; version: number; _labels: Record<string, string | null> };

/**
 * Reads one record with its lookups' display names and its line items, as the actor may see
 * it: a record outside their scope is `record_not_found` like one that does not exist (the
 * attempt is logged), their hidden fields are left out, and a lookup's name is given only when
 * they may read the record it points to. A record in the recycle bin is found only with
 * `includeDeleted`.
 *
 * @example const quote = await getRecord(ctx, actor, 'quote', id); quote._labels.customer // '上海新时代网络科技有限公司'
 */
export async function getRecord(
  ctx: RecordsContext, actor: Actor, entity: string, id: string, options: { includeDeleted?: boolean } = {},
): Promise<RecordView> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const runtime = entityRuntime(model, ctx.workspace, entity);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  await requireRight(ctx.db, ctx.workspace, access, entity, 'read');
  const found = UUID.test(id) ? await selectRecord(ctx.db, runtime, id, access, access.scope(entity, 'r', 'read')) : undefined;
  if (!found || (found.deleted_at !== null && !options.includeDeleted)) {
    const notFound = new FormaError('record_not_found', { entity, id });
    if (!found && UUID.test(id) && (await recordExists(ctx.db, runtime, id))) {
      await logRefusal(ctx.db, withDenial(notFound, { workspace: ctx.workspace, actor, operation: 'read', entity, recordId: id, reason: 'out_of_scope' }));
    }
    throw notFound;
  }
  return found;
}

/**
 * A record's change history (变更记录), oldest first, for a record the actor may read, without
 * the values of fields hidden from them.
 */
export async function getRecordHistory(ctx: RecordsContext, actor: Actor, entity: string, id: string): Promise<RecordChange[]> {
  await getRecord(ctx, actor, entity, id, { includeDeleted: true });
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  const runtime = entityRuntime(model, ctx.workspace, entity);
  const history = await recordHistory(ctx.db, ctx.workspace, entity, id);
  if (access.admin) return history;
  return history.map((change) => ({ ...change, changes: visibleChanges(runtime, access, change.changes) }));
}

function visibleChanges(runtime: EntityRuntime, access: Access, changes: Record<string, [unknown, unknown]>): Record<string, [unknown, unknown]> {
  const hidden = access.entity(runtime.table.entity.name)?.hidden ?? new Set<string>();
  const visible: Record<string, [unknown, unknown]> = {};
  for (const [field, pair] of Object.entries(changes)) {
    if (hidden.has(field)) continue;
    const child = runtime.children.get(field);
    const childHidden = child && access.entity(child.table.entity.name)?.hidden;
    visible[field] = childHidden?.size
      ? pair.map((rows) => (Array.isArray(rows) ? rows.map((row) => withoutFields(row as Record<string, unknown>, childHidden)) : rows)) as [unknown, unknown]
      : pair;
  }
  return visible;
}

function withoutFields(row: Record<string, unknown>, hidden: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !hidden.has(key)));
}

async function recordExists(db: Kysely<any>, runtime: EntityRuntime, id: string): Promise<boolean> {
  const { rows } = await sql`select 1 from ${sql.id(runtime.table.schema, runtime.table.table)} where id = ${id}`.execute(db);
  return rows.length > 0;
}

/**
 * The record with its labels and lines, as `access` may see it — its hidden fields left out, a
 * lookup's name only for records it may read — or undefined, also when `where` (a record scope
 * on the alias `r`) excludes it. Runs on a transaction too.
 */
export async function selectRecord(
  db: Kysely<any>, runtime: EntityRuntime, id: string, access: Access, where?: Expression<SqlBool>,
): Promise<RecordView | undefined> {
  const { table } = runtime;
  const fields = visibleFields(runtime, access);
  const lookups = runtime.lookups.filter((l) => fields.some((f) => f.name === l.field));
  const columns: RawBuilder<unknown>[] = [
    ...systemFields.map((name) => sql`r.${sql.id(name)}`),
    ...fields.map((f) => sql`r.${sql.id(f.column)} as ${sql.id(`f_${f.name}`)}`),
    ...lookups.map((l, i) => (l.displayColumn ? sql`${sql.id(`l${i}`)}.${sql.id(l.displayColumn)} as ${sql.id(`label_${l.field}`)}` : sql`null as ${sql.id(`label_${l.field}`)}`)),
  ];
  const joins = lookups.map((l, i) => {
    const alias = `l${i}`;
    const scope = access.scope(l.target.entity.name, alias, 'read');
    return sql`left join ${sql.id(l.target.schema, l.target.table)} as ${sql.id(alias)} on ${sql.id(alias)}.id = r.${sql.id(l.column)}${scope ? sql` and ${scope}` : sql``}`;
  });
  const { rows } = await sql<Record<string, unknown>>`
    select ${sql.join(columns)} from ${sql.id(table.schema, table.table)} as r ${sql.join(joins, sql` `)}
    where r.id = ${id}${where ? sql` and ${where}` : sql``}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const record: Record<string, unknown> = {};
  for (const name of systemFields) {
    const value = row[name];
    record[name] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  for (const f of fields) record[f.name] = recordValue(f.type, row[`f_${f.name}`]);
  (record as RecordView)._labels = Object.fromEntries(lookups.map((l) => [l.field, (row[`label_${l.field}`] as string | null) ?? null]));
  const hidden = access.entity(table.entity.name)?.hidden;
  for (const [field, child] of runtime.children) {
    if (!hidden?.has(field)) record[field] = await selectLines(db, child, id, access);
  }
  return record as RecordView;
}

/** The fields of an entity the actor may see, in the entity's order. */
export function visibleFields(runtime: EntityRuntime, access: Access): ColumnField[] {
  const hidden = access.entity(runtime.table.entity.name)?.hidden;
  const fields = [...runtime.table.fields.values()];
  return hidden?.size ? fields.filter((f) => !hidden.has(f.name)) : fields;
}

/** The rows of a `lines` field in their order. */
async function selectLines(db: Kysely<any>, child: EntityRuntime, parentId: string, access: Access): Promise<Record<string, unknown>[]> {
  const { table } = child;
  const fields = visibleFields(child, access);
  const { rows } = await sql<Record<string, unknown>>`
    select r.id, r.position, r.version${sql.join(fields.map((f) => sql`, r.${sql.id(f.column)} as ${sql.id(`f_${f.name}`)}`), sql``)}
    from ${sql.id(table.schema, table.table)} as r where r.parent_id = ${parentId} order by r.position, r.id`.execute(db);
  return rows.map((row) => {
    const line: Record<string, unknown> = { id: row.id };
    for (const f of fields) line[f.name] = recordValue(f.type, row[`f_${f.name}`]);
    return line;
  });
}
