import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { toNumber } from '../../db/database.ts';
import { cachedModel } from '../../metadata/model-cache.ts';
import { accessOf, requireRight } from '../../security/access.ts';
import type { Actor } from '../../security/actor.ts';
import type { RecordsContext } from '../context.ts';
import { entityRuntime, type LookupDisplay } from '../runtime.ts';
import { systemFields } from '../entity-table.ts';
import { recordValue } from '../values.ts';
import { checkQuery, type CheckedFilter, type CheckedQuery } from './check-query.ts';
import { afterCursor, cursorValueSql, idDirection, encodeCursor } from './cursor.ts';
import { conditionSql } from './operators.ts';
import { recordAlias, systemColumnTypes } from './query-columns.ts';
import { countCap, type QueryResult } from './record-query.ts';

/**
 * Finds records of an entity the actor may read: checks the query (untrusted JSON, see
 * `query.schema.json` and `checkQuery`), compiles it to one parameterised statement — names
 * only from the metadata, every value a bound parameter, the actor's record scope in its
 * WHERE clause — and returns one page of records keyed by the fields they may see, the
 * cursor of the next page and, when asked, the total. Bad input throws `query_invalid` with
 * every problem; nothing reaches the database before the whole query passed.
 *
 * @example
 *   const { records, next, total } = await runQuery(ctx, actor, 'customer', {
 *     filter: { and: [{ field: 'level', op: 'in', value: ['A', 'VIP'] }, { field: 'name', op: 'contains', value: '新时代' }] },
 *     sort: [{ field: 'credit', direction: 'desc' }],
 *     page: { size: 20 },
 *     count: true,
 *   });
 *   // next page: runQuery(…, { …same…, page: { size: 20, after: next } })
 */
export async function runQuery(ctx: RecordsContext, actor: Actor, entity: string, query: unknown): Promise<QueryResult> {
  const { db, workspace } = ctx;
  const { model } = await cachedModel(db, workspace);
  const access = await accessOf(db, workspace, actor, model);
  await requireRight(db, workspace, access, entity, 'read');
  const checked = checkQuery(model, workspace, entity, query, access);
  const matching = recordsMatching(db, checked);
  // The names of the records the returned lookups point to, each only where the actor may read it.
  const labels = entityRuntime(model, workspace, entity).lookups
    .filter((l) => checked.fields.some((f) => f.name === l.field))
    .map((l, i) => ({ ...l, alias: `lb${i}`, scope: access.scope(l.target.entity.name, `lb${i}`, 'read') }));
  const [page, total] = await Promise.all([readPage(matching, checked, labels), checked.count ? countRecords(db, matching) : undefined]);
  return { ...page, ...(total ? { total } : {}) };
}

/** A lookup of the returned fields whose target's name comes with each record, joined as `alias`. */
type LabelJoin = LookupDisplay & { alias: string; scope?: Expression<SqlBool> };

/**
 * The records a checked query matches (its recycle-bin choice, record scope and filter, with
 * the lookups it follows joined), as a kysely query over the alias `r` with nothing selected
 * yet: `runQuery` pages through it, batches and reports work on it.
 */
export function recordsMatching(db: Kysely<any>, checked: CheckedQuery): SelectQueryBuilder<any, any, {}> {
  const { table } = checked;
  let query = db.withSchema(table.schema).selectFrom(`${table.table} as ${recordAlias}`);
  for (const join of checked.joins) {
    query = query.leftJoin(`${join.table} as ${join.alias}`, (on) => {
      const joined = on.on(sql<SqlBool>`${sql.id(join.alias, 'id')} = ${sql.id(recordAlias, join.column)}`);
      return join.scope ? joined.on(join.scope) : joined;
    });
  }
  const deletedAt = sql.id(recordAlias, 'deleted_at');
  query = query.where(checked.deleted === 'only' ? sql<SqlBool>`${deletedAt} is not null` : sql<SqlBool>`${deletedAt} is null`);
  if (checked.scope) query = query.where(checked.scope);
  return checked.filter ? query.where(filterSql(checked.filter)) : query;
}

/**
 * A checked filter tree as SQL. `not` is the complement of what its condition matches —
 * `(…) is not true` — so records whose value is empty, for which a comparison is unknown
 * rather than false, are not lost on both sides of a `not`.
 */
