import type { Transaction } from 'kysely';
import { FormaError, problem } from '../errors.ts';
import { documentKey, isArchivedEntity, isArchivedField, isEntity, type EntityDocument, type Model } from '../metadata/model.ts';
import {
  assertVersionExists, changedSince, currentVersion, ensureWorkspace, loadModel, lockWorkspace, versionAuthor, writeVersion,
  type WorkspaceContext,
} from '../metadata/store.ts';
import { announceMetadataChange, cachedModel, forgetCachedModel } from '../metadata/model-cache.ts';
import { accessOf, requireAdmin } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { logEvent } from '../security/system-log.ts';
import { executeOperation } from './execute.ts';
import { workspaceSchema } from './physical.ts';
import { planChangeSet, planModelChange, type ChangeSet, type Plan } from './plan.ts';

export interface ApplyOptions {
  /** Why (kept in the history). */
  reason?: string;
  /** The version the caller planned on: refused with `plan_stale` when another change came first. */
  baseVersion?: number;
  /**
   * The version the caller read the documents it changes at (a designer's edit): refused with
   * `metadata_conflict` only when another change touched one of THOSE documents since, so two
   * admins working on different entities do not stop each other.
   */
  basedOn?: number;
  /** Purges drop data: they run only with this set. */
  allowDestructive?: boolean;
}

/** What an applied change did: the new version (unchanged when there was nothing to do) and its plan. */
export interface Applied {
  version: number;
  changed: boolean;
  plan: Plan;
}

/**
 * Plans a change set against the workspace's current metadata and data, changing nothing.
 *
 * @example const plan = await planChange(ctx, { upsert: [{ document: customer }] });
 */
export async function planChange(ctx: WorkspaceContext, change: ChangeSet): Promise<Plan> {
  const [model, version] = await Promise.all([loadModel(ctx), currentVersion(ctx.db, ctx.workspace)]);
  return planChangeSet(ctx.db, ctx.workspace, model, version, change);
}

/**
 * Applies a change set: in ONE transaction it takes the workspace's metadata lock, plans again
 * against what is there now, refuses a plan whose data checks fail (or a destructive one not
 * allowed), runs the DDL and writes the new metadata version. Any failure rolls everything
 * back: catalog and metadata are left exactly as they were.
 *
 * @example await applyChange(ctx, actor, { upsert: docs }, { reason: 'add WeChat field' });
 */
export async function applyChange(ctx: WorkspaceContext, actor: Actor, change: ChangeSet, options: ApplyOptions = {}): Promise<Applied> {
  return runChange(ctx, actor, options, (trx, model, version) => planChangeSet(trx, ctx.workspace, model, version, change), touchedBy(change));
}

/** The documents a change set writes or removes (those whose kind and name can be read). */
function touchedBy(change: ChangeSet): { kind: string; name: string }[] {
  const named = (doc: unknown): doc is { kind: string; name: string } =>
    typeof doc === 'object' && doc !== null && typeof (doc as any).kind === 'string' && typeof (doc as any).name === 'string';
  return [...(change.upsert ?? []).map((input) => input.document), ...(change.remove ?? [])].filter(named);
}

/**
 * Brings the metadata back to an earlier version, through the same plan and checks as any
 * change: fields and entities that did not exist then are archived with their data, not dropped.
 */
export async function rollbackTo(ctx: WorkspaceContext, actor: Actor, version: number, options: ApplyOptions = {}): Promise<Applied> {
  await assertVersionExists(ctx, version);
  const target = await loadModel(ctx, version);
  return runChange(ctx, actor, { reason: `rollback to version ${version}`, ...options }, (trx, model, current) =>
    planModelChange(trx, ctx.workspace, model, target, current));
}

/** Plans bringing the metadata back to an earlier version, changing nothing. */
export async function planRollback(ctx: WorkspaceContext, version: number): Promise<Plan> {
  await assertVersionExists(ctx, version);
  const [model, target, current] = await Promise.all([loadModel(ctx), loadModel(ctx, version), currentVersion(ctx.db, ctx.workspace)]);
  return planModelChange(ctx.db, ctx.workspace, model, target, current);
}

/** What a purge removes for good: an archived entity (its table), or an archived field (its column). */
export interface PurgeTarget {
  entity: string;
  field?: string;
}

/**
 * Permanently removes an archived field's column or an archived entity's table, with its data:
 * the separate, explicit admin action that archiving is not. Needs `allowDestructive`.
 */
export async function purge(ctx: WorkspaceContext, actor: Actor, target: PurgeTarget, options: ApplyOptions = {}): Promise<Applied> {
  const label = target.field ? `${target.entity}.${target.field}` : target.entity;
  return runChange(ctx, actor, { reason: `purge ${label}`, ...options }, (trx, model, version) =>
    planModelChange(trx, ctx.workspace, model, purgedModel(model, target), version, { table: target.entity, column: target.field }));
}

