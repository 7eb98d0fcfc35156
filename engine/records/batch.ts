import { isDeepStrictEqual } from 'node:util';
import { sql, type Transaction } from 'kysely';
import { FormaError, problem, type Problem } from '../errors.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { accessOf, logRefusal, permissionDenied, requireRight, withDenial, type Access } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { logEvent } from '../security/system-log.ts';
import { UUID, type RecordsContext } from './context.ts';
import { applyUpdate, refuseForbidden, refuseProblems, uniqueViolation, writableRuntime } from './write.ts';
import type { EntityRuntime } from './runtime.ts';
import { checkQuery, recordsMatching, type CheckedQuery, type FilterTree } from './query/index.ts';
import { recordValue } from './values.ts';

/** What a batch does to each selected record. */
export type BatchAction =
  | { type: 'reassignOwner'; owner: string }
  | { type: 'updateField'; field: string; value: unknown }
  | { type: 'delete' };

/** The records a batch works on: a list of ids, or every record a filter matches (as in a list). */
export type BatchTarget = { ids: string[] } | { filter: FilterTree };

const BATCH_LIMIT = 10_000;

/**
 * Runs one action over many records the actor may change — a list of ids, or all that a filter
 * matches within their record scope (up to 10,000) — in ONE transaction, and says how many
 * changed. Needs the `update` right (`batchDelete` to delete): a listed record the actor cannot
 * read is `record_not_found`, one they may only read is `permission_denied`, and the batch
 * changes nothing. Actions: reassign
 * the owner (批量转移), set a field to a value (validated once, then applied record by record so
 * formulas and history stay exact), or move to the recycle bin. Records already in the bin, or
 * already holding the value, are left alone and not counted. Any failure changes nothing.
 *
 * @example await runBatch(ctx, actor, 'customer', { ids }, { type: 'reassignOwner', owner: userId }) // { changed: 42 }
 */
export async function runBatch(ctx: RecordsContext, actor: Actor, entity: string, target: BatchTarget, action: BatchAction): Promise<{ changed: number }> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const runtime = writableRuntime(model, ctx.workspace, entity);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  await requireRight(ctx.db, ctx.workspace, access, entity, action?.type === 'delete' ? 'batchDelete' : 'update');
  const byFilter = target !== null && typeof target === 'object' && 'filter' in target;
  // A filter is checked like a list's (every problem at its place), then resolved in the batch's
  // own transaction, so the records changed are exactly those it matches then.
  const checked = byFilter ? checkQuery(model, ctx.workspace, entity, { filter: target.filter }, access, 'edit') : undefined;
  let ids = byFilter ? [] : checkTarget(target as { ids: string[] });
  refuseProblems(checkAction(runtime, action));
  await refuseForbidden(ctx, access, runtime, writtenFields(runtime, action), '/action');
  return ctx.db.transaction().execute(async (trx) => {
    if (checked) ids = await matchingIds(trx, checked);
    else await refuseOutOfScope(trx, ctx, runtime, access, ids, action.type === 'delete' ? 'batchDelete' : 'update');
    switch (action.type) {
      case 'reassignOwner':
        return { changed: await setSystemColumn(trx, ctx, runtime, actor, ids, 'owner_id', action.owner) };
      case 'delete':
        return { changed: await setSystemColumn(trx, ctx, runtime, actor, ids, 'deleted_at', null) };
      case 'updateField': {
        const field = runtime.table.fields.get(action.field)!;
        const { rows } = await sql<{ id: string; value: unknown }>`
          select id, ${sql.id(field.column)} as value from ${sql.id(runtime.table.schema, runtime.table.table)}
          where id = any(${ids}::uuid[]) and deleted_at is null order by id for update`.execute(trx);
        const wanted = action.value ?? null;
        const toChange = rows.filter((row) => !isDeepStrictEqual(recordValue(field.type, row.value), wanted));
        for (const { id } of toChange) await applyUpdate(trx, ctx, model, runtime, access, id, { [action.field]: action.value }, undefined);
        await logEvent(trx, { workspace: ctx.workspace, actor, action: 'record.batch', entity, details: { type: action.type, field: action.field, count: toChange.length } });
        return { changed: toChange.length };
      }
    }
  }).catch(uniqueViolation(runtime)).catch((error: unknown) => logRefusal(ctx.db, error));
}

/** The fields an action writes, as a write's input, for the field permission check. */
function writtenFields(runtime: EntityRuntime, action: BatchAction): Record<string, unknown> {
  if (action.type === 'updateField') return { [action.field]: action.value };
  // Reassigning writes the owner column: the owner field, when the entity has one, is what a role restricts.
  const owner = [...runtime.table.fields.values()].find((f) => f.column === 'owner_id');
  return action.type === 'reassignOwner' && owner ? { [owner.name]: action.owner } : {};
}

/**
 * Every listed record must be one the actor may change: the first that is not refuses the whole
 * batch — as not found when they may not even read it, so a batch is no way to probe ids.
 */
