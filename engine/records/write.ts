import { sql, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { FormaError, problem, type Problem } from '../errors.ts';
import { coerceFormulaResult, evaluateFormula, type FormulaScope } from '../formula/evaluate.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { documentKey, type Model } from '../metadata/model.ts';
import { drawNumber } from '../numbering/counter.ts';
import { ruleFromDocument } from '../numbering/rule.ts';
import { objectName } from '../schema/physical.ts';
import {
  accessOf, forbiddenFields, logRefusal, permissionDenied, requireRight, unrestricted, withDenial, type Access, type Operation, type Right,
} from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { changedFields, recordChange } from './audit.ts';
import { calendarDate, DEFAULT_TIME_ZONE, UUID, type RecordsContext } from './context.ts';
import { selectRecord, type RecordView } from './read.ts';
import { entityRuntime, type EntityRuntime } from './runtime.ts';
import { columnValue } from './values.ts';
import type { ColumnField } from './entity-table.ts';
import { sanitiseRichText } from '../field-types/richtext.ts';

type Values = Record<string, unknown>;
type Lines = Map<string, Values[]>;

/**
 * Creates a record: checks it against the entity's schema (every problem at once), fills in
 * defaults, draws numbers, checks lookups, computes formulas, and writes the record, its line
 * items and its history entry in ONE transaction. Nothing is written when anything fails; a
 * number drawn by a failed create is given back (no gap).
 *
 * @example const quote = await createRecord(ctx, actor, 'quote', { customer: id, lines: [{ product, qty: 20, unit_price: 5000 }] });
 */
export async function createRecord(ctx: RecordsContext, actor: Actor, entity: string, input: unknown): Promise<RecordView> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const { runtime, access } = await writeAccess(ctx, actor, model, entity, 'create', input);
  // Defaults first: a required field with a default need not be sent.
  const prepared = withDefaultsDeep(runtime, input);
  refuseProblems(runtime.validator.check(prepared, 'create'));
  const values = prepared as Values;
  const lines = completeLines(runtime, new Map(), takeLines(runtime, values));
  const now = new Date();
  return ctx.db.transaction().execute(async (trx) => {
    refuseProblems(await missingLookups(trx, runtime, access, values, lines));
    // Drawn as late as possible: the rule's counter row stays locked until this transaction ends.
    await fillNumbers(trx, ctx, model, runtime, values, now);
    computeFormulas(runtime, values, lines, calendarDate(now, ctx.timeZone ?? DEFAULT_TIME_ZONE));
    refuseProblems(runtime.validator.checkRecord({ ...values, ...Object.fromEntries(lines) }));
    const id = uuidv7();
    const owner = actor.kind === 'user' ? actor.id : null;
    await insertRow(trx, runtime, { id, created_by: actor.id, updated_by: actor.id, owner_id: owner }, values);
    await writeLines(trx, runtime, id, new Map(), lines, actor);
    const record = (await selectRecord(trx, runtime, id, unrestricted(actor)))!;
    await recordChange(trx, ctx.workspace, entity, id, 'create', actor, 1, changedFields({}, auditable(runtime, record)));
    return (await selectRecord(trx, runtime, id, access))!;
  }).catch(uniqueViolation(runtime)).catch((error: unknown) => logRefusal(ctx.db, error));
}

/**
 * Changes fields of a record read at `version` (optimistic locking): when someone else saved
 * it meanwhile, refuses with `record_conflict` naming the current version and who made it, and
 * overwrites nothing. A `lines` field given in `patch` replaces the record's rows (rows keep
 * their id when it is sent back). Formulas are computed again; the history gets the differences.
 *
 * @example await updateRecord(ctx, actor, 'customer', id, { phone: '021-6888 1234' }, { version: 3 });
 */
export async function updateRecord(
  ctx: RecordsContext, actor: Actor, entity: string, id: string, patch: unknown, options: { version?: number },
): Promise<RecordView> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const { runtime, access } = await writeAccess(ctx, actor, model, entity, 'update', patch);
  if (typeof options.version !== 'number') throw new FormaError('record_version_required');
  refuseProblems(runtime.validator.check(patch, 'update'));
  return ctx.db.transaction()
    .execute((trx) => applyUpdate(trx, ctx, model, runtime, access, id, patch as Values, options.version))
    .catch(uniqueViolation(runtime))
    .catch((error: unknown) => logRefusal(ctx.db, error));
}