export function filterSql(filter: CheckedFilter): Expression<SqlBool> {
  if ('and' in filter) return sql<SqlBool>`(${sql.join(filter.and.map(filterSql), sql` and `)})`;
  if ('or' in filter) return sql<SqlBool>`(${sql.join(filter.or.map(filterSql), sql` or `)})`;
  if ('not' in filter) return sql<SqlBool>`((${filterSql(filter.not)}) is not true)`;
  return conditionSql(filter.column.ref, filter.column.kind, filter.op, filter.value);
}

async function readPage(matching: SelectQueryBuilder<any, any, {}>, checked: CheckedQuery, labels: LabelJoin[]): Promise<Omit<QueryResult, 'total'>> {
  const { sort, page, fields } = checked;
  const id = sql.id(recordAlias, 'id');
  for (const label of labels) {
    matching = matching.leftJoin(`${label.target.table} as ${label.alias}`, (on) => {
      const joined = on.on(sql<SqlBool>`${sql.id(label.alias, 'id')} = ${sql.id(recordAlias, label.column)}`);
      return label.scope ? joined.on(label.scope) : joined;
    });
  }
  let query = matching.select([
    ...systemFields.map((name) => sql.id(recordAlias, name).as(name)),
    ...fields.map((field, i) => sql.id(recordAlias, field.column).as(`c${i}`)),
    ...sort.map((key, i) => cursorValueSql(key.column).as(`k${i}`)),
    ...labels.map((label, i) => (label.displayColumn ? sql.id(label.alias, label.displayColumn) : sql`null`).as(`lbl${i}`)),
  ]);
  if (page.after) query = query.where(afterCursor(sort, page.after, id));
  // PostgreSQL's own order of empty values (they count as largest: last ascending, first
  // descending) and the id in the last key's direction: exactly the order a backward or forward
  // walk of the field's (column, id) index gives, so a page is read from the index, not sorted.
  for (const { column, direction } of sort) {
    query = query.orderBy(column.ref, (ob) => (direction === 'asc' ? ob.asc() : ob.desc()));
  }
  // The id breaks ties, so the order is total and a cursor knows exactly where a page ended.
  query = query.orderBy(id, (ob) => (idDirection(sort) === 'asc' ? ob.asc() : ob.desc())).limit(page.size + 1);
  if (page.number) query = query.offset((page.number - 1) * page.size);

  const rows = (await query.execute()) as Record<string, unknown>[];
  const records = rows.slice(0, page.size).map((row) => {
    const record: Record<string, unknown> = { id: row.id };
    fields.forEach((field, i) => (record[field.name] = recordValue(field.type, row[`c${i}`])));
    for (const name of systemFields) record[name] = recordValue(systemColumnTypes[name], row[name]);
    if (labels.length) record._labels = Object.fromEntries(labels.map((label, i) => [label.field, (row[`lbl${i}`] as string | null) ?? null]));
    return record;
  });
  if (rows.length <= page.size) return { records };
  const last = rows[page.size - 1]!;
  const values = sort.map((_, i) => (last[`k${i}`] ?? null) as string | boolean | null);
  return { records, next: encodeCursor(sort, values, String(last.id)) };
}

/**
 * The number of matching records, counted up to `countCap` + 1 rows at most, so a list over
 * millions of records costs no more than one over ten thousand. Beyond the cap the total is
 * PostgreSQL's own row estimate for the query (`EXPLAIN (FORMAT JSON)`, the same on the
 * embedded database), never less than the cap, and marked inexact.
 */
async function countRecords(db: Kysely<any>, matching: SelectQueryBuilder<any, any, {}>): Promise<{ value: number; exact: boolean }> {
  const rows = matching.select(sql`1`.as('one'));
  const counted = await db
    .selectFrom(rows.limit(countCap + 1).as('capped'))
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  const n = toNumber(counted.n);
  if (n <= countCap) return { value: n, exact: true };
  const explained = await rows.explain('json');
  return { value: Math.max(planRows(explained), countCap), exact: false };
}

function planRows(explained: Record<string, unknown>[]): number {
  const output = explained[0]?.['QUERY PLAN'];
  const plan = typeof output === 'string' ? JSON.parse(output) : output;
  const rows = Number((plan as { Plan?: { 'Plan Rows'?: unknown } }[] | undefined)?.[0]?.Plan?.['Plan Rows']);
  return Number.isFinite(rows) ? Math.round(rows) : 0;
}
