import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { FormaError, problem, type Problem } from '../errors.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { documentKey, type Model } from '../metadata/model.ts';
import { accessOf, changingSecurity, requireAdmin } from './access.ts';
import { ADMIN_ROLE, type Actor } from './actor.ts';
import { logEvent } from './system-log.ts';
import { createUser, findUserByLogin } from './users.ts';

/**
 * Gives a user exactly these roles in a workspace (replacing the ones they held there): each
 * role document of the workspace's metadata, or the built-in `admin`. Only administrators (and
 * the system) assign roles; the change is a `permission.change` in the system log and takes
 * effect for the user's next request in every process.
 *
 * @example await setUserRoles(db, actor, 'main', 'sales1', ['salesperson']);
 */
export async function setUserRoles(db: Kysely<any>, actor: Actor, workspace: string, login: string, roles: string[]): Promise<void> {
  const { model } = await cachedModel(db, workspace);
  await requireAdmin(db, workspace, await accessOf(db, workspace, actor, model));
  const user = await findUserByLogin(db, login);
  const problems = unknownRoles(model, roles);
  if (!user) problems.unshift(problem('user_unknown', '/login', { login }));
  if (problems.length || !user) throw new FormaError('roles_invalid', { count: problems.length }, problems);
  const wanted = [...new Set(roles)];
  await changingSecurity(db, async (trx) => {
    const before = (await trx.selectFrom('forma.user_role').select('role').where('user_id', '=', user.id).where('workspace', '=', workspace).execute()).map((r) => r.role);
    await trx.deleteFrom('forma.user_role').where('user_id', '=', user.id).where('workspace', '=', workspace).execute();
    if (wanted.length) await trx.insertInto('forma.user_role').values(wanted.map((role) => ({ user_id: user.id, workspace, role }))).execute();
    await logEvent(trx, { workspace, actor, action: 'permission.change', details: { user: user.id, login, roles: { before: before.sort(), after: [...wanted].sort() } } });
  });
}

/**
 * Refuses (`roles_invalid`) role names that are neither a role document of the workspace nor
 * the built-in admin: for callers that check before they create what the roles are for.
 */
export async function checkRoles(db: Kysely<any>, workspace: string, roles: string[]): Promise<void> {
  const problems = unknownRoles((await cachedModel(db, workspace)).model, roles);
  if (problems.length) throw new FormaError('roles_invalid', { count: problems.length }, problems);
}

function unknownRoles(model: Model, roles: unknown): Problem[] {
  if (!Array.isArray(roles)) return [problem('role_unknown', '/roles', { role: String(roles) })];
  return roles.flatMap((role, i) =>
    role === ADMIN_ROLE || model.has(documentKey({ kind: 'role', name: String(role) })) ? [] : [problem('role_unknown', `/roles/${i}`, { role: String(role) })]);
}

/** The roles a user holds in a workspace, by name. */
export async function userRoles(db: Kysely<any>, workspace: string, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('forma.user_role').select('role').where('user_id', '=', userId).where('workspace', '=', workspace).orderBy('role').execute();
  return rows.map((r) => r.role);
}

/** The login of the administrator every installation starts with. */
export const INITIAL_ADMIN = 'admin';

/**
 * Makes sure the workspace has its first administrator: the user `admin` (created when missing,
 * with `password`, or with a random one returned so setup can print it once — it is stored only
 * as a hash) holding the built-in admin role there.
 *
 * @example const { generatedPassword } = await ensureInitialAdmin(db, systemActor('setup'), 'main', process.env.FORMA_ADMIN_PASSWORD);
 */
export async function ensureInitialAdmin(db: Kysely<any>, system: Actor, workspace: string, password?: string): Promise<{ generatedPassword?: string }> {
  const existing = await findUserByLogin(db, INITIAL_ADMIN);
  const generatedPassword = existing || password ? undefined : randomBytes(12).toString('base64url');
  const user = existing ?? (await createUser(db, system, { login: INITIAL_ADMIN, displayName: '系统管理员', password: password ?? generatedPassword }));
  const roles = await userRoles(db, workspace, user.id);
  if (!roles.includes(ADMIN_ROLE)) await setUserRoles(db, system, workspace, INITIAL_ADMIN, [...roles, ADMIN_ROLE]);
  return generatedPassword ? { generatedPassword } : {};
}
