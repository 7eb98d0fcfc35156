import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { FormaError, problem, type Problem } from '../errors.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { accessOf, changingSecurity, logRefusal, requireRight } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { findDepartment } from '../security/departments.ts';
import { logEvent } from '../security/system-log.ts';
import { findUserByLogin } from '../security/users.ts';
import { UUID, type RecordsContext } from './context.ts';
import { lockRecord, writableRuntime } from './write.ts';

/** A record opened to one user or one department (and the departments below it) beyond its record scope. */
export interface RecordShare {
  id: string;
  user: { id: string; login: string; displayName: string } | null;
  department: { id: string; name: string } | null;
  access: 'read' | 'edit';
  createdBy: string;
  createdAt: string;
}

/**
 * Shares a record with a named user (`user`: their login) or department (`department`: its
 * name or path) to read or to edit it, whatever their record scope says — as long as their role
 * may read the entity at all. Sharing again with the same grantee changes the access. Whoever
 * may change the record may share it; the share is in the system log (`record.share`).
 *
 * @example await shareRecord(ctx, actor, 'customer', id, { user: 'sales2', access: 'read' });
 */
export async function shareRecord(
  ctx: RecordsContext, actor: Actor, entity: string, id: string, input: { user?: string; department?: string; access?: string },
): Promise<RecordShare> {
  const { runtime, access } = await shareAccess(ctx, actor, entity);
  const problems: Problem[] = [];
  const body = typeof input === 'object' && input !== null ? input : {};
  if ((body.user === undefined) === (body.department === undefined)) problems.push(problem('share_grantee_invalid', ''));
  if (body.access !== 'read' && body.access !== 'edit') problems.push(problem('share_access_invalid', '/access'));
  const user = typeof body.user === 'string' ? await findUserByLogin(ctx.db, body.user) : undefined;
  if (body.user !== undefined && !user) problems.push(problem('user_unknown', '/user', { login: String(body.user) }));
  const department = typeof body.department === 'string'
    ? await findDepartment(ctx.db, body.department, '/department').catch((error: unknown) => {
      if (!(error instanceof FormaError)) throw error;
      problems.push(...error.problems);
      return undefined;
    })
    : undefined;
  if (problems.length) throw new FormaError('share_invalid', { count: problems.length }, problems);
  const level = body.access as 'read' | 'edit';
  return changingSecurity(ctx.db, async (trx) => {
    await lockRecord(trx, ctx, runtime, access, id, undefined, 'alive', 'share');
    const { rows } = await sql<{ id: string }>`
      insert into forma.record_share (id, workspace, entity, record_id, user_id, department_id, access, created_by)
      values (${uuidv7()}, ${ctx.workspace}, ${entity}, ${id}, ${user?.id ?? null}, ${department?.id ?? null}, ${level}, ${actor.name})
      on conflict (workspace, entity, record_id, coalesce(user_id, department_id)) do update set access = excluded.access
      returning id`.execute(trx);
    await logEvent(trx, {
      workspace: ctx.workspace, actor, action: 'record.share', entity, recordId: id,
      details: { share: rows[0]!.id, user: user?.login ?? null, department: department?.name ?? null, access: level },
    });
    return (await sharesOf(trx, ctx.workspace, entity, id)).find((s) => s.id === rows[0]!.id)!;
  }).catch((error: unknown) => logRefusal(ctx.db, error));
}

/** Who a record is shared with, for someone who may change it. */
export async function listShares(ctx: RecordsContext, actor: Actor, entity: string, id: string): Promise<RecordShare[]> {
  const { runtime, access } = await shareAccess(ctx, actor, entity);
  return ctx.db.transaction().execute(async (trx) => {
    await lockRecord(trx, ctx, runtime, access, id, undefined, 'alive', 'share');
    return sharesOf(trx, ctx.workspace, entity, id);
  }).catch((error: unknown) => logRefusal(ctx.db, error));
}

/** Ends a share (`record.unshare` in the system log); an unknown share id is `share_unknown`. */
export async function unshareRecord(ctx: RecordsContext, actor: Actor, entity: string, id: string, shareId: string): Promise<void> {
  const { runtime, access } = await shareAccess(ctx, actor, entity);
  await changingSecurity(ctx.db, async (trx) => {
    await lockRecord(trx, ctx, runtime, access, id, undefined, 'alive', 'share');
    const removed = UUID.test(shareId)
      ? await trx.deleteFrom('forma.record_share').where('id', '=', shareId).where('workspace', '=', ctx.workspace)
        .where('entity', '=', entity).where('record_id', '=', id).returning('id').executeTakeFirst()
      : undefined;
    if (!removed) throw new FormaError('share_unknown', { id: shareId });
    await logEvent(trx, { workspace: ctx.workspace, actor, action: 'record.unshare', entity, recordId: id, details: { share: shareId } });
  }).catch((error: unknown) => logRefusal(ctx.db, error));
}

async function shareAccess(ctx: RecordsContext, actor: Actor, entity: string) {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const runtime = writableRuntime(model, ctx.workspace, entity);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  await requireRight(ctx.db, ctx.workspace, access, entity, 'update');
  return { runtime, access };
}

async function sharesOf(db: RecordsContext['db'], workspace: string, entity: string, id: string): Promise<RecordShare[]> {
  const { rows } = await sql<Record<string, any>>`
    select s.id, s.access, s.created_by, s.created_at, u.id as user_id, u.login, u.display_name, d.id as department_id, d.name as department_name
    from forma.record_share s
      left join forma."user" u on u.id = s.user_id
      left join forma.department d on d.id = s.department_id
    where s.workspace = ${workspace} and s.entity = ${entity} and s.record_id = ${id}
    order by s.created_at, s.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    user: r.user_id ? { id: r.user_id, login: r.login, displayName: r.display_name } : null,
    department: r.department_id ? { id: r.department_id, name: r.department_name } : null,
    access: r.access,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
