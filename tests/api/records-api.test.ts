import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorResponse, statusOf } from '../../app/api/errors.server.ts';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { preferredLocale } from '../../app/api/locale.server.ts';
import { openApiDocument } from '../../app/api/openapi.server.ts';
import { ADMIN_ROLE, systemActor } from '../../engine/security/actor.ts';
import { actorForToken, createApiToken, revokeApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { unrestricted } from '../../engine/security/access.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { apiClient } from '../support/api.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { field, inputs, L } from '../support/documents.ts';
import { salesModel } from '../support/sales-model.ts';

const admin = systemActor('test');

const model = salesModel({ wechat: field({ type: 'text', label: L('微信号', 'WeChat') }) });

for (const setup of testDatabases()) {
  describe(`REST API on ${setup.kind}`, () => {
    let t: TestDatabase;
    let deps: ApiDeps;
    let token: string;

    const { call, get, post, patch } = apiClient(() => deps, () => token);

    beforeAll(async () => {
      t = await setup.open();
      deps = { db: t.database.db, workspace: 'crm' };
      await applyChange(deps, admin, { upsert: inputs(...model) });
      await createUser(deps.db, admin, { login: 'sales1', displayName: '销售一' });
      // The API's mechanics, as an administrator: what roles allow is tests/api/permissions.test.ts's.
      await setUserRoles(deps.db, admin, 'crm', 'sales1', [ADMIN_ROLE]);
      ({ token } = await createApiToken(deps.db, admin, { login: 'sales1', label: 'API 测试' }));
    });
    afterAll(() => t?.cleanup());

    it('answers 401 with WWW-Authenticate without a valid token: none, malformed, unknown, expired, revoked, deactivated user', async () => {
      const expired = await createApiToken(deps.db, admin, { login: 'sales1' });
      await sql`update forma.api_token set expires_at = now() - interval '1 second' where id = ${expired.id}`.execute(deps.db);
      const revoked = await createApiToken(deps.db, admin, { login: 'sales1' });
      await revokeApiToken(deps.db, admin, revoked.id);
      await createUser(deps.db, admin, { login: 'left.company', displayName: '已离职' });
      const inactive = await createApiToken(deps.db, admin, { login: 'left.company' });
      await sql`update forma."user" set active = false where login = 'left.company'`.execute(deps.db);
      const unknown = `forma_${'A'.repeat(43)}`;

      for (const bad of [null, 'nonsense', unknown, expired.token, revoked.token, inactive.token, `${token}x`, "' or 1=1 --"]) {
        for (const path of ['/api/v1/records/customer', '/api/v1/openapi.json', '/api/v1/records/no_such_entity']) {
          const answer = await get(path, { token: bad });
          expect(answer.status, `${bad} ${path}`).toBe(401);
          expect(answer.headers.get('WWW-Authenticate')).toBe('Bearer');
          expect(answer.body.error).toMatchObject({ code: 'unauthenticated', message: { 'zh-CN': expect.any(String), en: expect.any(String) }, problems: [] });
        }
      }
      // A Basic header, or the token without its scheme, is not a bearer token either.
      expect((await get('/api/v1/records/customer', { token: null, headers: { Authorization: `Basic ${token}` } })).status).toBe(401);
      expect((await get('/api/v1/records/customer', { token: null, headers: { Authorization: token } })).status).toBe(401);
      expect((await get('/api/v1/records/customer', { token: null, headers: { Authorization: `bearer  ${token}` } })).status).toBe(200);
    });

    it('stores only the hash of a token and notes its use at most once a minute', async () => {
      const created = await createApiToken(deps.db, admin, { login: 'sales1', days: 7 });
      expect(created.token).toMatch(/^forma_[A-Za-z0-9_-]{43}$/);
      expect(created.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
      const row = await deps.db.selectFrom('forma.api_token').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(created.token.slice(6));
      expect(row.last_used_at).toBeNull();

      expect(await actorForToken(deps.db, created.token)).toMatchObject({ name: 'sales1', kind: 'user' });
      const first = (await deps.db.selectFrom('forma.api_token').select('last_used_at').where('id', '=', created.id).executeTakeFirstOrThrow()).last_used_at;
      expect(first).not.toBeNull();
      await actorForToken(deps.db, created.token);
      const second = (await deps.db.selectFrom('forma.api_token').select('last_used_at').where('id', '=', created.id).executeTakeFirstOrThrow()).last_used_at;
      expect(new Date(second).getTime()).toBe(new Date(first).getTime());
      await sql`update forma.api_token set last_used_at = now() - interval '2 minutes' where id = ${created.id}`.execute(deps.db);
      await actorForToken(deps.db, created.token);
      const third = (await deps.db.selectFrom('forma.api_token').select('last_used_at').where('id', '=', created.id).executeTakeFirstOrThrow()).last_used_at;
      expect(Date.now() - new Date(third).getTime()).toBeLessThan(30_000);

      for (const bad of [{ days: 0 }, { days: 3651 }, { days: 1.5 }]) {
        await expect(createApiToken(deps.db, admin, { login: 'sales1', ...bad })).rejects.toMatchObject({ code: 'token_days_invalid' });
      }
      await expect(createApiToken(deps.db, admin, { login: 'nobody' })).rejects.toMatchObject({ code: 'user_unknown' });
      await expect(revokeApiToken(deps.db, admin, "x' or '1'='1")).rejects.toMatchObject({ code: 'token_unknown' });
      await expect(createUser(deps.db, admin, { login: 'sales1', displayName: '重复' })).rejects.toMatchObject({ code: 'user_login_taken' });
      const invalid = await createUser(deps.db, admin, { login: 'Zhang San', displayName: ' ' }).catch((e: unknown) => e);
      expect(invalid).toMatchObject({ code: 'user_invalid', problems: [{ code: 'user_login_invalid', path: '/login' }, { code: 'user_display_name_invalid', path: '/displayName' }] });
    });

    it('creates (201 + Location), reads, and lists with filter, sort, cursor and page number', async () => {
      const created = await post('/api/v1/records/customer', { name: '上海新时代网络科技有限公司', phone: '021-6888 1234', level: 'A' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: '上海新时代网络科技有限公司', level: 'A', version: 1, created_by: expect.any(String) });
      expect(created.body.code).toMatch(/^KH\d{4}-\d{5}$/);
      const location = created.headers.get('Location')!;
      expect(location).toBe(`http://forma.test/api/v1/records/customer/${created.body.id}`);
      const read = await get(location);
      expect(read).toMatchObject({ status: 200, body: created.body });
      expect(read.headers.get('Cache-Control')).toBe('no-store');
      // The record is the token's user's: the engine got the actor from the token.
      const user = await deps.db.selectFrom('forma.user').select('id').where('login', '=', 'sales1').executeTakeFirstOrThrow();
      expect(created.body.owner_id).toBe(user.id);

      for (const [name, level] of [['北京华远贸易', 'A'], ['深圳光明电子', 'B'], ['广州天河商贸', 'A'], ['杭州西湖软件', 'A']]) {
        expect((await post('/api/v1/records/customer', { name, level })).status).toBe(201);
      }
      const filter = encodeURIComponent(JSON.stringify({ field: 'level', op: 'eq', value: 'A' }));
      const first = await get(`/api/v1/records/customer?filter=${filter}&sort=name&size=2&count=true&fields=name,level`);
      expect(first.status).toBe(200);
      expect(first.body.total).toEqual({ value: 4, exact: true });
      expect(first.body.records).toHaveLength(2);
      expect(first.body.records[0]).not.toHaveProperty('phone');
      const second = await get(`/api/v1/records/customer?filter=${filter}&sort=name&size=2&after=${first.body.next}&fields=name,level`);
      const byNumber = await get(`/api/v1/records/customer?filter=${filter}&sort=name&size=2&page=2&fields=name,level`);
      expect(byNumber.body.records).toEqual(second.body.records);
      expect(second.body.next).toBeUndefined();
      const onePage = await get(`/api/v1/records/customer?filter=${filter}&sort=name&fields=name,level`);
      const names = onePage.body.records.map((r: { name: string }) => r.name);
      expect([...first.body.records, ...second.body.records].map((r: { name: string }) => r.name)).toEqual(names);
      expect(names).toHaveLength(4);
      expect(onePage.body.records.every((r: { level: string }) => r.level === 'A')).toBe(true);
      const descending = await get(`/api/v1/records/customer?filter=${filter}&sort=-name`);
      expect(descending.body.records.map((r: { name: string }) => r.name)).toEqual([...names].reverse());

      const queried = await post('/api/v1/records/customer/query', {
        filter: { field: 'level', op: 'eq', value: 'A' }, sort: [{ field: 'name' }], page: { size: 2 }, fields: ['name', 'level'], count: true,
      });
      expect(queried.body).toEqual(first.body);
    });

    it('changes a record at the version read, and answers 409 naming the current version when it is stale', async () => {
      const { body: c } = await post('/api/v1/records/customer', { name: '成都天府科技' });
      const changed = await patch(`/api/v1/records/customer/${c.id}`, { phone: '028-8888 0000', version: 1 });
      expect(changed).toMatchObject({ status: 200, body: { phone: '028-8888 0000', version: 2 } });
      const stale = await patch(`/api/v1/records/customer/${c.id}`, { phone: '028-0000', version: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('record_conflict');
      expect(stale.body.error.message.en).toContain('it is now version 2 (sales1');
      expect(stale.body.error.message['zh-CN']).toContain('当前为版本 2');
      const missing = await patch(`/api/v1/records/customer/${c.id}`, { phone: '028-0000' });
      expect(missing).toMatchObject({ status: 400, body: { error: { code: 'record_version_required' } } });
      for (const body of [[], 'text', 42, null]) {
        const answer = await patch(`/api/v1/records/customer/${c.id}`, body);
        expect(answer).toMatchObject({ status: 400, body: { error: { code: 'record_invalid', problems: [{ code: 'document_not_object' }] } } });
      }
      expect((await get(`/api/v1/records/customer/${c.id}`)).body).toMatchObject({ phone: '028-8888 0000', version: 2 });
    });

    it('saves a quote with its lines through the parent, with formulas computed; line items are not written directly', async () => {
      const { body: c } = await post('/api/v1/records/customer', { name: '武汉光谷电子' });
      const { body: pc } = await post('/api/v1/records/product', { name: 'Dell Vostro 3910', price: 5000 });
      const quote = await post('/api/v1/records/quote', {
        customer: c.id,
        lines: [{ product: pc.id, qty: 20, unit_price: 5000 }, { product: pc.id, qty: 3, unit_price: 1999.99, discount: 12.5 }],
      });
      expect(quote.status).toBe(201);
      expect(quote.body).toMatchObject({ total: 105249.97, _labels: { customer: '武汉光谷电子' } });
      expect(quote.body.lines.map((l: { amount: number }) => l.amount)).toEqual([100000, 5249.97]);
      const direct = await post('/api/v1/records/quote_line', { qty: 1, unit_price: 1 });
      expect(direct).toMatchObject({ status: 400, body: { error: { code: 'line_entity_direct' } } });
      const computed = await post('/api/v1/records/quote', { customer: c.id, total: 1, lines: [{ qty: 0, unit_price: 1, amount: 5 }] });
      expect(computed.status).toBe(400);
      expect(computed.body.error.problems.map((p: { path: string }) => p.path).sort()).toEqual(['/lines/0/amount', '/lines/0/qty', '/total']);
    });

    it('moves to the recycle bin (204), restores (200), purges only from the bin (204), and keeps the history', async () => {
      const { body: c } = await post('/api/v1/records/customer', { name: '南京紫金软件', phone: '025-1' });
      const path = `/api/v1/records/customer/${c.id}`;
      expect((await call('DELETE', `${path}?version=9`)).status).toBe(409);
      expect((await post(`${path}/purge`)).body.error.code).toBe('record_not_deleted');
      const deleted = await call('DELETE', `${path}?version=1`);
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();
      expect((await get(path)).status).toBe(404);
      expect((await get(`${path}?deleted=include`)).body.deleted_at).not.toBeNull();
      expect((await call('DELETE', path)).body.error.code).toBe('record_deleted');
      expect((await patch(path, { phone: '1', version: 2 })).status).toBe(409);
      const bin = await get('/api/v1/records/customer?deleted=only');
      expect(bin.body.records.map((r: { id: string }) => r.id)).toContain(c.id);

      const restored = await post(`${path}/restore`);
      expect(restored).toMatchObject({ status: 200, body: { id: c.id, deleted_at: null, version: 3 } });
      expect((await post(`${path}/restore`)).status).toBe(409);

      const history = await get(`${path}/history`);
      expect(history.status).toBe(200);
      expect(history.body.history.map((h: { operation: string; actor: { name: string } }) => [h.operation, h.actor.name])).toEqual([
        ['create', 'sales1'], ['delete', 'sales1'], ['restore', 'sales1'],
      ]);
      expect(history.body.history[0].changes).toMatchObject({ name: [null, '南京紫金软件'], phone: [null, '025-1'] });

      expect((await call('DELETE', path)).status).toBe(204);
      expect((await post(`${path}/purge`)).status).toBe(204);
      expect((await get(`${path}?deleted=include`)).status).toBe(404);
      expect((await get(`${path}/history`)).status).toBe(404);
    });

    it('searches, finds similar records, finds the caller by phone, and runs batches', async () => {
      const a = await post('/api/v1/records/customer', { name: '成都新时代网络有限公司', phone: '028-8765 4321', level: 'B' });
      const b = await post('/api/v1/records/customer', { name: '成都天府软件', phone: '+86 139 0000 1234', level: 'B' });
      const search = await get(`/api/v1/records/customer/search?q=${encodeURIComponent('成都新时代')}`);
      expect(search.status).toBe(200);
      expect(search.body.hits[0]).toMatchObject({ id: a.body.id, label: '成都新时代网络有限公司', matched: ['name'] });
      const similar = await post('/api/v1/records/customer/similar', { values: { name: '新时代网络', phone: '02887654321' }, except: b.body.id });
      expect(similar.body.hits.map((h: { id: string }) => h.id)).toContain(a.body.id);
      const caller = await get(`/api/v1/phone-lookup?number=${encodeURIComponent('13900001234')}`);
      expect(caller.body.matches).toMatchObject([{ entity: 'customer', field: 'phone', record: { id: b.body.id, name: '成都天府软件' } }]);

      const batch = await post('/api/v1/records/customer/batch', { ids: [a.body.id, b.body.id], action: { type: 'updateField', field: 'level', value: 'VIP' } });
      expect(batch).toMatchObject({ status: 200, body: { changed: 2 } });
      expect((await get(`/api/v1/records/customer/${a.body.id}`)).body).toMatchObject({ level: 'VIP', version: 2 });
      const bad = await post('/api/v1/records/customer/batch', { ids: ['nope'], action: { type: 'updateField', field: 'level', value: 'Z' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems.map((p: { path: string }) => p.path)).toEqual(['/ids/0']);

      expect((await get('/api/v1/records/customer/search')).status).toBe(400);
      expect((await get('/api/v1/records/customer/search?q=x&limit=1000')).status).toBe(400);
      expect((await get('/api/v1/phone-lookup')).status).toBe(400);
      expect((await post('/api/v1/records/customer/similar', { values: 'name' })).status).toBe(400);
      expect((await post('/api/v1/records/customer/batch', [1, 2])).status).toBe(400);
      expect((await get('/api/v1/records/nothing/search?q=x')).status).toBe(404);
      expect((await get('/api/v1/phone-lookup?number=1', { token: null })).status).toBe(401);
    });

    it('answers 404 for unknown entities, records and addresses', async () => {
      const none = '0190f1a2-0000-7000-8000-00000000ffff';
      for (const [method, path] of [
        ['GET', '/api/v1/records/spaceship'], ['POST', '/api/v1/records/spaceship'], ['GET', `/api/v1/records/spaceship/${none}`],
        ['GET', `/api/v1/records/customer/${none}`], ['PATCH', `/api/v1/records/customer/${none}`], ['DELETE', `/api/v1/records/customer/${none}`],
        ['POST', `/api/v1/records/customer/${none}/restore`], ['GET', `/api/v1/records/customer/${none}/history`],
        ['GET', '/api/v1/records/customer/not-a-uuid'],
      ] as const) {
        const answer = await call(method, path, method === 'GET' || method === 'DELETE' ? {} : { body: { name: 'x', version: 1 } });
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(['entity_unknown', 'record_not_found']).toContain(answer.body.error.code);
      }
      for (const path of ['/api/v2/records/customer', '/api/v1/records', '/api/v1/records/customer/x/y/z']) {
        expect(await get(path), path).toMatchObject({ status: 404, body: { error: { code: 'api_route_unknown' } } });
        expect((await get(path, { token: null })).status, path).toBe(401);
      }
    });

    it('answers 400 listing every field problem of a bad record, by label in both languages', async () => {
      const answer = await post('/api/v1/records/customer', {
        name: 'x'.repeat(101), phone: 'call me', level: 'Z', credit_limit: '很多', nickname: 'x', code: 'KH1',
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('record_invalid');
      expect(answer.body.error.problems.map((p: { code: string; path: string }) => `${p.code} ${p.path}`).sort()).toEqual([
        'field_not_in_entity /nickname', 'field_read_only /code',
        'field_value_invalid /credit_limit', 'field_value_invalid /level', 'field_value_invalid /name', 'field_value_invalid /phone',
      ]);
      const name = answer.body.error.problems.find((p: { path: string }) => p.path === '/name');
      expect(name.message['zh-CN']).toMatch(/^客户名称：/);
      expect(name.message.en).toMatch(/^Customer name: /);
      expect((await post('/api/v1/records/customer', {})).body.error.problems).toMatchObject([{ path: '/name' }]);
    });

    it('refuses malformed JSON (400), other media types (415), bodies over 1 MiB (413), other methods (405) and unknown parameters (400)', async () => {
      const malformed = await call('POST', '/api/v1/records/customer', { raw: '{ "name": "x",\n  "phone": }', headers: { 'Content-Type': 'application/json' } });
      expect(malformed.status).toBe(400);
      expect(malformed.body.error).toMatchObject({ code: 'json_malformed', problems: [{ code: 'json_malformed', source: 'body' }] });
      expect(malformed.body.error.message.en).toMatch(/line 2/);
      const empty = await call('POST', '/api/v1/records/customer', { raw: '', headers: { 'Content-Type': 'application/json' } });
      expect(empty.body.error.code).toBe('json_malformed');
      const latin1 = await call('POST', '/api/v1/records/customer', { raw: new Uint8Array([0x7b, 0xff, 0x7d]), headers: { 'Content-Type': 'application/json' } });
      expect(latin1.body.error.code).toBe('json_malformed');
      const badFilter = await get('/api/v1/records/customer?filter={"field":');
      expect(badFilter).toMatchObject({ status: 400, body: { error: { code: 'json_malformed', problems: [{ source: 'filter' }] } } });

      for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
        const answer = await call('POST', '/api/v1/records/customer', { raw: '{"name":"x"}', headers: type ? { 'Content-Type': type } : {} });
        expect(answer.status, type).toBe(415);
        expect(answer.body.error.code).toBe('media_type_unsupported');
      }
      expect((await call('POST', '/api/v1/records/customer', { raw: '{"name":"类型带参数"}', headers: { 'Content-Type': 'application/json; charset=UTF-8' } })).status).toBe(201);

      const big = JSON.stringify({ name: 'x', phone: '1'.repeat(1024 * 1024) });
      const declared = await call('POST', '/api/v1/records/customer', { raw: big, headers: { 'Content-Type': 'application/json', 'Content-Length': String(big.length) } });
      expect(declared).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
      // No Content-Length (chunked): counted while reading, and reading stops there.
      let sent = 0;
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > 4 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const counted = await call('PATCH', '/api/v1/records/customer/0190f1a2-0000-7000-8000-00000000ffff', { raw: stream, headers: { 'Content-Type': 'application/json' } });
      expect(counted).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
      expect(sent).toBeLessThan(2 * 1024 * 1024);
      const small = JSON.stringify({ name: 'just under 1 MiB', phone: null }).padEnd(1024 * 1024, ' ');
      expect((await call('POST', '/api/v1/records/customer', { raw: small, headers: { 'Content-Type': 'application/json' } })).status).toBe(201);

      for (const [method, path, allow] of [
        ['PUT', '/api/v1/records/customer/0190f1a2-0000-7000-8000-00000000ffff', 'GET, PATCH, DELETE'],
        ['DELETE', '/api/v1/records/customer', 'GET, POST'],
        ['GET', '/api/v1/records/customer/query', 'POST'],
        ['POST', '/api/v1/openapi.json', 'GET'],
      ] as const) {
        const answer = await call(method, path, { token: null });
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.get('Allow')).toBe(allow);
        expect(answer.body.error.code).toBe('method_not_allowed');
      }

      expect((await get('/api/v1/records/customer?sizee=10')).body.error).toMatchObject({ code: 'parameter_unknown' });
      expect((await get('/api/v1/records/customer?size=1&size=2')).body.error).toMatchObject({ code: 'parameter_invalid' });
      expect((await get('/api/v1/records/customer/0190f1a2-0000-7000-8000-00000000ffff?deleted=yes')).status).toBe(400);
      expect((await call('DELETE', '/api/v1/records/customer/0190f1a2-0000-7000-8000-00000000ffff?version=abc')).status).toBe(400);
      const query = await get('/api/v1/records/customer?size=1000&page=0&count=maybe&deleted=all&sort=nope');
      expect(query.status).toBe(400);
      expect(query.body.error.code).toBe('query_invalid');
      expect(query.body.error.problems.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['/page/size', '/page/number', '/count', '/deleted']));
    });

    it('treats injection strings in entity names, ids, parameters and bodies as names or values, never as SQL', async () => {
      const evil = ["x'); drop table ws_crm.customer; --", 'customer; drop table x', '../../etc/passwd', '%00', '"customer"', 'customer\u0000', '<script>alert(1)</script>'];
      for (const name of evil) {
        const path = `/api/v1/records/${encodeURIComponent(name)}`;
        for (const answer of [await get(path), await post(path, { name: 'x' }), await get(`${path}/0190f1a2-0000-7000-8000-00000000ffff`)]) {
          expect(answer.status, name).toBe(404);
          expect(answer.body.error.code).toBe('entity_unknown');
        }
      }
      for (const id of ["1' or '1'='1", '0190f1a2-0000-7000-8000-00000000ffff; drop table x', '%27', '../customer']) {
        const answer = await get(`/api/v1/records/customer/${encodeURIComponent(id)}`);
        expect(answer.status, id).toBe(404);
        expect(answer.body.error.code).toBe('record_not_found');
      }
      const values = ["x' or '1'='1", "'; drop table ws_crm.customer; --", '%', '_', '\\', '客户\'"', '$1', ')', '\u2028', '𠮷'];
      for (const value of values) {
        const created = await post('/api/v1/records/customer', { name: value, phone: null });
        expect(created.status, value).toBe(201);
        expect((await get(`/api/v1/records/customer/${created.body.id}`)).body.name).toBe(value);
      }
      for (const value of values) {
        const filter = encodeURIComponent(JSON.stringify({ field: 'name', op: 'contains', value }));
        const answer = await get(`/api/v1/records/customer?filter=${filter}&sort=name`);
        expect(answer.status, value).toBe(200);
        expect(answer.body.records.length, value).toBeGreaterThan(0);
        for (const record of answer.body.records) expect(record.name).toContain(value);
      }
      for (const sort of ['name; drop table x', "name'--", 'name desc', '(select 1)']) {
        const answer = await get(`/api/v1/records/customer?sort=${encodeURIComponent(sort)}`);
        expect(answer.status, sort).toBe(400);
        expect(answer.body.error.code).toBe('query_invalid');
      }
      const fieldsInjection = await get(`/api/v1/records/customer?fields=${encodeURIComponent('name,(select password from x)')}`);
      expect(fieldsInjection.body.error.code).toBe('query_invalid');
      for (const depth of [100, 5_000, 100_000]) {
        const deep = `{"filter":${'{"not":'.repeat(depth)}{"field":"name","op":"eq","value":"x"}${'}'.repeat(depth)}}`;
        const tooDeep = await call('POST', '/api/v1/records/customer/query', { raw: deep, headers: { 'Content-Type': 'application/json' } });
        expect(tooDeep.status, `depth ${depth}`).toBe(400);
        expect(['query_invalid', 'json_malformed']).toContain(tooDeep.body.error.code);
      }

      // Values JSON accepts but PostgreSQL would refuse are field problems too, not database errors.
      const refused = await post('/api/v1/records/customer', { name: 'a\u0000b' });
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'record_invalid', problems: [{ path: '/name' }] } } });
      const proto = await call('POST', '/api/v1/records/customer', { raw: '{"name":"原型","__proto__":{"admin":true},"constructor":{"x":1}}', headers: { 'Content-Type': 'application/json' } });
      expect(proto.status).toBe(400);
      expect(proto.body.error.problems.map((p: { path: string }) => p.path).sort()).toEqual(['/__proto__', '/constructor']);
      expect(({} as Record<string, unknown>).admin).toBeUndefined();
      expect((await get('/api/v1/records/customer?size=1')).status).toBe(200); // the table is still there
    });

    it('publishes an OpenAPI 3.1 document of the current model that holds together', async () => {
      const answer = await get('/api/v1/openapi.json');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('Content-Language')).toBe('zh-CN');
      const doc = answer.body;
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
      expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
      expect(doc.security).toEqual([{ bearer: [] }]);
      expect(structuralProblems(doc)).toEqual([]);

      const schemas = doc.components.schemas;
      for (const name of ['Customer', 'CustomerCreate', 'CustomerUpdate', 'Product', 'Quote', 'QuoteCreate', 'QuoteUpdate', 'QuoteLine', 'QuoteLineCreate', 'Error', 'RecordQuery']) {
        expect(schemas, name).toHaveProperty([name]);
      }
      expect(Object.keys(doc.paths)).not.toContain('/api/v1/records/quote_line');
      expect(doc.paths['/api/v1/records/customer'].post.operationId).toBe('customer.create');
      expect(doc.paths['/api/v1/records/quote/{id}'].patch.operationId).toBe('quote.update');
      expect(Object.keys(doc.paths['/api/v1/records/customer'].post.responses).sort()).toEqual(['201', '400', '401', '404', '413', '415']);
      expect(doc.paths['/api/v1/records/customer/{id}'].patch.responses['409']).toEqual({ $ref: '#/components/responses/Conflict' });
      expect(doc.paths['/api/v1/records/customer/export'].get.operationId).toBe('customer.export');
      expect(Object.keys(doc.paths['/api/v1/records/customer/export'].get.responses['200'].content).sort())
        .toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv']);

      // Formulas and numbers Forma draws are read, never written; an update needs its version.
      expect(schemas.Customer.properties.code).toBeDefined();
      expect(schemas.CustomerCreate.properties).not.toHaveProperty('code');
      expect(schemas.QuoteCreate.properties).not.toHaveProperty('total');
      expect(schemas.QuoteLineCreate.properties).not.toHaveProperty('amount');
      expect(schemas.CustomerCreate.required).toEqual(['name']);
      expect(schemas.CustomerUpdate.required).toEqual(['version']);
      expect(schemas.Quote.properties.lines.items).toEqual({ $ref: '#/components/schemas/QuoteLine' });
      expect(schemas.QuoteCreate.properties.lines.items).toEqual({ $ref: '#/components/schemas/QuoteLineCreate' });
      expect(schemas.RecordQuery.properties.filter).toEqual({ $ref: '#/components/schemas/listView.filter' });
      expect(JSON.stringify(doc)).not.toContain('x-forma');

      // What the API returns and accepts fits what it publishes.
      const fits = schemaChecker(doc);
      const { body: c } = await post('/api/v1/records/customer', { name: '西安古城文化', phone: null, credit_limit: 1000 });
      const { body: q } = await post('/api/v1/records/quote', { customer: c.id, lines: [{ qty: 2, unit_price: 3 }] });
      expect(fits('Customer', c)).toEqual([]);
      expect(fits('Quote', q)).toEqual([]);
      expect(fits('CustomerCreate', { name: '西安古城文化', phone: null, credit_limit: 1000 })).toEqual([]);
      expect(fits('CustomerCreate', { name: 'x', code: 'KH1' })).not.toEqual([]);
      expect(fits('QuoteUpdate', { lines: [{ id: q.lines[0].id, qty: 3, unit_price: 3 }], version: q.version })).toEqual([]);
      for (const record of (await get('/api/v1/records/customer?size=5')).body.records) expect(fits('Customer', record)).toEqual([]);
      expect(fits('RecordQuery', { filter: { and: [{ field: 'level', op: 'in', value: ['A'] }] }, page: { size: 5 } })).toEqual([]);
      expect(fits('Error', (await post('/api/v1/records/customer', {})).body.error)).toEqual([]);
    });

    it('describes the metadata API to administrators only and the print API to whoever may print, as they answer', async () => {
      const doc = (await get('/api/v1/openapi.json')).body;
      expect(structuralProblems(doc)).toEqual([]);
      const operationIds = (prefix: string) => Object.entries<any>(doc.paths).filter(([path]) => path.startsWith(prefix))
        .flatMap(([path, item]) => Object.entries<any>(item).filter(([, o]) => o.operationId).map(([method, o]) => `${method} ${path} ${o.operationId}`));
      expect(operationIds('/api/v1/metadata')).toEqual([
        'get /api/v1/metadata metadata.documents',
        'post /api/v1/metadata/plan metadata.plan',
        'post /api/v1/metadata/apply metadata.apply',
        'get /api/v1/metadata/history metadata.history',
        'get /api/v1/metadata/history/{version} metadata.version',
        'post /api/v1/metadata/rollback metadata.rollback',
      ]);
      expect(operationIds('/api/v1/print')).toEqual([
        'get /api/v1/print/templates print.templates',
        'get /api/v1/print/{template}/{id} print.record',
        'post /api/v1/print/{template}/jobs print.submitJob',
        'get /api/v1/print/jobs/{id} print.job',
        'get /api/v1/print/jobs/{id}/pdf print.jobPdf',
      ]);
      expect(doc.paths['/api/v1/metadata/apply'].post.responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
      expect(Object.keys(doc.paths['/api/v1/print/{template}/{id}'].get.responses['200'].content)).toEqual(['application/pdf']);
      expect(doc.paths['/api/v1/print/{template}/jobs'].post.responses['202'].headers).toHaveProperty('Location');

      // What the metadata and print APIs answer fits what the document publishes.
      const fits = schemaChecker(doc);
      const salesperson = {
        kind: 'role', name: 'salesperson', label: L('销售员', 'Salesperson'),
        permissions: { customer: { read: true, create: true, update: true, print: true, scope: 'own' } },
      };
      const viewer = { kind: 'role', name: 'viewer', label: L('查看者', 'Viewer'), permissions: { customer: { read: true, scope: 'all' } } };
      const card = { kind: 'printTemplate', name: 'customer_card', label: L('客户卡片', 'Customer card'), entity: 'customer', paper: 'A5', source: '<h1>{{record.name}}</h1>' };
      const plan = await post('/api/v1/metadata/plan', { upsert: [salesperson, viewer, card] });
      expect(plan.status, JSON.stringify(plan.body)).toBe(200);
      expect(fits('MetadataPlan', plan.body)).toEqual([]);
      const applied = await post('/api/v1/metadata/apply', { upsert: [salesperson, viewer, card], baseVersion: plan.body.baseVersion, reason: 'OpenAPI 测试' });
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      expect(fits('MetadataApplied', applied.body)).toEqual([]);
      const current = (await get('/api/v1/metadata')).body;
      expect(current.version).toBe(applied.body.version);
      for (const document of current.documents) expect(fits('MetadataDocument', document)).toEqual([]);
      const { versions } = (await get('/api/v1/metadata/history')).body;
      for (const version of versions) expect(fits('MetadataVersion', version), String(version.version)).toEqual([]);
      const { changes } = (await get(`/api/v1/metadata/history/${applied.body.version}`)).body;
      expect(changes).toHaveLength(3);
      for (const change of changes) expect(fits('DocumentChange', change)).toEqual([]);
      const { templates } = (await get('/api/v1/print/templates')).body;
      expect(templates.map((template: { name: string }) => template.name)).toEqual(['customer_card']);
      expect(fits('PrintTemplate', templates[0])).toEqual([]);
      expect((await post('/api/v1/metadata/apply', { upsert: [viewer], baseVersion: plan.body.baseVersion })).status).toBe(409);

      // A salesperson may print customers but not change the metadata; a viewer may do neither.
      const documentOf = async (login: string, role: string) => {
        await createUser(deps.db, admin, { login, displayName: login });
        await setUserRoles(deps.db, admin, 'crm', login, [role]);
        const own = await get('/api/v1/openapi.json', { token: (await createApiToken(deps.db, admin, { login })).token });
        expect(structuralProblems(own.body), login).toEqual([]);
        return own.body;
      };
      const shown = (document: any, prefix: string) => Object.keys(document.paths).filter((path) => path.startsWith(prefix));
      const sales = await documentOf('sales.openapi', 'salesperson');
      expect(shown(sales, '/api/v1/metadata')).toEqual([]);
      // Without the export right, no export.
      expect(shown(sales, '/api/v1/records/customer/export')).toEqual([]);
      expect(Object.keys(sales.components.schemas)).not.toContain('MetadataPlan');
      expect(shown(sales, '/api/v1/print')).toEqual(shown(doc, '/api/v1/print'));
      expect(sales.tags.map((tag: { name: string }) => tag.name)).toEqual(['customer', 'print']);
      const viewing = await documentOf('viewer.openapi', 'viewer');
      expect(shown(viewing, '/api/v1/metadata')).toEqual([]);
      expect(shown(viewing, '/api/v1/print')).toEqual([]);
      expect(shown(viewing, '/api/v1/records/customer')).not.toEqual([]);
    });

    it('titles the document in zh-CN by default and in en on request, and drops an archived field from the next document', async () => {
      const zh = (await get('/api/v1/openapi.json')).body;
      expect(zh.components.schemas.Customer.title).toBe('实体customer');
      expect(zh.components.schemas.Customer.properties.name.title).toBe('客户名称');
      expect(zh.components.schemas.Customer.properties.wechat.title).toBe('微信号');
      const en = await get('/api/v1/openapi.json', { headers: { 'Accept-Language': 'en-US,en;q=0.9,zh-CN;q=0.5' } });
      expect(en.headers.get('Content-Language')).toBe('en');
      expect(en.body.components.schemas.Customer.properties.name.title).toBe('Customer name');
      expect(en.body.components.schemas.QuoteLine.properties.qty.title).toBe('Qty');
      expect((await get('/api/v1/openapi.json', { headers: { 'Accept-Language': 'fr, zh;q=0.8' } })).body.components.schemas.Customer.properties.name.title).toBe('客户名称');
      for (const [path, method] of [['/api/v1/metadata/plan', 'post'], ['/api/v1/print/{template}/jobs', 'post']] as const) {
        const [zhSummary, enSummary] = [zh.paths[path][method].summary, en.body.paths[path][method].summary];
        expect(zhSummary, path).toMatch(/[\u4e00-\u9fff]/);
        expect(enSummary, path).not.toMatch(/[\u4e00-\u9fff]/);
      }
      expect(en.body.components.responses.Forbidden.description).not.toBe(zh.components.responses.Forbidden.description);

      // The customer as the model has it, without the WeChat field: applying it archives the field.
      await applyChange(deps, admin, { upsert: inputs(salesModel().find((d) => d.name === 'customer')) }, { reason: 'archive wechat' });
      const after = (await get('/api/v1/openapi.json')).body;
      for (const schema of ['Customer', 'CustomerCreate', 'CustomerUpdate']) {
        expect(after.components.schemas[schema].properties, schema).not.toHaveProperty('wechat');
      }
      expect(JSON.stringify(after)).not.toContain('微信号');
      expect(after.info.version).not.toBe(zh.info.version);
      expect(structuralProblems(after)).toEqual([]);
      // And the API itself no longer knows the field.
      const { body: c } = await post('/api/v1/records/customer', { name: '归档之后' });
      expect(c).not.toHaveProperty('wechat');
      expect((await post('/api/v1/records/customer', { name: 'x', wechat: 'y' })).body.error.problems).toMatchObject([{ code: 'field_not_in_entity', path: '/wechat' }]);
    });
  });
}

describe('HTTP layer', () => {
  it('maps engine error codes to statuses', () => {
    expect(['record_invalid', 'query_invalid', 'document_not_object', 'record_version_required', 'line_entity_direct'].map(statusOf)).toEqual([400, 400, 400, 400, 400]);
    expect(['record_not_found', 'entity_unknown'].map(statusOf)).toEqual([404, 404]);
    expect(['record_conflict', 'record_deleted', 'record_not_deleted', 'record_referenced'].map(statusOf)).toEqual([409, 409, 409, 409]);
    expect(statusOf('unauthenticated')).toBe(401);
  });

  it('answers a bug with 500 internal_error, logged on the server, no stack in the response', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = errorResponse(new TypeError('secret detail at /srv/forma/engine/x.ts:12'));
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: { 'zh-CN': expect.any(String), en: expect.any(String) }, problems: [] } });
      expect(text).not.toContain('secret');
      expect(logged).toHaveBeenCalledOnce();
    } finally {
      logged.mockRestore();
    }
  });

  it('names entity schemas after the entity, falling back to unambiguous names on a clash', () => {
    const text = { type: 'string', 'x-forma': { type: 'text', label: L('标题', 'Title') } };
    const doc = (name: string) => ({ kind: 'entity', name, label: L(name, name), schema: { type: 'object', properties: { title: text } } });
    const model = new Map(['order', 'order_update', 'error', 'sales_lead', 'a1', 'a_1'].map((name) => [`entity:${name}`, doc(name)]));
    const everything = unrestricted(systemActor('test'));
    const schemas = (openApiDocument(model as never, 1, 'en', everything) as any).components.schemas;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining([
      'entity.order', 'entity.order.Create', 'entity.order.Update', 'entity.order_update', 'entity.error',
      'SalesLead', 'SalesLeadCreate', 'SalesLeadUpdate', 'A1', 'A_1', 'Error',
    ]));
    expect(schemas.Error.required).toEqual(['code', 'message', 'problems']);
    expect(structuralProblems(openApiDocument(model as never, 1, 'en', everything))).toEqual([]);
    expect(openApiDocument(model as never, 1, 'en', everything)).toBe(openApiDocument(model as never, 1, 'en', everything)); // memoised per model
  });

  it('picks the language from Accept-Language', () => {
    expect(preferredLocale(null)).toBe('zh-CN');
    expect(preferredLocale('en')).toBe('en');
    expect(preferredLocale('en-GB,en;q=0.9')).toBe('en');
    expect(preferredLocale('zh-TW,en;q=0.5')).toBe('zh-CN');
    expect(preferredLocale('fr-FR,en;q=0.8,zh;q=0.9')).toBe('zh-CN');
    expect(preferredLocale('de, en;q=0')).toBe('zh-CN');
  });
});

