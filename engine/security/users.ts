import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { FormaError, problem, type Problem } from '../errors.ts';
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
  void actor; // who may create users is decided by the security module's roles (issue 5)
  const login = input.login;
  const displayName = typeof input.displayName === 'string' ? input.displayName.trim() : '';
  const problems: Problem[] = [];
  if (typeof login !== 'string' || !LOGIN.test(login)) problems.push(problem('user_login_invalid', '/login', { login: String(login) }));
  if (!displayName || displayName.length > DISPLAY_NAME_MAX) problems.push(problem('user_display_name_invalid', '/displayName', { max: DISPLAY_NAME_MAX }));
  if (input.password !== undefined && (typeof input.password !== 'string' || input.password.length < PASSWORD_MIN || input.password.length > 200)) {
    problems.push(problem('user_password_invalid', '/password', { min: PASSWORD_MIN }));
  }
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
    await inTransaction(db, async (trx) => {
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
 * password, no password set, deactivated — never saying which). Every attempt goes to the
 * system log (`login` or `login_failed`, with the client's `address`, the login tried — never the
 * password — and, for admins, why it failed). Sign-in screens, sessions and rate limiting are
 * the security module's (issue 5).
 */
export async function authenticateUser(db: Kysely<any>, login: string, password: string, address?: string): Promise<User | undefined> {
  const row = await db.selectFrom('forma.user')
    .select(['id', 'login', 'display_name', 'active', 'created_at', 'password_hash'])
    .where('login', '=', login)
    .executeTakeFirst();
  const failure = !row ? 'unknown_user' : !row.active ? 'inactive' : !row.password_hash ? 'no_password'
    : !(await verifyPassword(password, row.password_hash)) ? 'wrong_password' : undefined;
  const tried = String(login).slice(0, 200);
  const actor = row ? { id: row.id, name: row.login, kind: 'user' as const } : { name: tried };
  await logEvent(db, { actor, action: failure ? 'login_failed' : 'login', address, details: failure ? { login: tried, reason: failure } : { login: tried } });
  if (failure || !row) return undefined;
  return { id: row.id, login: row.login, displayName: row.display_name, active: row.active, createdAt: new Date(row.created_at) };
}
