import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { FormaError, problem } from '../errors.ts';
import type { Actor } from './actor.ts';
import { newSecret, secretHash } from './secrets.ts';
import { inTransaction, logEvent } from './system-log.ts';
import { authenticateUser, logSignIn, loginTried, type User } from './users.ts';

/**
 * Every number of signing in, in one place (docs/security.md explains them). Failures are
 * counted from the system log's `login_failed` rows, so every process of a deployment sees the
 * same counts and a restart forgets nothing.
 */
export const SIGN_IN_LIMITS = {
  /** How far back failures are counted, in minutes. */
  windowMinutes: 15,
  /** This many failures with one login within the window lock it… */
  failuresPerLogin: 5,
  /** …for this many minutes. */
  lockMinutes: 15,
  /** This many failures from one client address within the window refuse it until they age out. */
  failuresPerAddress: 20,
  /** A session unused for this long is over (every use moves it on; noted at most once a minute). */
  idleHours: 12,
  /** A session is over this long after signing in, however much it is used. */
  sessionDays: 7,
} as const;

/** What signing in gives: the cookie's secret (only here, never stored) and its CSRF token. */
export interface SignedIn {
  token: string;
  csrfToken: string;
  sessionId: string;
  user: User;
  expiresAt: Date;
}

/** A session a cookie stands for: who, and the CSRF token its unsafe requests must carry. */
export interface Session {
  actor: Actor;
  user: { id: string; login: string; displayName: string };
  sessionId: string;
  csrfToken: string;
  /** When the session is over at the latest (idle for `idleHours` ends it sooner). */
  expiresAt: Date;
}

/** A refused sign-in that may be tried again in `retryAfter` seconds (the HTTP Retry-After). */
export class SignInRefused extends FormaError {
  constructor(code: 'login_locked' | 'login_rate_limited', readonly retryAfter: number) {
    super(code, { minutes: Math.ceil(retryAfter / 60) });
  }
}

const PREFIX = 'fs_';
/** `fs_` + 32 random bytes in base64url: anything else is not a session token (an API token is `forma_…`). */
const TOKEN = /^fs_[A-Za-z0-9_-]{43}$/;
const USER_AGENT_MAX = 500;

/**
 * Signs a person in with their login and password: a new session, its token (for an HttpOnly
 * cookie) and CSRF token. The session of `previousToken` — the cookie the browser still sent —
 * ends, so signing in always rotates the token. Refused with `login_failed` (which part was
 * wrong is never said), `login_locked` after `failuresPerLogin` failures with one login, or
 * `login_rate_limited` after `failuresPerAddress` failures from one address; every refusal is
 * in the system log. Logins no account has are locked exactly like accounts, so that neither
 * the answers nor their timing tell a guesser which logins exist.
 *
 * @example const { token, csrfToken, expiresAt } = await signIn(db, { login: 'sales1', password, address: '192.168.1.20' });
 */
export async function signIn(
  db: Kysely<any>,
  input: { login: string; password: string; address?: string; userAgent?: string; previousToken?: string },
): Promise<SignedIn> {
  const missing = (['login', 'password'] as const).filter((field) => typeof input[field] !== 'string' || !input[field]);
  if (missing.length) {
    const problems = missing.map((field) => problem('sign_in_field_invalid', `/${field}`, field === 'login'
      ? { fieldZh: '登录名', fieldEn: 'login' } : { fieldZh: '密码', fieldEn: 'password' }));
    throw new FormaError('sign_in_invalid', { count: problems.length }, problems);
  }
  const login = loginTried(input.login);
  const { address } = input;
  if (address !== undefined) {
    const blockedFor = await addressBlockedFor(db, address);
    if (blockedFor) {
      await logSignIn(db, { login, address, failure: 'rate_limited' });
      throw new SignInRefused('login_rate_limited', blockedFor);
    }
  }
  const lock = await lockOf(db, login);
  // An account's lock is its own (authenticateUser refuses it); a login without one is refused here.
  if (!lock.account && lock.seconds) {
    await logSignIn(db, { login, address, failure: 'locked' });
    throw new SignInRefused('login_locked', lock.seconds);
  }
  const user = await authenticateUser(db, input.login, input.password, address);
  if (!user) {
    const lockedFor = lock.seconds ?? await lockAfterFailures(db, login, lock.account, address);
    if (lockedFor) throw new SignInRefused('login_locked', lockedFor);
    const { failuresPerLogin: attempts, windowMinutes: window, lockMinutes: minutes } = SIGN_IN_LIMITS;
    throw new FormaError('login_failed', { attempts, window, minutes });
  }

  const token = newSecret(PREFIX);
  const csrfToken = randomBytes(32).toString('base64url');
  const sessionId = uuidv7();
  return inTransaction(db, async (trx) => {
    if (input.previousToken !== undefined) await endSession(trx, input.previousToken, address, 'signed_in_again');
    const row = await trx.insertInto('forma.session')
      .values({
        id: sessionId, token_hash: secretHash(token), csrf_token: csrfToken, user_id: user.id,
        expires_at: sql`now() + ${interval(SIGN_IN_LIMITS.sessionDays, 'days')}`,
        address: address ?? null, user_agent: input.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      })
      .returning('expires_at')
      .executeTakeFirstOrThrow();
    await trx.updateTable('forma.user').set({ locked_until: null }).where('id', '=', user.id).where('locked_until', 'is not', null).execute();
    return { token, csrfToken, sessionId, user, expiresAt: new Date(row.expires_at) };
  });
}