/**
 * The body of an update, inside the caller's transaction, for a patch already checked by the
 * validator and against the actor's field permissions, on a record they may edit. `version`
 * undefined skips the optimistic-locking check (batch updates: the person chose the records
 * and the value, not a version of each).
 */
export async function applyUpdate(
  trx: Transaction<any>, ctx: RecordsContext, model: Model, runtime: EntityRuntime, access: Access, id: string,
  patch: Values, expectedVersion: number | undefined,
): Promise<RecordView> {
  const { actor } = access;
  const entity = runtime.table.entity.name;
  const before = await lockRecord(trx, ctx, runtime, access, id, expectedVersion, 'alive', 'update');
  const changes = { ...patch };
  const previous = new Map([...runtime.children.keys()].map((f) => [f, before[f] as Values[]]));
  const newLines = completeLines(runtime, previous, takeLines(runtime, changes));
  const values: Values = { ...pick(before, [...runtime.table.fields.keys()]), ...changes };
  const lines: Lines = new Map([...previous].map(([field, rows]) => [field, newLines.get(field) ?? rows]));
  refuseProblems(await missingLookups(trx, runtime, access, changes, newLines));
  await fillNumbers(trx, ctx, model, runtime, values, new Date());
  computeFormulas(runtime, values, lines, calendarDate(new Date(), ctx.timeZone ?? DEFAULT_TIME_ZONE));
  refuseProblems(runtime.validator.checkRecord({ ...values, ...Object.fromEntries(lines) }));
  const version = before.version + 1;
  await updateRow(trx, runtime, id, values, { updated_by: actor.id, version });
  await writeLines(trx, runtime, id, previous, newLines, actor);
  const record = (await selectRecord(trx, runtime, id, unrestricted(actor)))!;
  await recordChange(trx, ctx.workspace, entity, id, 'update', actor, version, changedFields(auditable(runtime, before), auditable(runtime, record)));
  return (await selectRecord(trx, runtime, id, access))!;
}

/** Moves a record to the recycle bin (soft delete): hidden from lists, restorable, history kept. Needs the `delete` right. */
export async function deleteRecord(ctx: RecordsContext, actor: Actor, entity: string, id: string, options: { version?: number } = {}): Promise<void> {
  await setDeleted(ctx, actor, entity, id, options.version, true);
}

/** Takes a record back out of the recycle bin: undoing a delete needs the `delete` right too. */
export async function restoreRecord(ctx: RecordsContext, actor: Actor, entity: string, id: string): Promise<RecordView> {
  return setDeleted(ctx, actor, entity, id, undefined, false);
}

/**
 * Deletes a record in the recycle bin for good, with its line items (the explicit purge, for
 * administrators only; a record still referenced by others is refused). Its history stays.
 */
export async function purgeRecord(ctx: RecordsContext, actor: Actor, entity: string, id: string): Promise<void> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const runtime = writableRuntime(model, ctx.workspace, entity);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  if (!access.admin) await logRefusal(ctx.db, permissionDenied(ctx.workspace, access.actor, 'purge', { entity, recordId: id }, access.label(entity)));
  await ctx.db.transaction().execute(async (trx) => {
    const before = await lockRecord(trx, ctx, runtime, access, id, undefined, 'deleted', 'purge');
    await sql`delete from ${sql.id(runtime.table.schema, runtime.table.table)} where id = ${id}`.execute(trx);
    await recordChange(trx, ctx.workspace, entity, id, 'purge', actor, before.version, {});
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code === '23503') throw new FormaError('record_referenced', { entity, id });
    return logRefusal(ctx.db, error);
  });
}

async function setDeleted(
  ctx: RecordsContext, actor: Actor, entity: string, id: string, version: number | undefined, deleted: boolean,
): Promise<RecordView> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const { runtime, access } = await writeAccess(ctx, actor, model, entity, 'delete', {});
  return ctx.db.transaction().execute(async (trx) => {
    const before = await lockRecord(trx, ctx, runtime, access, id, version, deleted ? 'alive' : 'deleted', 'delete');
    const next = before.version + 1;
    await sql`update ${sql.id(runtime.table.schema, runtime.table.table)}
      set deleted_at = ${deleted ? sql`now()` : null}, version = ${next}, updated_at = now(), updated_by = ${actor.id}
      where id = ${id}`.execute(trx);
    const record = (await selectRecord(trx, runtime, id, access))!;
    await recordChange(trx, ctx.workspace, entity, id, deleted ? 'delete' : 'restore', actor, next, { deleted_at: [before.deleted_at, record.deleted_at] });
    return record;
  }).catch((error: unknown) => logRefusal(ctx.db, error));
}

