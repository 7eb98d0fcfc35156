import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { FormaError, problem, type Problem } from '../errors.ts';
import { changingSecurity, requireUserAdministrator } from './access.ts';
import { UUID } from '../records/context.ts';
import type { Actor } from './actor.ts';
import { findDepartment } from './departments.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { inTransaction, logEvent } from './system-log.ts';

/** A person who signs in to Forma or calls its API. */
export interface User {
  id: string;
  login: string;
  displayName: string;
  active: boolean;
  createdAt: Date;
}

/** Logins are what people type and what audit trails show: lowercase, no spaces, e-mail addresses allowed. */
export const LOGIN = /^[a-z0-9][a-z0-9_.@-]{1,63}$/;
const DISPLAY_NAME_MAX = 100;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 200;

/**
 * Creates a user with a unique login (e.g. `zhang.san` or `zhangsan@example.cn`) and the name
 * people see (`张三`). Every problem of the input is reported at once; a login already taken is
 * refused with `user_login_taken`.
 *
 * @example const user = await createUser(db, systemActor('cli'), { login: 'zhang.san', displayName: '张三' });
 */
export async function createUser(
  db: Kysely<any>, actor: Actor,
  input: { login: string; displayName: string; password?: string; department?: string; manager?: string },
): Promise<User> {
  await requireUserAdministrator(db, actor);
  const login = input.login;
  const displayName = typeof input.displayName === 'string' ? input.displayName.trim() : '';
  const problems: Problem[] = [];
  if (typeof login !== 'string' || !LOGIN.test(login)) problems.push(problem('user_login_invalid', '/login', { login: String(login) }));
  if (!displayName || displayName.length > DISPLAY_NAME_MAX) problems.push(problem('user_display_name_invalid', '/displayName', { max: DISPLAY_NAME_MAX }));
  if (input.password !== undefined) problems.push(...passwordProblems(input.password, '/password'));
  const department = input.department === undefined ? undefined
    : await findDepartment(db, input.department, '/department').catch((error: unknown) => {
      problems.push(...(error instanceof FormaError ? error.problems : []));
      if (!(error instanceof FormaError)) throw error;
      return undefined;
    });
  const manager = input.manager === undefined ? undefined : await findUserByLogin(db, input.manager);
  if (input.manager !== undefined && !manager) problems.push(problem('manager_unknown', '/manager', { login: input.manager }));
  if (problems.length) throw new FormaError('user_invalid', { count: problems.length }, problems);

  const user: User = { id: uuidv7(), login, displayName, active: true, createdAt: new Date() };
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    await changingSecurity(db, async (trx) => {
      await trx.insertInto('forma.user')
        .values({
          id: user.id, login, display_name: displayName, active: true, created_at: user.createdAt, password_hash: passwordHash,
          department_id: department?.id ?? null, manager_id: manager?.id ?? null,
        })
        .execute();
      await logEvent(trx, { actor, action: 'user.create', details: { user: user.id, login, displayName } });
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new FormaError('user_login_taken', { login });
    throw error;
  }
  return user;
}

/**
 * The display names of users by id, for showing who owns or changed records (ids that name no
 * user are left out). One query however many ids.
 *
 * @example const names = await userNames(db, [record.owner_id, record.updated_by]); names.get(record.owner_id) // '李明（销售一部）'
 */
export async function userNames(db: Kysely<any>, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string' && UUID.test(id)))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('forma.user').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [String(r.id), String(r.display_name)]));
}

/** The user with this login, or undefined. */
export async function findUserByLogin(db: Kysely<any>, login: string): Promise<User | undefined> {
  const row = await db.selectFrom('forma.user')
    .select(['id', 'login', 'display_name', 'active', 'created_at'])
    .where('login', '=', login)
    .executeTakeFirst();
  return row && { id: row.id, login: row.login, displayName: row.display_name, active: row.active, createdAt: new Date(row.created_at) };
}

/**
 * The active user whose login and password these are, or undefined (unknown login, wrong
 * password, no password set, deactivated, locked — never saying which). Every attempt goes to
 * the system log (`login` or `login_failed`, with the client's `address`, the login tried — never
 * the password — and, for admins, why it failed). An account locked after repeated failures
 * (`locked_until`, see sessions.ts) is refused even with the right password, without checking it.
 */
export async function authenticateUser(db: Kysely<any>, login: string, password: string, address?: string): Promise<User | undefined> {
  const row = await db.selectFrom('forma.user')
    .select(['id', 'login', 'display_name', 'active', 'created_at', 'password_hash', sql<boolean>`coalesce(locked_until > now(), false)`.as('locked')])
    .where('login', '=', login)
    .executeTakeFirst();
  // A password is checked for a login nobody has too, so the time an answer takes does not tell which logins exist.
  const matches = !row?.locked && await verifyPassword(password, row?.password_hash ?? await unusableHash());
  const failure = !row ? 'unknown_user' : row.locked ? 'locked' : !row.active ? 'inactive' : !row.password_hash ? 'no_password'
    : !matches ? 'wrong_password' : undefined;
  await logSignIn(db, { login: loginTried(login), user: row, address, failure });
  if (failure || !row) return undefined;
  return { id: row.id, login: row.login, displayName: row.display_name, active: row.active, createdAt: new Date(row.created_at) };
}

/** Why a sign-in was refused, as the system log tells administrators (never the person signing in). */
export type SignInFailure = 'unknown_user' | 'inactive' | 'no_password' | 'wrong_password' | 'locked' | 'rate_limited';

/** The login someone typed, as the system log keeps it: cut short, so a 1 MB "login" stays a short row. */
export function loginTried(login: unknown): string {
  return String(login).slice(0, 200);
}

/**
 * Logs one sign-in attempt: `login`, or `login_failed` with the reason. The actor is the account
 * when the login tried has one, else just the login tried.
 */
export async function logSignIn(
  db: Kysely<any>, attempt: { login: string; user?: { id: string; login: string }; address?: string; failure?: SignInFailure },
): Promise<void> {
  const { login, user, address, failure } = attempt;
  await logEvent(db, {
    actor: user ? { id: user.id, name: user.login, kind: 'user' } : { name: login },
    action: failure ? 'login_failed' : 'login',
    address,
    details: failure ? { login, reason: failure } : { login },
  });
}

/**
 * Changes the actor's own password. The current password must be right (else a problem at
 * `/current`, and a `user.password` failure in the system log); the new one is checked as
 * `createUser` checks one (at `/next`). Every other session of the user ends, so whoever else
 * was signed in with the old password is out; `session` — the one the change is made from —
 * stays. API tokens stay too: they are credentials of their own.
 *
 * @example await changePassword(db, actor, { current: 'forma-demo', next: '新的登录密码-2026', session: sessionId, address });
 */
export async function changePassword(
  db: Kysely<any>, actor: Actor, input: { current: string; next: string; session?: string; address?: string },
): Promise<void> {
  const row = actor.kind === 'user'
    ? await db.selectFrom('forma.user').select(['id', 'login', 'password_hash']).where('id', '=', actor.id).executeTakeFirst()
    : undefined;
  if (!row) throw new FormaError('user_unknown', { login: actor.name });
  const currentRight = typeof input.current === 'string' && await verifyPassword(input.current, row.password_hash ?? await unusableHash());
  const problems = [...(currentRight ? [] : [problem('password_current_wrong', '/current')]), ...passwordProblems(input.next, '/next')];
  if (!currentRight) {
    await logEvent(db, { actor, action: 'user.password', outcome: 'failure', address: input.address, details: { user: row.id, reason: 'wrong_current' } });
  }
  if (problems.length) throw new FormaError('password_change_invalid', { count: problems.length }, problems);

  const passwordHash = await hashPassword(input.next);
  await inTransaction(db, async (trx) => {
    await trx.updateTable('forma.user').set({ password_hash: passwordHash }).where('id', '=', row.id).execute();
    let others = trx.updateTable('forma.session').set({ ended_at: sql`now()` }).where('user_id', '=', row.id).where('ended_at', 'is', null);
    if (input.session) others = others.where('id', '<>', input.session);
    const ended = await others.executeTakeFirst();
    await logEvent(trx, { actor, action: 'user.password', address: input.address, details: { user: row.id, sessionsEnded: Number(ended.numUpdatedRows) } });
  });
}

/** What is wrong with a new password, if anything, as a problem at `at`. */
function passwordProblems(password: unknown, at: string): Problem[] {
  const fits = typeof password === 'string' && password.length >= PASSWORD_MIN && password.length <= PASSWORD_MAX;
  return fits ? [] : [problem('user_password_invalid', at, { min: PASSWORD_MIN })];
}

let unusable: Promise<string> | undefined;

/** The hash of a random password nobody knows: what a login without one is checked against. */
function unusableHash(): Promise<string> {
  unusable ??= hashPassword(randomBytes(32).toString('base64url'));
  return unusable;
}