/**
 * The session a cookie's token stands for, or undefined when it is unknown, ended, past its
 * expiry, idle too long or its user deactivated: each refusal is logged (`session.refused`, with
 * the reason) and the caller answers 401 without saying which. Notes the use (`last_seen_at`,
 * which keeps the session from going idle) at most once a minute.
 *
 * @example const session = await sessionFor(db, cookie, address); if (!session) throw new FormaError('unauthenticated');
 */
export async function sessionFor(db: Kysely<any>, token: string, address?: string): Promise<Session | undefined> {
  const row = TOKEN.test(token)
    ? await db.selectFrom('forma.session as s')
      .innerJoin('forma.user as u', 'u.id', 's.user_id')
      .select([
        's.id', 's.csrf_token', 's.expires_at', 's.ended_at', 'u.id as user_id', 'u.login', 'u.display_name', 'u.active',
        sql<boolean>`s.expires_at <= now()`.as('expired'),
        sql<boolean>`s.last_seen_at <= now() - ${interval(SIGN_IN_LIMITS.idleHours, 'hours')}`.as('idle'),
        // Writing last_seen_at on every request would make every request a write: once a minute is enough.
        sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale'),
      ])
      .where('s.token_hash', '=', secretHash(token))
      .executeTakeFirst()
    : undefined;
  const refusal = !row ? 'unknown' : row.ended_at ? 'ended' : row.expired ? 'expired' : row.idle ? 'idle' : !row.active ? 'inactive' : undefined;
  if (refusal || !row) {
    const actor = row ? { id: row.user_id, name: row.login, kind: 'user' as const } : undefined;
    await logEvent(db, { actor, action: 'session.refused', address, outcome: 'failure', details: { reason: refusal, ...(row ? { session: row.id } : {}) } });
    return undefined;
  }
  if (row.stale) {
    // Conditional too, so simultaneous requests write it once.
    await db.updateTable('forma.session').set({ last_seen_at: sql`now()` })
      .where('id', '=', row.id).where('last_seen_at', '<', sql<Date>`now() - interval '1 minute'`).execute();
  }
  return {
    actor: { id: row.user_id, name: row.login, kind: 'user' },
    user: { id: row.user_id, login: row.login, displayName: row.display_name },
    sessionId: row.id,
    csrfToken: row.csrf_token,
    expiresAt: new Date(row.expires_at),
  };
}

/**
 * Whether a request of the session carries its CSRF token (compared in constant time). A
 * request without it, or with another, is logged as `session.refused` (reason `csrf`): a page
 * of another site can make the browser send the cookie, but cannot read the token.
 */
export async function csrfTokenMatches(db: Kysely<any>, session: Session, given: string | null, address?: string): Promise<boolean> {
  // Equal-length digests, so the comparison takes the same time whatever was sent.
  const digest = (text: string) => Buffer.from(secretHash(text), 'hex');
  if (given !== null && timingSafeEqual(digest(given), digest(session.csrfToken))) return true;
  await logEvent(db, {
    actor: session.actor, action: 'session.refused', address, outcome: 'failure',
    details: { reason: given === null ? 'csrf_missing' : 'csrf_wrong', session: session.sessionId },
  });
  return false;
}

/** Ends the session of a token (signing out) and logs `logout`; an unknown or ended one changes nothing. */
export async function signOut(db: Kysely<any>, token: string, address?: string): Promise<void> {
  await inTransaction(db, (trx) => endSession(trx, token, address, 'signed_out'));
}

async function endSession(db: Kysely<any>, token: string, address: string | undefined, reason: 'signed_out' | 'signed_in_again'): Promise<void> {
  if (!TOKEN.test(token)) return;
  const ended = await db.updateTable('forma.session').set({ ended_at: sql`now()` })
    .where('token_hash', '=', secretHash(token)).where('ended_at', 'is', null)
    .returning(['id', 'user_id'])
    .executeTakeFirst();
  if (!ended) return;
  const user = await db.selectFrom('forma.user').select('login').where('id', '=', ended.user_id).executeTakeFirstOrThrow();
  await logEvent(db, { actor: { id: ended.user_id, name: user.login, kind: 'user' }, action: 'logout', address, details: { session: ended.id, reason } });
}