/** Line items are written through their parent only: their rows need the parent's id. */
export function writableRuntime(model: Model, workspace: string, entity: string): EntityRuntime {
  const runtime = entityRuntime(model, workspace, entity);
  if (runtime.isLineEntity) throw new FormaError('line_entity_direct', { entity });
  return runtime;
}

/**
 * The entity's runtime and the actor's access for a write needing `right`: refused (403,
 * logged) without the right, and with `field_forbidden` (403) listing every field of `input`
 * the actor may not write.
 */
async function writeAccess(ctx: RecordsContext, actor: Actor, model: Model, entity: string, right: Right, input: unknown) {
  const runtime = writableRuntime(model, ctx.workspace, entity);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  await requireRight(ctx.db, ctx.workspace, access, entity, right);
  await refuseForbidden(ctx, access, runtime, input);
  return { runtime, access };
}

/** Refuses (and logs) a write naming fields the actor may not write: hidden or read-only for their roles. */
export async function refuseForbidden(ctx: RecordsContext, access: Access, runtime: EntityRuntime, input: unknown, at = ''): Promise<void> {
  const entity = runtime.table.entity.name;
  const children = new Map([...runtime.children].map(([field, child]) => [field, child.table.entity.name]));
  const problems = forbiddenFields(access, entity, input, children, at);
  if (!problems.length) return;
  const error = new FormaError('field_forbidden', { count: problems.length }, problems);
  await logRefusal(ctx.db, withDenial(error, { workspace: ctx.workspace, actor: access.actor, operation: 'write_fields', entity, reason: problems.map((p) => p.path).join(' ') }));
}

/**
 * Locks the record's row for the transaction and checks the actor may change it (in their
 * record scope, or shared with them to edit: a record they cannot even read is
 * `record_not_found`, one they may only read is `permission_denied`, both logged), that it is
 * in the expected state and, when a version is given, still at that version. Concurrent
 * writers queue on the lock: of two updates made from the same version, exactly one wins.
 * Returns the whole record, hidden fields included: what the write and its history work on.
 */
export async function lockRecord(
  trx: Transaction<any>, ctx: RecordsContext, runtime: EntityRuntime, access: Access, id: string,
  version: number | undefined, state: 'alive' | 'deleted', operation: Operation,
): Promise<RecordView> {
  const entity = runtime.table.entity.name;
  const [readable, editable] = (['read', 'edit'] as const).map((purpose) => access.scope(entity, 'r', purpose) ?? sql`true`);
  const locked = UUID.test(id)
    ? await sql<{ readable: boolean; editable: boolean }>`select ${readable} as readable, ${editable} as editable
        from ${sql.id(runtime.table.schema, runtime.table.table)} as r where r.id = ${id} for update of r`.execute(trx)
    : { rows: [] };
  const row = locked.rows[0];
  const notFound = new FormaError('record_not_found', { entity, id });
  if (!row) throw notFound;
  if (!row.readable) throw withDenial(notFound, { workspace: ctx.workspace, actor: access.actor, operation, entity, recordId: id, reason: 'out_of_scope' });
  if (!row.editable) throw permissionDenied(ctx.workspace, access.actor, operation, { entity, recordId: id }, access.label(entity));
  const record = (await selectRecord(trx, runtime, id, unrestricted(access.actor)))!;
  if (state === 'alive' && record.deleted_at !== null) throw new FormaError('record_deleted', { entity, id });
  if (state === 'deleted' && record.deleted_at === null) throw new FormaError('record_not_deleted', { entity, id });
  if (version !== undefined && record.version !== version) {
    const last = await trx.selectFrom('forma.record_change').select(['actor_name', 'at'])
      .where('workspace', '=', ctx.workspace).where('entity', '=', entity).where('record_id', '=', id)
      .orderBy('id', 'desc').limit(1).executeTakeFirst();
    throw new FormaError('record_conflict', {
      expected: version, current: record.version, actor: last?.actor_name ?? '?',
      at: last ? new Date(last.at).toISOString() : '?',
    });
  }
  return record;
}

export function refuseProblems(problems: Problem[]): void {
  if (problems.length) throw new FormaError('record_invalid', { count: problems.length }, problems);
}