async function refuseOutOfScope(trx: Transaction<any>, ctx: RecordsContext, runtime: EntityRuntime, access: Access, ids: string[], operation: 'update' | 'batchDelete') {
  const entity = runtime.table.entity.name;
  const [readable, editable] = (['read', 'edit'] as const).map((purpose) => access.scope(entity, 'r', purpose) ?? sql`true`);
  const { rows } = await sql<{ id: string; readable: boolean; editable: boolean }>`
    select r.id, ${readable} as readable, ${editable} as editable from ${sql.id(runtime.table.schema, runtime.table.table)} as r
    where r.id = any(${ids}::uuid[]) and not (${editable}) order by r.id limit 1`.execute(trx);
  const found = new Set((await sql<{ id: string }>`select id from ${sql.id(runtime.table.schema, runtime.table.table)} where id = any(${ids}::uuid[])`.execute(trx)).rows.map((r) => r.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw new FormaError('record_not_found', { entity, id: missing });
  const row = rows[0];
  if (!row) return;
  if (!row.readable) {
    throw withDenial(new FormaError('record_not_found', { entity, id: row.id }), { workspace: ctx.workspace, actor: access.actor, operation, entity, recordId: row.id, reason: 'out_of_scope' });
  }
  throw permissionDenied(ctx.workspace, access.actor, operation, { entity, recordId: row.id }, access.label(entity));
}

async function matchingIds(trx: Transaction<any>, checked: CheckedQuery): Promise<string[]> {
  const rows = await recordsMatching(trx, checked).select(sql.id('r', 'id').as('id')).limit(BATCH_LIMIT + 1).execute();
  if (rows.length > BATCH_LIMIT) throw new FormaError('batch_too_large', { max: BATCH_LIMIT, count: `${BATCH_LIMIT}+` });
  return rows.map((row) => String((row as { id: string }).id));
}

function checkTarget(target: { ids: string[] }): string[] {
  const ids = Array.isArray(target?.ids) ? target.ids : [];
  const problems: Problem[] = [];
  if (!Array.isArray(target?.ids)) problems.push(problem('schema_violation', '/ids', { zh: '应当是数组', en: 'must be an array of record ids' }));
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || !UUID.test(id)) problems.push(problem('schema_violation', `/ids/${i}`, { zh: '应当是记录编号（UUID）', en: 'must be a record id (UUID)' }));
  });
  if (problems.length) throw new FormaError('batch_invalid', { count: problems.length }, problems);
  if (ids.length > BATCH_LIMIT) throw new FormaError('batch_too_large', { max: BATCH_LIMIT, count: ids.length });
  return [...new Set(ids)];
}

function checkAction(runtime: EntityRuntime, action: BatchAction): Problem[] {
  switch (action?.type) {
    case 'reassignOwner':
      return typeof action.owner === 'string' && UUID.test(action.owner)
        ? []
        : [problem('schema_violation', '/action/owner', { zh: '应当是用户编号（UUID）', en: 'must be a user id (UUID)' })];
    case 'delete':
      return [];
    case 'updateField': {
      if (typeof action.field !== 'string' || runtime.children.has(action.field)) {
        return [problem('field_not_in_entity', '/action/field', { entity: runtime.table.entity.name, field: String(action.field) })];
      }
      return runtime.validator.check({ [action.field]: action.value }, 'update')
        .map((p) => ({ ...p, path: p.path === `/${action.field}` ? '/action/value' : `/action${p.path}` }));
    }
    default:
      return [problem('schema_violation', '/action/type', { zh: '应当是 reassignOwner、updateField 或 delete', en: 'must be reassignOwner, updateField or delete' })];
  }
}

/**
 * Sets a system column of many records in one statement, and writes one history entry per
 * changed record in one more: the before values come from the locked rows. The system log gets
 * one `record.batch` row for the whole batch.
 */
async function setSystemColumn(
  trx: Transaction<any>, ctx: RecordsContext, runtime: EntityRuntime, actor: Actor, ids: string[],
  column: 'owner_id' | 'deleted_at', value: string | null,
): Promise<number> {
  const table = sql.id(runtime.table.schema, runtime.table.table);
  const newValue = column === 'deleted_at' ? sql`now()` : sql`${value}::uuid`;
  const { rows } = await sql<{ id: string }>`
    with locked as (
      select id, ${sql.id(column)} as old from ${table}
      where id = any(${ids}::uuid[]) and deleted_at is null
        ${column === 'owner_id' ? sql`and owner_id is distinct from ${value}::uuid` : sql``}
      order by id for update),
    changed as (
      update ${table} as r set ${sql.id(column)} = ${newValue}, version = r.version + 1, updated_at = now(), updated_by = ${actor.id}
      from locked where r.id = locked.id
      returning r.id, r.version, locked.old, r.${sql.id(column)} as new)
    insert into forma.record_change (workspace, entity, record_id, operation, actor_id, actor_name, record_version, changes)
    select ${ctx.workspace}::text, ${runtime.table.entity.name}::text, id, ${column === 'deleted_at' ? 'delete' : 'update'}::text,
      ${actor.id}::text, ${actor.name}::text, version, jsonb_build_object(${column}::text, jsonb_build_array(to_jsonb(old), to_jsonb(new)))
    from changed
    returning record_id as id`.execute(trx);
  await logEvent(trx, { workspace: ctx.workspace, actor, action: 'record.batch', entity: runtime.table.entity.name, details: column === 'deleted_at' ? { type: 'delete', count: rows.length } : { type: 'reassignOwner', owner: value, count: rows.length } });
  return rows.length;
}