/**
 * For how many more seconds an address is refused: once it has `failuresPerAddress` failures
 * within the window, until the oldest of them ages out. Its refusals themselves do not count,
 * or an address that keeps trying would never get in again.
 */
async function addressBlockedFor(db: Kysely<any>, address: string): Promise<number | undefined> {
  const window = interval(SIGN_IN_LIMITS.windowMinutes, 'mins');
  const row = await db.selectFrom('forma.system_log')
    .select(secondsUntil(sql`at + ${window}`).as('seconds'))
    .where('action', '=', 'login_failed')
    .where('address', '=', address)
    .where('at', '>', sql<Date>`now() - ${window}`)
    .where(sql`details->>'reason'`, '<>', 'rate_limited')
    .orderBy('at', 'desc')
    .limit(1)
    .offset(SIGN_IN_LIMITS.failuresPerAddress - 1)
    .executeTakeFirst();
  return positive(row?.seconds);
}

/**
 * The account a login names, if any, and for how many more seconds the login is locked: an
 * account's `locked_until`, or for a login no account has, the lock the system log recorded.
 */
async function lockOf(db: Kysely<any>, login: string): Promise<{ account?: { id: string; login: string }; seconds?: number }> {
  const account = await db.selectFrom('forma.user')
    .select(['id', 'login', secondsUntil(sql`locked_until`).as('seconds')])
    .where('login', '=', login)
    .executeTakeFirst();
  if (account) return { account: { id: account.id, login: account.login }, seconds: positive(account.seconds) };
  const logged = await db.selectFrom('forma.system_log')
    .select(secondsUntil(sql`max((details->>'until')::timestamptz)`).as('seconds'))
    .where('action', '=', 'login_locked')
    .where('actor_name', '=', login)
    .where('at', '>', sql<Date>`now() - ${interval(SIGN_IN_LIMITS.lockMinutes, 'mins')}`)
    .executeTakeFirst();
  return { seconds: positive(logged?.seconds) };
}

/**
 * After a failed sign-in: locks the login for `lockMinutes` once it has failed `failuresPerLogin`
 * times within the window since its last successful sign-in (the account's `locked_until`, and a
 * `login_locked` row in the system log either way), answering for how many seconds. Refusals of
 * a login already locked or an address refused do not count: they tested no password.
 */
async function lockAfterFailures(
  db: Kysely<any>, login: string, account: { id: string; login: string } | undefined, address: string | undefined,
): Promise<number | undefined> {
  const { rows: [counted] } = await sql<{ failures: number | string }>`
    select count(*) as failures from forma.system_log f
    where f.action = 'login_failed' and f.details->>'login' = ${login}
      and f.at > now() - ${interval(SIGN_IN_LIMITS.windowMinutes, 'mins')}
      and f.details->>'reason' not in ('locked', 'rate_limited')
      and not exists (select 1 from forma.system_log s where s.actor_name = ${login} and s.action = 'login' and s.at > f.at)`.execute(db);
  if (Number(counted?.failures ?? 0) < SIGN_IN_LIMITS.failuresPerLogin) return undefined;
  await inTransaction(db, async (trx) => {
    const { rows } = await sql<{ until: Date }>`select now() + ${interval(SIGN_IN_LIMITS.lockMinutes, 'mins')} as until`.execute(trx);
    const until = new Date(rows[0]!.until);
    if (account) await trx.updateTable('forma.user').set({ locked_until: until }).where('id', '=', account.id).execute();
    const actor = account ? { id: account.id, name: account.login, kind: 'user' as const } : { name: login };
    await logEvent(trx, { actor, action: 'login_locked', address, details: { login, until } });
  });
  return SIGN_IN_LIMITS.lockMinutes * 60;
}

/** A constant interval, e.g. `make_interval(mins => 15)`: the limits are numbers of ours, never input. */
function interval(amount: number, unit: 'days' | 'hours' | 'mins'): RawBuilder<unknown> {
  return sql`make_interval(${sql.raw(unit)} => ${sql.lit(amount)})`;
}

/** Whole seconds from now until a time (rounded up), by the database's clock. */
function secondsUntil(time: Expression<unknown>): RawBuilder<number | null> {
  return sql<number | null>`ceil(extract(epoch from (${time} - now())))::int`;
}

function positive(seconds: number | null | undefined): number | undefined {
  return seconds !== null && seconds !== undefined && seconds > 0 ? Number(seconds) : undefined;
}
