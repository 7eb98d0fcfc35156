import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../engine/security/actor.ts';
import { csrfTokenMatches, SIGN_IN_LIMITS, SignInRefused, sessionFor, signIn, signOut } from '../../engine/security/sessions.ts';
import { changePassword, createUser } from '../../engine/security/users.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { refusal } from '../support/refusal.ts';

const admin = systemActor('test');
const PASSWORD = '销售一的登录密码!';

interface Row {
  id: number;
  actor_id: string | null;
  actor_name: string;
  action: string;
  address: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

for (const setup of testDatabases()) {
  describe(`sessions on ${setup.kind}`, () => {
    let t: TestDatabase;
    let db: Kysely<any>;
    let seen = 0;
    /** The system log rows written since the last call, oldest first. */
    const newRows = async (): Promise<Row[]> => {
      const rows = await db.selectFrom('forma.system_log').select(['id', 'actor_id', 'actor_name', 'action', 'address', 'outcome', 'details'])
        .where('id', '>', seen).orderBy('id').execute() as Row[];
      seen = rows.at(-1)?.id ?? seen;
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    };
    const session = (id: string) => db.selectFrom('forma.session').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    beforeAll(async () => {
      t = await setup.open();
      db = t.database.db;
      for (const login of ['sales1', 'sales2', 'sales3', 'sales4']) await createUser(db, admin, { login, displayName: login, password: PASSWORD });
      await newRows();
    });
    afterAll(() => t?.cleanup());

    it('signs in to a new session of which only the token hash is stored, and finds it by its token', async () => {
      const signedIn = await signIn(db, { login: 'sales1', password: PASSWORD, address: '192.168.1.20', userAgent: 'Mozilla/5.0' });
      expect(signedIn.token).toMatch(/^fs_[A-Za-z0-9_-]{43}$/);
      expect(signedIn.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(signedIn.user).toMatchObject({ login: 'sales1' });
      const lifetime = signedIn.expiresAt.getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(SIGN_IN_LIMITS.sessionDays * 86_400_000 - 60_000);
      expect(lifetime).toBeLessThanOrEqual(SIGN_IN_LIMITS.sessionDays * 86_400_000 + 60_000);
      const row = await session(signedIn.sessionId);
      expect(row).toMatchObject({ user_id: signedIn.user.id, address: '192.168.1.20', user_agent: 'Mozilla/5.0', ended_at: null });
      expect(row.token_hash).toBe(createHash('sha256').update(signedIn.token).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(signedIn.token.slice(3));

      expect(await sessionFor(db, signedIn.token)).toEqual({
        actor: { id: signedIn.user.id, name: 'sales1', kind: 'user' },
        user: { id: signedIn.user.id, login: 'sales1', displayName: 'sales1' },
        sessionId: signedIn.sessionId,
        csrfToken: signedIn.csrfToken,
        expiresAt: signedIn.expiresAt,
      });
      const rows = await newRows();
      expect(rows.map((r) => [r.action, r.actor_name, r.address, r.details])).toEqual([['login', 'sales1', '192.168.1.20', { login: 'sales1' }]]);
    });

    it('notes a session\'s use at most once a minute', async () => {
      const { token, sessionId } = await signIn(db, { login: 'sales1', password: PASSWORD });
      await sql`update forma.session set last_seen_at = now() - interval '30 seconds' where id = ${sessionId}`.execute(db);
      const before = (await session(sessionId)).last_seen_at;
      await sessionFor(db, token);
      expect((await session(sessionId)).last_seen_at).toEqual(before);
      await sql`update forma.session set last_seen_at = now() - interval '2 minutes' where id = ${sessionId}`.execute(db);
      await sessionFor(db, token);
      expect(Date.now() - new Date((await session(sessionId)).last_seen_at).getTime()).toBeLessThan(30_000);
      await newRows();
    });

    it('refuses an unknown, ended, expired or idle session and one of a deactivated user, logging why', async () => {
      const ended = await signIn(db, { login: 'sales2', password: PASSWORD });
      await signOut(db, ended.token, '10.0.0.9');
      const expired = await signIn(db, { login: 'sales2', password: PASSWORD });
      await sql`update forma.session set expires_at = now() - interval '1 second' where id = ${expired.sessionId}`.execute(db);
      const idle = await signIn(db, { login: 'sales2', password: PASSWORD });
      await sql`update forma.session set last_seen_at = now() - make_interval(hours => ${SIGN_IN_LIMITS.idleHours}) - interval '1 second' where id = ${idle.sessionId}`.execute(db);
      const stillFresh = await signIn(db, { login: 'sales2', password: PASSWORD });
      await sql`update forma.session set last_seen_at = now() - make_interval(hours => ${SIGN_IN_LIMITS.idleHours}) + interval '1 minute' where id = ${stillFresh.sessionId}`.execute(db);
      expect(await sessionFor(db, stillFresh.token)).toBeDefined();
      await newRows();

      for (const token of [`fs_${'A'.repeat(43)}`, 'forma_not-a-session', ended.token, expired.token, idle.token]) {
        expect(await sessionFor(db, token, '10.0.0.9'), token).toBeUndefined();
      }
      await db.updateTable('forma.user').set({ active: false }).where('login', '=', 'sales2').execute();
      expect(await sessionFor(db, stillFresh.token, '10.0.0.9')).toBeUndefined();
      await db.updateTable('forma.user').set({ active: true }).where('login', '=', 'sales2').execute();

      const rows = await newRows();
      expect(rows.map((r) => [r.action, r.outcome, r.actor_name, r.address, r.details])).toEqual([
        ['session.refused', 'failure', 'anonymous', '10.0.0.9', { reason: 'unknown' }],
        ['session.refused', 'failure', 'anonymous', '10.0.0.9', { reason: 'unknown' }],
        ['session.refused', 'failure', 'sales2', '10.0.0.9', { reason: 'ended', session: ended.sessionId }],
        ['session.refused', 'failure', 'sales2', '10.0.0.9', { reason: 'expired', session: expired.sessionId }],
        ['session.refused', 'failure', 'sales2', '10.0.0.9', { reason: 'idle', session: idle.sessionId }],
        ['session.refused', 'failure', 'sales2', '10.0.0.9', { reason: 'inactive', session: stillFresh.sessionId }],
      ]);
    });

    it('rotates the session on signing in again, and ends it on signing out', async () => {
      const first = await signIn(db, { login: 'sales1', password: PASSWORD, address: '192.168.1.20' });
      const second = await signIn(db, { login: 'sales1', password: PASSWORD, address: '192.168.1.20', previousToken: first.token });
      expect(second.token).not.toBe(first.token);
      expect(second.csrfToken).not.toBe(first.csrfToken);
      expect(await sessionFor(db, first.token)).toBeUndefined();
      expect(await sessionFor(db, second.token)).toBeDefined();
      await signOut(db, second.token, '192.168.1.20');
      await signOut(db, second.token, '192.168.1.20'); // again: nothing changes, nothing logged
      expect(await sessionFor(db, second.token)).toBeUndefined();
      expect((await session(second.sessionId)).ended_at).not.toBeNull();

      const rows = await newRows();
      expect(rows.map((r) => [r.action, r.actor_name, r.address, r.details])).toEqual([
        ['login', 'sales1', '192.168.1.20', { login: 'sales1' }],
        ['login', 'sales1', '192.168.1.20', { login: 'sales1' }],
        ['logout', 'sales1', '192.168.1.20', { session: first.sessionId, reason: 'signed_in_again' }],
        ['session.refused', 'sales1', null, { reason: 'ended', session: first.sessionId }],
        ['logout', 'sales1', '192.168.1.20', { session: second.sessionId, reason: 'signed_out' }],
        ['session.refused', 'sales1', null, { reason: 'ended', session: second.sessionId }],
      ]);
    });

    it('compares the CSRF token of a session, logging a missing or wrong one', async () => {
      const signedIn = await signIn(db, { login: 'sales1', password: PASSWORD });
      const current = (await sessionFor(db, signedIn.token))!;
      expect(await csrfTokenMatches(db, current, signedIn.csrfToken)).toBe(true);
      expect(await csrfTokenMatches(db, current, null, '10.0.0.1')).toBe(false);
      expect(await csrfTokenMatches(db, current, `${signedIn.csrfToken}x`, '10.0.0.1')).toBe(false);
      expect(await csrfTokenMatches(db, current, '', '10.0.0.1')).toBe(false);
      const rows = await newRows();
      expect(rows.slice(1).map((r) => [r.action, r.actor_name, r.details.reason])).toEqual([
        ['session.refused', 'sales1', 'csrf_missing'], ['session.refused', 'sales1', 'csrf_wrong'], ['session.refused', 'sales1', 'csrf_wrong'],
      ]);
    });

    it('locks an account after 5 failures, refusing even the right password until the lock is over', async () => {
      for (let i = 1; i < SIGN_IN_LIMITS.failuresPerLogin; i++) {
        const error = await refusal(signIn(db, { login: 'sales3', password: `wrong-${i}`, address: '198.51.100.1' }));
        expect(error.code).toBe('login_failed');
        expect(error.text.en).toBe('Wrong login or password (after 5 failures within 15 minutes a login is locked for 15 minutes)');
      }
      const locking = await refusal(signIn(db, { login: 'sales3', password: 'wrong-5', address: '198.51.100.1' }));
      expect(locking).toBeInstanceOf(SignInRefused);
      expect(locking).toMatchObject({ code: 'login_locked', retryAfter: 900 });
      expect(locking.text['zh-CN']).toContain('15 分钟后重试');
      const { locked_until: lockedUntil, id } = await db.selectFrom('forma.user').select(['locked_until', 'id']).where('login', '=', 'sales3').executeTakeFirstOrThrow();
      expect(new Date(lockedUntil).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

      const right = await refusal(signIn(db, { login: 'sales3', password: PASSWORD, address: '198.51.100.2' }));
      expect(right).toMatchObject({ code: 'login_locked' });
      expect((right as SignInRefused).retryAfter).toBeGreaterThan(890);
      expect((right as SignInRefused).retryAfter).toBeLessThanOrEqual(900);

      const rows = await newRows();
      expect(rows.map((r) => [r.action, r.actor_id, r.address, r.details.reason])).toEqual([
        ...Array.from({ length: 5 }, () => ['login_failed', id, '198.51.100.1', 'wrong_password']),
        ['login_locked', id, '198.51.100.1', undefined],
        ['login_failed', id, '198.51.100.2', 'locked'],
      ]);
      expect(new Date(rows[5]!.details.until as string)).toEqual(new Date(lockedUntil));

      // Once the lock is over, the right password gets in and clears it.
      await db.updateTable('forma.user').set({ locked_until: sql`now() - interval '1 second'` }).where('id', '=', id).execute();
      await expect(signIn(db, { login: 'sales3', password: PASSWORD })).resolves.toMatchObject({ user: { login: 'sales3' } });
      expect((await db.selectFrom('forma.user').select('locked_until').where('id', '=', id).executeTakeFirstOrThrow()).locked_until).toBeNull();
      // Failures before the last successful sign-in no longer count.
      expect((await refusal(signIn(db, { login: 'sales3', password: 'wrong-7' }))).code).toBe('login_failed');
      await newRows();
    });

    it('locks a login nobody has exactly like an account, so a lock does not tell which logins exist', async () => {
      for (let i = 1; i < SIGN_IN_LIMITS.failuresPerLogin; i++) {
        expect((await refusal(signIn(db, { login: 'zhang.wei', password: `guess-${i}` }))).code).toBe('login_failed');
      }
      expect(await refusal(signIn(db, { login: 'zhang.wei', password: 'guess-5' }))).toMatchObject({ code: 'login_locked', retryAfter: 900 });
      const again = await refusal(signIn(db, { login: 'zhang.wei', password: 'guess-6' }));
      expect(again.code).toBe('login_locked');
      expect((again as SignInRefused).retryAfter).toBeGreaterThan(890);
      const rows = await newRows();
      expect(rows.map((r) => [r.action, r.actor_id, r.actor_name, r.details.reason])).toEqual([
        ...Array.from({ length: 5 }, () => ['login_failed', null, 'zhang.wei', 'unknown_user']),
        ['login_locked', null, 'zhang.wei', undefined],
        ['login_failed', null, 'zhang.wei', 'locked'],
      ]);
    });

    it('refuses an address for the rest of the window after 20 failures from it', async () => {
      for (let i = 1; i <= SIGN_IN_LIMITS.failuresPerAddress; i++) {
        expect((await refusal(signIn(db, { login: `guess${i}`, password: 'password1', address: '203.0.113.50' }))).code).toBe('login_failed');
      }
      const limited = await refusal(signIn(db, { login: 'sales4', password: PASSWORD, address: '203.0.113.50' }));
      expect(limited).toMatchObject({ code: 'login_rate_limited' });
      expect((limited as SignInRefused).retryAfter).toBeGreaterThan(800);
      expect((limited as SignInRefused).retryAfter).toBeLessThanOrEqual(900);
      expect(limited.text.en).toBe('Too many failed sign-ins from this address: try again in 15 minute(s)');
      // Another address is not concerned, and the refusals did not lock sales4.
      await expect(signIn(db, { login: 'sales4', password: PASSWORD, address: '203.0.113.51' })).resolves.toBeDefined();
      const rows = await newRows();
      expect(rows.slice(-2).map((r) => [r.action, r.actor_name, r.address, r.details])).toEqual([
        ['login_failed', 'sales4', '203.0.113.50', { login: 'sales4', reason: 'rate_limited' }],
        ['login', 'sales4', '203.0.113.51', { login: 'sales4' }],
      ]);
    });

    it('refuses a sign-in without a login or password as a bad request, not a failed attempt', async () => {
      const error = await refusal(signIn(db, { login: '', password: 42 as never }));
      expect(error.code).toBe('sign_in_invalid');
      expect(error.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['sign_in_field_invalid /login', 'sign_in_field_invalid /password']);
      expect(await newRows()).toEqual([]);
    });

    it('changes a password after checking the current one, ending the user\'s other sessions', async () => {
      const here = await signIn(db, { login: 'sales4', password: PASSWORD });
      const elsewhere = await signIn(db, { login: 'sales4', password: PASSWORD });
      const actor = (await sessionFor(db, here.token))!.actor;
      const others = await db.selectFrom('forma.session').select('id').where('user_id', '=', actor.id).where('ended_at', 'is', null).where('id', '<>', here.sessionId).execute();
      expect(others.length).toBeGreaterThanOrEqual(1);
      await newRows();

      const wrong = await refusal(changePassword(db, actor, { current: 'not-my-password', next: 'short', session: here.sessionId, address: '192.168.1.30' }));
      expect(wrong.code).toBe('password_change_invalid');
      expect(wrong.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['password_current_wrong /current', 'user_password_invalid /next']);
      const weak = await refusal(changePassword(db, actor, { current: PASSWORD, next: 'short' }));
      expect(weak.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['user_password_invalid /next']);
      expect(await sessionFor(db, elsewhere.token)).toBeDefined();

      await changePassword(db, actor, { current: PASSWORD, next: '新的登录密码-2026', session: here.sessionId, address: '192.168.1.30' });
      expect(await sessionFor(db, here.token)).toBeDefined();
      expect(await sessionFor(db, elsewhere.token)).toBeUndefined();
      expect((await refusal(signIn(db, { login: 'sales4', password: PASSWORD }))).code).toBe('login_failed');
      await expect(signIn(db, { login: 'sales4', password: '新的登录密码-2026' })).resolves.toMatchObject({ user: { login: 'sales4' } });
      await expect(changePassword(db, admin, { current: 'x', next: 'long-enough' })).rejects.toMatchObject({ code: 'user_unknown' });

      const rows = await newRows();
      expect(rows.slice(0, 2).map((r) => [r.action, r.outcome, r.actor_name, r.address, r.details])).toEqual([
        ['user.password', 'failure', 'sales4', '192.168.1.30', { user: actor.id, reason: 'wrong_current' }],
        ['user.password', 'success', 'sales4', '192.168.1.30', { user: actor.id, sessionsEnded: others.length }],
      ]);
      expect(JSON.stringify(rows)).not.toContain('新的登录密码');
    });
  });
}
