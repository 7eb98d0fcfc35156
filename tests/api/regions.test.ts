import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { regionsEndpoint } from '../../app/api/regions.server.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';

const admin = systemActor('test');

// GET /api/v1/regions?parent= — the region cascade of forms, one list at a time.
describe('the regions API', () => {
  // Authentication needs a database; which one does not matter here.
  const setup = testDatabases()[0];
  let t: TestDatabase;
  let deps: ApiDeps;
  let token: string;

  const get = async (query: string, bearer: string | null = token) => {
    const headers = new Headers(bearer ? { Authorization: `Bearer ${bearer}` } : {});
    const response = await regionsEndpoint(new Request(`http://forma.test/api/v1/regions${query}`, { headers }), {}, deps);
    return { status: response.status, cache: response.headers.get('Cache-Control'), body: await response.json() };
  };

  beforeAll(async () => {
    t = await setup!.open();
    deps = { db: t.database.db, workspace: 'crm' };
    await createUser(deps.db, admin, { login: 'sales1', displayName: '销售一' });
    ({ token } = await createApiToken(deps.db, admin, { login: 'sales1' }));
  });
  afterAll(() => t?.cleanup());

  it('lists the provinces, then the places below a code, for signed-in callers only', async () => {
    const provinces = await get('');
    expect(provinces.status).toBe(200);
    expect(provinces.cache).toBe('private, max-age=86400');
    expect(provinces.body.places).toHaveLength(34);
    expect(provinces.body.places).toContainEqual({ code: '310000', name: '上海市' });
    expect((await get('?parent=310000')).body.places).toEqual([{ code: '310100', name: '上海市' }]);
    expect((await get('?parent=310100')).body.places).toContainEqual({ code: '310104', name: '徐汇区' });
    // A place with nothing below it: an empty list, the cascade ends there.
    expect((await get('?parent=441900')).body.places).toEqual([]);

    const bad = await get('?parent=31');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'parameter_invalid', message: { 'zh-CN': expect.stringContaining('6 位行政区划代码') } });
    expect((await get('?parent=310000&x=1')).body.error.code).toBe('parameter_unknown');
    expect((await get('', null)).status).toBe(401);
  });
});