/** A new record's input with the defaults of it and its line items filled in; other input as it is. */
function withDefaultsDeep(runtime: EntityRuntime, input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const values = withDefaults(runtime, input as Values);
  for (const [field, child] of runtime.children) {
    const rows = values[field];
    if (Array.isArray(rows)) {
      values[field] = rows.map((row) => (row && typeof row === 'object' && !Array.isArray(row) && !('id' in row) ? withDefaults(child, row as Values) : row));
    }
  }
  return values;
}

/** JSON Schema defaults for the fields a new record leaves out. */
function withDefaults(runtime: EntityRuntime, input: Values): Values {
  const values: Values = { ...input };
  for (const [name, field] of runtime.table.fields) {
    if (!(name in values) && 'default' in field.definition) values[name] = structuredClone(field.definition.default);
  }
  return values;
}

/** Splits the `lines` fields off the values: they are rows of other tables. */
function takeLines(runtime: EntityRuntime, values: Values): Lines {
  const lines: Lines = new Map();
  for (const field of runtime.children.keys()) {
    if (field in values) {
      lines.set(field, ((values[field] as Values[] | null) ?? []).map((row) => ({ ...row })));
      delete values[field];
    }
  }
  return lines;
}

/** Autonumber fields left empty get the next number of their rule, drawn in this transaction. */
async function fillNumbers(trx: Transaction<any>, ctx: RecordsContext, model: Model, runtime: EntityRuntime, values: Values, at: Date) {
  for (const [name, field] of runtime.table.fields) {
    const options = field.definition['x-forma'];
    if (options.type !== 'autonumber' || (values[name] !== undefined && values[name] !== null)) continue;
    const rule = ruleFromDocument(model.get(documentKey({ kind: 'numbering', name: options.numbering! }))!);
    values[name] = await drawNumber(trx, ctx.workspace, rule, at, ctx.timeZone ?? DEFAULT_TIME_ZONE);
  }
}

/**
 * Every lookup value must name a record of its target that is not in the recycle bin and that
 * the actor may read: pointing at a record is no way to learn it exists.
 */
async function missingLookups(trx: Transaction<any>, runtime: EntityRuntime, access: Access, values: Values, lines: Lines): Promise<Problem[]> {
  const problems: Problem[] = [];
  const check = async (rt: EntityRuntime, row: Values, at: string) => {
    for (const lookup of rt.lookups) {
      const id = row[lookup.field];
      if (id === undefined || id === null) continue;
      const scope = access.scope(lookup.target.entity.name, 't', 'read');
      const { rows } = await sql`select 1 from ${sql.id(lookup.target.schema, lookup.target.table)} as t
        where t.id = ${id} and t.deleted_at is null${scope ? sql` and ${scope}` : sql``}`.execute(trx);
      if (!rows.length) problems.push(problem('lookup_target_missing', `${at}/${lookup.field}`, { field: lookup.field, id }));
    }
  };
  await check(runtime, values, '');
  for (const [field, rows] of lines) {
    for (const [i, row] of rows.entries()) await check(runtime.children.get(field)!, row, `/${field}/${i}`);
  }
  return problems;
}

/** Line formulas first (a total sums them), then the record's own, each in dependency order. */
function computeFormulas(runtime: EntityRuntime, values: Values, lines: Lines, today: string): void {
  for (const [field, rows] of lines) {
    const child = runtime.children.get(field)!;
    for (const row of rows) {
      for (const f of child.formulas) row[f.field] = coerceFormulaResult(evaluateFormula(f.tree, scopeOf(row, new Map(), today)), f.resultType, f.scale);
    }
  }
  for (const f of runtime.formulas) values[f.field] = coerceFormulaResult(evaluateFormula(f.tree, scopeOf(values, lines, today)), f.resultType, f.scale);
}

function scopeOf(values: Values, lines: Lines, today: string): FormulaScope {
  return {
    value: (field) => values[field],
    lines: (field) => (lines.get(field) ?? []).map((row) => scopeOf(row, new Map(), today)),
    today,
  };
}

async function insertRow(trx: Transaction<any>, runtime: EntityRuntime, system: Values, values: Values, parent?: { id: string; position: number }) {
  // By column: a field standing for a system column (the owner field) overrides its default.
  const row = new Map<string, unknown>(Object.entries(system));
  if (parent) row.set('parent_id', parent.id).set('position', parent.position);
  for (const [name, field] of runtime.table.fields) {
    if (values[name] !== undefined) row.set(field.column, storedValue(field, values[name]));
  }
  await sql`insert into ${sql.id(runtime.table.schema, runtime.table.table)} (${sql.join([...row.keys()].map((c) => sql.id(c)))})
    values (${sql.join([...row.values()])})`.execute(trx);
}