/** Checks values against a document's component schemas: `fits('Customer', record)` is [] or ajv's errors. */
function schemaChecker(doc: unknown) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(doc as object, 'openapi.json');
  return (schema: string, value: unknown) => {
    const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`)!;
    return validate(value) ? [] : validate.errors;
  };
}

/**
 * What an OpenAPI 3.1 document must hold together, checked structurally: every `$ref` is local
 * and resolves, every `{parameter}` of a path is declared as a required path parameter, every
 * operation has a unique operationId, tags declared once in `tags`, and responses with valid
 * status codes.
 */
function structuralProblems(doc: any): string[] {
  const problems: string[] = [];
  const resolve = (pointer: string) => pointer.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => (node === undefined ? undefined : node[key]), doc);
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${at}/${i}`));
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith('#/') || resolve(value) === undefined) problems.push(`${at}: $ref ${value} does not resolve`);
      } else walk(value, `${at}/${key}`);
    }
  };
  walk(doc, '');
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const operationIds = new Set<string>();
  const tags = (doc.tags ?? []).map((tag: { name: string }) => tag.name);
  if (new Set(tags).size !== tags.length) problems.push(`tags declared twice: ${tags}`);
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    if (!path.startsWith('/')) problems.push(`${path}: does not start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item).filter((k) => methods.includes(k))) {
      const operation = item[method];
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      for (const name of templated) {
        if (!parameters.some((p: any) => p.name === name && p.in === 'path' && p.required === true)) problems.push(`${method} ${path}: path parameter ${name} not declared`);
      }
      for (const p of parameters) {
        if (p.in === 'path' && !templated.includes(p.name)) problems.push(`${method} ${path}: parameter ${p.name} not in the path`);
        if (!p.schema) problems.push(`${method} ${path}: parameter ${p.name} has no schema`);
      }
      if (!operation.operationId || operationIds.has(operation.operationId)) problems.push(`${method} ${path}: operationId ${operation.operationId} missing or repeated`);
      for (const tag of operation.tags ?? []) if (!tags.includes(tag)) problems.push(`${method} ${path}: tag ${tag} not declared`);
      operationIds.add(operation.operationId);
      const statuses = Object.keys(operation.responses ?? {});
      if (!statuses.length) problems.push(`${method} ${path}: no responses`);
      for (const status of statuses) if (!/^([1-5][0-9]{2}|[1-5]XX|default)$/.test(status)) problems.push(`${method} ${path}: response ${status}`);
      for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
        if (!response.$ref && typeof response.description !== 'string') problems.push(`${method} ${path}: response ${status} has no description`);
      }
    }
  }
  return problems;
}