/** The `metadata_conflict` error: which documents someone else changed since `basedOn`, by whom and when. */
async function conflict(
  db: Transaction<any>, workspace: string, basedOn: number, current: number, changed: { kind: string; name: string; version: number }[],
): Promise<FormaError> {
  const newest = changed.reduce((max, c) => Math.max(max, c.version), changed.length ? 0 : current);
  const problems = await Promise.all(changed.map(async (c) =>
    problem('metadata_conflict_document', '', { kind: c.kind, name: c.name, version: c.version, actor: await versionAuthor(db, workspace, c.version) }, documentKey(c))));
  return new FormaError('metadata_conflict', { basedOn, current, actor: await versionAuthor(db, workspace, newest) }, problems);
}

function purgedModel(model: Model, target: PurgeTarget): Model {
  const key = documentKey({ kind: 'entity', name: target.entity });
  const entity = model.get(key);
  const label = target.field ? `${target.entity}.${target.field}` : target.entity;
  if (!entity || !isEntity(entity)) throw new FormaError('purge_target_unknown', { target: label });
  const next = new Map(model);
  if (target.field) {
    const field = entity.schema.properties[target.field];
    if (!field || !isArchivedField(field)) throw new FormaError('purge_target_unknown', { target: label });
    const { [target.field]: _purged, ...properties } = entity.schema.properties;
    next.set(key, { ...entity, schema: { ...entity.schema, properties } });
    return next;
  }
  if (!isArchivedEntity(entity)) throw new FormaError('purge_target_unknown', { target: label });
  const referencing = [...model.values()].filter(isEntity).filter((other) =>
    other.name !== entity.name &&
    Object.values((other as EntityDocument).schema.properties).some((f) =>
      (f['x-forma'].type === 'lookup' && f['x-forma'].target === entity.name) ||
      (f['x-forma'].type === 'lines' && f['x-forma'].entity === entity.name)));
  if (referencing.length) throw new FormaError('purge_referenced', { entity: entity.name, by: referencing.map((e) => e.name).join(', ') });
  next.delete(key);
  return next;
}

async function runChange(
  ctx: WorkspaceContext, actor: Actor, options: ApplyOptions,
  makePlan: (trx: Transaction<any>, model: Model, version: number) => Promise<Plan>,
  touched?: { kind: string; name: string }[],
): Promise<Applied> {
  // Only administrators shape the workspace (and the system: setup, the CLI, packages).
  if (actor.kind !== 'system') await requireAdmin(ctx.db, ctx.workspace, await accessOf(ctx.db, ctx.workspace, actor, (await cachedModel(ctx.db, ctx.workspace)).model));
  const schema = workspaceSchema(ctx.workspace);
  const applied = await ctx.db.transaction().execute(async (trx) => {
    // Inside the transaction: a refused first change leaves no workspace row behind either.
    await ensureWorkspace(trx, ctx.workspace, schema);
    const version = await lockWorkspace(trx, ctx.workspace);
    if (options.baseVersion !== undefined && options.baseVersion !== version) {
      throw new FormaError('plan_stale', { planned: options.baseVersion, current: version, actor: await versionAuthor(trx, ctx.workspace, version) });
    }
    if (options.basedOn !== undefined && options.basedOn < version) {
      // A rollback or purge touches the whole model: any later version is a conflict.
      const changed = await changedSince(trx, ctx.workspace, touched ?? [], options.basedOn);
      if (!touched || changed.length) throw await conflict(trx, ctx.workspace, options.basedOn, version, changed);
    }
    const plan = await makePlan(trx, await loadModel({ db: trx, workspace: ctx.workspace }), version);
    if (plan.refused) throw new FormaError('plan_refused', { count: plan.problems.length }, plan.problems);
    if (plan.destructive && !options.allowDestructive) throw new FormaError('plan_destructive');
    if (!plan.operations.length) return { version, changed: false, plan };
    for (const operation of plan.operations) await executeOperation(trx, schema, operation);
    const next = version + 1;
    await writeVersion(trx, ctx.workspace, next, { written: plan.written, removed: plan.removed }, actor, options.reason, plan.operations);
    await logEvent(trx, { workspace: ctx.workspace, actor, action: 'metadata.change', details: { version: next, reason: options.reason ?? null, operations: plan.operations.length } });
    const roles = [...plan.written, ...plan.removed].filter((doc) => doc.kind === 'role').map((doc) => doc.name);
    if (roles.length) await logEvent(trx, { workspace: ctx.workspace, actor, action: 'permission.change', details: { version: next, roles } });
    await announceMetadataChange(trx, ctx.workspace);
    return { version: next, changed: true, plan };
  });
  if (applied.changed) forgetCachedModel(ctx.db, ctx.workspace);
  return applied;
}