async function updateRow(trx: Transaction<any>, runtime: EntityRuntime, id: string, values: Values, system: { updated_by: string; version: number; position?: number }) {
  const sets = [...runtime.table.fields].map(([name, field]) => sql`${sql.id(field.column)} = ${storedValue(field, values[name] ?? null)}`);
  if (system.position !== undefined) sets.push(sql`position = ${system.position}`);
  await sql`update ${sql.id(runtime.table.schema, runtime.table.table)}
    set ${sql.join(sets)}, updated_at = now(), updated_by = ${system.updated_by}, version = ${system.version}
    where id = ${id}`.execute(trx);
}

/** A value as its column stores it; rich text sanitised here, where every write passes. */
function storedValue(field: ColumnField, value: unknown): unknown {
  return field.definition['x-forma'].type === 'richtext' && typeof value === 'string' ? sanitiseRichText(value) : columnValue(field.type, value);
}

/**
 * The full rows a `lines` field will hold: a row sent back with its id keeps the values it does
 * not mention (and must belong to this record); a new row gets its defaults. Formulas are then
 * computed on complete rows.
 */
function completeLines(runtime: EntityRuntime, previous: Map<string, Values[]>, lines: Lines): Lines {
  const problems: Problem[] = [];
  const complete: Lines = new Map();
  for (const [field, rows] of lines) {
    const child = runtime.children.get(field)!;
    const existing = new Map((previous.get(field) ?? []).map((row) => [row.id as string, row]));
    complete.set(field, rows.map((row, i) => {
      if (row.id === undefined) return withDefaults(child, row);
      const stored = existing.get(row.id as string);
      if (!stored) problems.push(problem('line_not_found', `/${field}/${i}/id`, { id: row.id }));
      return { ...stored, ...row };
    }));
  }
  refuseProblems(problems);
  return complete;
}

/**
 * Makes the stored rows of each given `lines` field the complete rows computed for it: rows
 * with an id are updated, rows without one inserted, rows left out deleted. Positions follow
 * the order of the list.
 */
async function writeLines(trx: Transaction<any>, runtime: EntityRuntime, parentId: string, previous: Map<string, Values[]>, lines: Lines, actor: Actor) {
  for (const [field, rows] of lines) {
    const child = runtime.children.get(field)!;
    const existing = new Set((previous.get(field) ?? []).map((row) => row.id as string));
    const kept = new Set(rows.map((row) => row.id).filter(Boolean));
    const gone = [...existing.keys()].filter((id) => !kept.has(id));
    if (gone.length) await sql`delete from ${sql.id(child.table.schema, child.table.table)} where parent_id = ${parentId} and id = any(${gone}::uuid[])`.execute(trx);
    for (const [position, row] of rows.entries()) {
      const { id, ...values } = row;
      if (id === undefined) {
        await insertRow(trx, child, { id: uuidv7(), created_by: actor.id, updated_by: actor.id }, values, { id: parentId, position });
      } else {
        await updateRow(trx, child, id as string, values, { updated_by: actor.id, version: 1, position });
      }
    }
  }
}

/** What the history compares: the fields and the line items, not the system columns. */
function auditable(runtime: EntityRuntime, record: Values): Values {
  return pick(record, [...runtime.table.fields.keys(), ...runtime.children.keys()]);
}

function pick(record: Values, keys: string[]): Values {
  return Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]]));
}

/** A unique index refusing a value becomes the field's problem, not a database error. */
export function uniqueViolation(runtime: EntityRuntime) {
  return (error: unknown): never => {
    const e = error as { code?: string; constraint?: string; detail?: string };
    if (e.code === '23505') {
      for (const field of runtime.table.fields.values()) {
        if (objectName(runtime.table.table, field.column, 'key') !== e.constraint) continue;
        const code = field.definition['x-forma'].type === 'autonumber' ? 'number_taken' : 'value_taken';
        // PostgreSQL's detail names the value: 'Key (tax_no)=(91310000) already exists.'
        const value = /\)=\((.*)\) already exists/.exec(e.detail ?? '')?.[1] ?? '';
        const label = field.definition['x-forma'].label;
        throw new FormaError('record_invalid', { count: 1 }, [problem(code, `/${field.name}`, { labelZh: label['zh-CN'], labelEn: label.en, value })]);
      }
    }
    throw error;
  };
}
