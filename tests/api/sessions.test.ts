import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { ADMIN_ROLE, systemActor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { secretHash } from '../../engine/security/secrets.ts';
import { SIGN_IN_LIMITS } from '../../engine/security/sessions.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { apiClient, type Answer, type CallOptions } from '../support/api.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { inputs } from '../support/documents.ts';
import { salesModel } from '../support/sales-model.ts';

const admin = systemActor('test');
const PASSWORD = '销售一的登录密码!';
const OFFICE = '192.168.1.20';

/** The session token a response sets in its cookie. */
function cookieOf(answer: Answer): string {
  const match = /^forma_session=([^;]*);/.exec(answer.headers.get('Set-Cookie') ?? '');
  if (!match) throw new Error(`no session cookie in ${answer.headers.get('Set-Cookie')}`);
  return match[1]!;
}

for (const setup of testDatabases()) {
  describe(`sessions API on ${setup.kind}`, () => {
    let t: TestDatabase;
    let deps: ApiDeps;
    let db: Kysely<any>;
    let seen = 0;

    const { call } = apiClient(() => deps, () => undefined, OFFICE);
    const signIn = (login: string, password: string, options: CallOptions = {}) => call('POST', '/api/v1/session', { ...options, body: { login, password } });
    /** The system log rows written since the last call, oldest first. */
    const newRows = async () => {
      const rows = await db.selectFrom('forma.system_log').select(['id', 'actor_name', 'action', 'address', 'details'])
        .where('id', '>', seen).orderBy('id').execute();
      seen = Number(rows.at(-1)?.id ?? seen);
      return rows.map((r) => [r.action, r.actor_name, r.address, r.details]);
    };
    const customers = async () => Number((await sql<{ n: number }>`select count(*) as n from ws_crm.customer`.execute(db)).rows[0]!.n);

    beforeAll(async () => {
      t = await setup.open();
      db = t.database.db;
      deps = { db, workspace: 'crm' };
      await applyChange(deps, admin, { upsert: inputs(...salesModel()) });
      for (const login of ['sales1', 'sales2', 'sales3']) {
        await createUser(db, admin, { login, displayName: `销售${login.at(-1)}`, password: PASSWORD });
        await setUserRoles(db, admin, 'crm', login, [ADMIN_ROLE]);
      }
      await newRows();
    });
    afterAll(() => t?.cleanup());

    it('signs in with an HttpOnly, SameSite cookie that then authenticates the API', async () => {
      const answer = await signIn('sales1', PASSWORD);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('Cache-Control')).toBe('no-store');
      expect(answer.body).toEqual({
        user: { id: expect.any(String), login: 'sales1', displayName: '销售1' },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        expiresAt: expect.any(String),
      });
      const cookie = answer.headers.get('Set-Cookie')!;
      const maxAge = SIGN_IN_LIMITS.sessionDays * 86_400;
      expect(cookie).toMatch(new RegExp(`^forma_session=fs_[A-Za-z0-9_-]{43}; Path=/; Max-Age=(${maxAge}|${maxAge - 1}); HttpOnly; SameSite=Lax$`));
      const token = cookieOf(answer);
      expect(JSON.stringify(answer.body)).not.toContain(token);
      // Over https the cookie is Secure too.
      expect((await signIn('sales2', PASSWORD, { base: 'https://crm.example.cn' })).headers.get('Set-Cookie')).toMatch(/; Secure$/);

      const me = await call('GET', '/api/v1/session', { cookie: token });
      expect(me).toMatchObject({ status: 200, body: answer.body });
      const list = await call('GET', '/api/v1/records/customer', { cookie: token });
      expect(list).toMatchObject({ status: 200, body: { records: [] } });
      const created = await call('POST', '/api/v1/records/customer', { cookie: token, csrf: answer.body.csrfToken, body: { name: '上海新时代网络科技有限公司' } });
      expect(created.status).toBe(201);
      expect(created.body.owner_id).toBe(answer.body.user.id);

      expect((await call('GET', '/api/v1/session')).status).toBe(401);
      // An API token has no session to show.
      const { token: apiToken } = await createApiToken(db, admin, { login: 'sales1' });
      expect((await call('GET', '/api/v1/session', { headers: { Authorization: `Bearer ${apiToken}` } })).status).toBe(401);
      const rows = await newRows();
      expect(rows.filter(([action]) => action === 'login')).toEqual([
        ['login', 'sales1', OFFICE, { login: 'sales1' }], ['login', 'sales2', OFFICE, { login: 'sales2' }],
      ]);
    });

    it('refuses a change made with the cookie but without the right X-CSRF-Token (403), writing nothing', async () => {
      const answer = await signIn('sales1', PASSWORD);
      const token = cookieOf(answer);
      await newRows();
      const before = await customers();
      for (const csrf of [undefined, 'forged-token', `${answer.body.csrfToken}x`, '']) {
        const refused = await call('POST', '/api/v1/records/customer', { cookie: token, csrf, body: { name: '跨站伪造的客户' } });
        expect(refused.status, String(csrf)).toBe(403);
        expect(refused.body.error).toMatchObject({ code: 'csrf_invalid', message: { 'zh-CN': expect.stringContaining('X-CSRF-Token'), en: expect.stringContaining('X-CSRF-Token') } });
      }
      expect((await call('DELETE', '/api/v1/session', { cookie: token })).status).toBe(403);
      expect((await call('DELETE', '/api/v1/no-such-thing', { cookie: token })).status).toBe(403);
      expect(await customers()).toBe(before);
      expect((await call('GET', '/api/v1/session', { cookie: token })).status).toBe(200);
      expect(await newRows()).toEqual([
        ['session.refused', 'sales1', OFFICE, { reason: 'csrf_missing', session: expect.any(String) }],
        ['session.refused', 'sales1', OFFICE, { reason: 'csrf_wrong', session: expect.any(String) }],
        ['session.refused', 'sales1', OFFICE, { reason: 'csrf_wrong', session: expect.any(String) }],
        ['session.refused', 'sales1', OFFICE, { reason: 'csrf_wrong', session: expect.any(String) }],
        ['session.refused', 'sales1', OFFICE, { reason: 'csrf_missing', session: expect.any(String) }],
        ['session.refused', 'sales1', OFFICE, { reason: 'csrf_missing', session: expect.any(String) }],
      ]);
    });

    it('answers 401 to a forged cookie, and to the old cookie once signing in again rotated it', async () => {
      for (const forged of [`fs_${'A'.repeat(43)}`, 'forma_abc', '']) {
        const answer = await call('GET', '/api/v1/records/customer', { cookie: forged });
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toBe('unauthenticated');
      }
      const first = cookieOf(await signIn('sales2', PASSWORD));
      const again = await signIn('sales2', PASSWORD, { cookie: first });
      const second = cookieOf(again);
      expect(second).not.toBe(first);
      expect((await call('GET', '/api/v1/records/customer', { cookie: first })).status).toBe(401);
      expect((await call('GET', '/api/v1/records/customer', { cookie: second })).status).toBe(200);
      const rows = await newRows();
      expect(rows.slice(0, 3)).toEqual(Array.from({ length: 3 }, () => ['session.refused', 'anonymous', OFFICE, { reason: 'unknown' }]));
      expect(rows.slice(3)).toEqual([
        ['login', 'sales2', OFFICE, { login: 'sales2' }],
        ['login', 'sales2', OFFICE, { login: 'sales2' }],
        ['logout', 'sales2', OFFICE, { session: expect.any(String), reason: 'signed_in_again' }],
        ['session.refused', 'sales2', OFFICE, { reason: 'ended', session: expect.any(String) }],
      ]);
    });

    it('signs out (204, cookie cleared), logged with the address; the cookie is refused afterwards', async () => {
      const answer = await signIn('sales2', PASSWORD);
      const token = cookieOf(answer);
      await newRows();
      const out = await call('DELETE', '/api/v1/session', { cookie: token, csrf: answer.body.csrfToken, address: '10.1.2.3' });
      expect(out.status).toBe(204);
      expect(out.headers.get('Set-Cookie')).toBe('forma_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax');
      expect((await call('GET', '/api/v1/session', { cookie: token })).status).toBe(401);
      expect(await newRows()).toEqual([
        ['logout', 'sales2', '10.1.2.3', { session: expect.any(String), reason: 'signed_out' }],
        ['session.refused', 'sales2', OFFICE, { reason: 'ended', session: expect.any(String) }],
      ]);
    });

    it('refuses an expired or idle session', async () => {
      const expired = await signIn('sales2', PASSWORD);
      const idle = await signIn('sales2', PASSWORD);
      await sql`update forma.session set expires_at = now() - interval '1 second' where token_hash = ${secretHash(cookieOf(expired))}`.execute(db);
      await sql`update forma.session set last_seen_at = now() - interval '13 hours' where token_hash = ${secretHash(cookieOf(idle))}`.execute(db);
      await newRows();
      expect((await call('GET', '/api/v1/session', { cookie: cookieOf(expired) })).status).toBe(401);
      expect((await call('GET', '/api/v1/records/customer', { cookie: cookieOf(idle) })).status).toBe(401);
      expect((await newRows()).map(([action, , , details]) => [action, (details as { reason: string }).reason])).toEqual([
        ['session.refused', 'expired'], ['session.refused', 'idle'],
      ]);
    });

    it('locks an account after 5 wrong passwords (423 with Retry-After), even for the right one next', async () => {
      const failed = await signIn('sales3', 'wrong-password');
      expect(failed.status).toBe(401);
      expect(failed.body.error.code).toBe('login_failed');
      expect(failed.headers.get('Set-Cookie')).toBeNull();
      for (let i = 2; i < SIGN_IN_LIMITS.failuresPerLogin; i++) expect((await signIn('sales3', `wrong-${i}`)).status).toBe(401);
      const locking = await signIn('sales3', 'wrong-5');
      expect(locking.status).toBe(423);
      expect(locking.headers.get('Retry-After')).toBe('900');
      const right = await signIn('sales3', PASSWORD);
      expect(right.status).toBe(423);
      expect(right.body.error).toMatchObject({ code: 'login_locked', message: { en: expect.stringContaining('try again in 15 minute(s)') } });
      expect(Number(right.headers.get('Retry-After'))).toBeGreaterThan(800);
      // A login nobody has answers just the same.
      for (let i = 1; i < SIGN_IN_LIMITS.failuresPerLogin; i++) expect((await signIn('li.na', `guess-${i}`)).status).toBe(401);
      expect((await signIn('li.na', 'guess-5')).status).toBe(423);
      expect((await signIn('li.na', 'guess-6')).status).toBe(423);

      const rows = (await newRows()).map(([action, actor, , details]) => [action, actor, (details as { reason?: string }).reason]);
      expect(rows).toEqual([
        ...Array.from({ length: 5 }, () => ['login_failed', 'sales3', 'wrong_password']),
        ['login_locked', 'sales3', undefined],
        ['login_failed', 'sales3', 'locked'],
        ...Array.from({ length: 5 }, () => ['login_failed', 'li.na', 'unknown_user']),
        ['login_locked', 'li.na', undefined],
        ['login_failed', 'li.na', 'locked'],
      ]);
    });

    it('refuses an address with 429 and Retry-After after 20 failures from it', async () => {
      const address = '203.0.113.77';
      for (let i = 1; i <= SIGN_IN_LIMITS.failuresPerAddress; i++) expect((await signIn(`guess${i}`, 'password1', { address })).status).toBe(401);
      const limited = await signIn('sales1', PASSWORD, { address });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('login_rate_limited');
      expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(800);
      expect(Number(limited.headers.get('Retry-After'))).toBeLessThanOrEqual(900);
      expect((await signIn('sales1', PASSWORD, { address: '203.0.113.78' })).status).toBe(200);
      expect((await newRows()).slice(-2)).toEqual([
        ['login_failed', 'sales1', address, { login: 'sales1', reason: 'rate_limited' }],
        ['login', 'sales1', '203.0.113.78', { login: 'sales1' }],
      ]);
    });

    it('refuses a sign-in without login or password as a bad request', async () => {
      const answer = await call('POST', '/api/v1/session', { body: { username: 'sales1', password: PASSWORD } });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'sign_in_invalid', problems: [{ code: 'sign_in_field_invalid', path: '/login' }] });
      expect((await call('POST', '/api/v1/session', { body: ['sales1'] })).status).toBe(400);
      expect((await call('PATCH', '/api/v1/session')).status).toBe(405);
    });

    it('changes the password: a wrong current one is a problem at /current; other sessions end, this one stays', async () => {
      const here = await signIn('sales1', PASSWORD);
      const elsewhere = cookieOf(await signIn('sales1', PASSWORD));
      const token = cookieOf(here);
      await newRows();
      const wrong = await call('POST', '/api/v1/session/password', { cookie: token, csrf: here.body.csrfToken, body: { current: 'not-my-password', next: '新的登录密码-2026' } });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toMatchObject({ code: 'password_change_invalid', problems: [{ code: 'password_current_wrong', path: '/current' }] });
      expect((await call('POST', '/api/v1/session/password', { cookie: token, body: { current: PASSWORD, next: '新的登录密码-2026' } })).status).toBe(403);
      expect((await call('GET', '/api/v1/session', { cookie: elsewhere })).status).toBe(200);

      const changed = await call('POST', '/api/v1/session/password', { cookie: token, csrf: here.body.csrfToken, body: { current: PASSWORD, next: '新的登录密码-2026' } });
      expect(changed.status).toBe(204);
      expect((await call('GET', '/api/v1/session', { cookie: elsewhere })).status).toBe(401);
      expect((await call('GET', '/api/v1/session', { cookie: token })).status).toBe(200);
      expect((await signIn('sales1', PASSWORD)).status).toBe(401);
      expect((await signIn('sales1', '新的登录密码-2026')).status).toBe(200);

      const rows = await newRows();
      expect(rows.slice(0, 2)).toEqual([
        ['user.password', 'sales1', OFFICE, { user: here.body.user.id, reason: 'wrong_current' }],
        ['session.refused', 'sales1', OFFICE, { reason: 'csrf_missing', session: expect.any(String) }],
      ]);
      expect(rows[2]).toEqual(['user.password', 'sales1', OFFICE, { user: here.body.user.id, sessionsEnded: expect.any(Number) }]);
      expect(JSON.stringify(rows)).not.toContain('新的登录密码');
    });
  });
}
