import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { ADMIN_ROLE, systemActor } from '../../engine/security/actor.ts';
import { createDepartment } from '../../engine/security/departments.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { searchSystemLog } from '../../engine/security/system-log.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { apiClient, type Answer } from '../support/api.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { L } from '../support/documents.ts';

const system = systemActor('test');

/**
 * A role of the test's own next to the standard CRM's salesperson and sales manager: reads
 * every customer and contact but not their phone numbers or credit limits, and does not see the
 * sales module at all.
 */
const auditor = {
  kind: 'role', name: 'auditor', label: L('审计', 'Auditor'),
  permissions: {
    customer: { read: true, scope: 'all', fields: { phone: 'hidden', credit_limit: 'hidden' } },
    contact: { read: true, scope: 'all' },
  },
  modules: { sales: { visible: false } },
};

type Login = 'admin' | 'manager1' | 'sales1' | 'sales2' | 'sales3' | 'auditor1' | 'nobody';

for (const setup of testDatabases()) {
  describe(`permissions through the REST API on ${setup.kind}`, () => {
    let t: TestDatabase;
    let deps: ApiDeps;
    const tokens = {} as Record<Login, string>;
    const ids = {} as Record<'c1' | 'c2' | 'k2' | 'q2' | 'product', string>;
    const as = (login: Login) => apiClient(() => deps, () => tokens[login]);
    const customers = '/api/v1/records/customer';
    const denials = async (login: string) => (await searchSystemLog(deps.db, { actor: login, action: 'access_denied' }));

    beforeAll(async () => {
      t = await setup.open();
      deps = { db: t.database.db, workspace: 'crm' };
      await installPackage(deps, system, standardCrm);
      await applyChange(deps, system, { upsert: [{ document: auditor }] });
      await createDepartment(deps.db, system, { name: '销售部' });
      await createDepartment(deps.db, system, { name: '销售一部', parent: '销售部' });
      await createDepartment(deps.db, system, { name: '销售二部', parent: '销售部' });
      await createDepartment(deps.db, system, { name: '财务部' });
      const people: [Login, string, string | undefined, string | undefined, string[]][] = [
        ['admin', '管理员', undefined, undefined, [ADMIN_ROLE]],
        ['manager1', '王经理', '销售部', undefined, ['sales_manager']],
        ['sales1', '李明', '销售部/销售一部', 'manager1', ['salesperson']],
        ['sales2', '赵丽', '销售部/销售二部', 'manager1', ['salesperson']],
        ['sales3', '孙强', '销售部/销售一部', undefined, ['salesperson']],
        ['auditor1', '钱审计', '财务部', undefined, ['auditor']],
        ['nobody', '无角色', undefined, undefined, []],
      ];
      for (const [login, displayName, department, manager, roles] of people) {
        await createUser(deps.db, system, { login, displayName, ...(department ? { department } : {}), ...(manager ? { manager } : {}) });
        await setUserRoles(deps.db, system, 'crm', login, roles);
        tokens[login] = (await createApiToken(deps.db, system, { login })).token;
      }
      const created = async (login: Login, path: string, body: unknown) => {
        const answer = await as(login).post(path, body);
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        return answer.body.id as string;
      };
      ids.product = await created('admin', '/api/v1/records/product', { name: 'Dell Vostro 3910', price: 5000, cost: 4100 });
      ids.c1 = await created('sales1', customers, { name: '上海新时代网络科技有限公司', phone: '021-6888 1234', credit_limit: 500000 });
      ids.c2 = await created('sales2', customers, { name: '北京华远贸易有限公司', phone: '010-6523 8899', credit_limit: 200000 });
      ids.k2 = await created('sales2', '/api/v1/records/contact', { name: '周华', customer: ids.c2, mobile: '139 1000 2000' });
      ids.q2 = await created('sales2', '/api/v1/records/quote', { customer: ids.c2, lines: [{ product: ids.product, qty: 2, unit_price: 5000 }] });
    });
    afterAll(() => t?.cleanup());

    it('allows each role exactly the operations its role document grants, entity by entity', async () => {
      const matrix: [Login, string, string, unknown, number][] = [
        // [who, method, path, body, status]
        ['sales1', 'POST', customers, { name: '杭州利民酒店' }, 201],
        ['sales1', 'GET', customers, undefined, 200],
        ['sales1', 'POST', '/api/v1/records/product', { name: '自己加的商品' }, 403],
        ['sales1', 'GET', '/api/v1/records/product', undefined, 200],
        ['sales1', 'POST', `${customers}/batch`, { ids: [ids.c1], action: { type: 'delete' } }, 403],
        ['sales1', 'GET', '/api/v1/records/purchase_order', undefined, 404],
        ['sales1', 'GET', '/api/v1/records/receipt', undefined, 404],
        ['sales1', 'GET', '/api/v1/records/supplier', undefined, 404],
        ['sales1', 'POST', `${customers}/${ids.c1}/purge`, undefined, 403],
        ['manager1', 'POST', customers, { name: '广州光明电子' }, 201],
        ['manager1', 'POST', '/api/v1/records/product', { name: '经理加的商品' }, 403],
        ['manager1', 'GET', '/api/v1/records/receipt', undefined, 200],
        ['manager1', 'POST', '/api/v1/records/receipt', { amount: 1 }, 403],
        ['manager1', 'GET', '/api/v1/records/purchase_order', undefined, 404],
        ['auditor1', 'GET', customers, undefined, 200],
        ['auditor1', 'GET', '/api/v1/records/contact', undefined, 200],
        ['auditor1', 'POST', customers, { name: '审计不能新建' }, 403],
        ['auditor1', 'PATCH', `${customers}/${ids.c1}`, { name: '改名', version: 1 }, 403],
        ['auditor1', 'GET', '/api/v1/records/quote', undefined, 404],
        ['auditor1', 'GET', '/api/v1/records/product', undefined, 403],
        ['nobody', 'GET', customers, undefined, 403],
        ['nobody', 'GET', `${customers}/${ids.c1}`, undefined, 403],
        ['admin', 'GET', '/api/v1/records/purchase_order', undefined, 200],
        ['admin', 'GET', `${customers}/${ids.c2}`, undefined, 200],
      ];
      for (const [login, method, path, body, status] of matrix) {
        const answer: Answer = await as(login).call(method, path, body === undefined ? {} : { body });
        expect({ login, method, path, status: answer.status }).toEqual({ login, method, path, status });
      }
      // 403s say what was refused, in both languages, and give nothing else away.
      const refused = await as('sales1').post('/api/v1/records/product', { name: 'x' });
      expect(refused.body.error).toEqual({
        code: 'permission_denied', problems: [],
        message: { 'zh-CN': '你没有新建"商品"的权限', en: 'You may not create "Product"' },
      });
      expect((await denials('sales1')).map((e) => e.details.operation)).toEqual(expect.arrayContaining(['create', 'batchDelete', 'purge']));
    });

    it('keeps another salesperson\'s customer out of every path a salesperson has', async () => {
      const sales1 = as('sales1');
      const c2 = `${customers}/${ids.c2}`;
      const notFound = { status: 404, code: 'record_not_found' };
      const outcome = (a: Answer) => ({ status: a.status, code: a.body?.error?.code });
      expect(outcome(await sales1.get(c2))).toEqual(notFound);
      expect(outcome(await sales1.get(`${c2}?deleted=include`))).toEqual(notFound);
      expect(outcome(await sales1.get(`${c2}/history`))).toEqual(notFound);
      expect(outcome(await sales1.patch(c2, { name: '抢客户', version: 1 }))).toEqual(notFound);
      expect(outcome(await sales1.delete(c2))).toEqual(notFound);
      expect(outcome(await sales1.post(`${c2}/restore`))).toEqual(notFound);
      expect(outcome(await sales1.post(`${c2}/shares`, { user: 'sales1', access: 'edit' }))).toEqual(notFound);
      // Lists, filters, related lists, counts: the customer is simply not there.
      const list = await sales1.get(`${customers}?count=true&size=200`);
      expect(list.body.records.map((r: any) => r.id)).toEqual(expect.arrayContaining([ids.c1]));
      expect(list.body.records.map((r: any) => r.id)).not.toContain(ids.c2);
      const byName = await sales1.post(`${customers}/query`, { filter: { field: 'name', op: 'contains', value: '华远' }, count: true });
      expect(byName.body).toMatchObject({ records: [], total: { value: 0, exact: true } });
      const related = await sales1.post('/api/v1/records/contact/query', { filter: { field: 'customer', op: 'eq', value: ids.c2 } });
      expect(related.body.records).toEqual([]);
      const throughLookup = await sales1.post('/api/v1/records/contact/query', { filter: { field: 'customer.name', op: 'contains', value: '华远' } });
      expect(throughLookup.body.records).toEqual([]);
      // Searches.
      expect((await sales1.get(`${customers}/search?q=${encodeURIComponent('华远')}`)).body.hits).toEqual([]);
      expect((await sales1.post(`${customers}/similar`, { values: { name: '北京华远贸易', phone: '010 6523 8899' } })).body.hits).toEqual([]);
      expect((await sales1.get(`/api/v1/phone-lookup?number=${encodeURIComponent('+86 10 6523 8899')}`)).body.matches).toEqual([]);
      expect((await sales1.get(`/api/v1/phone-lookup?number=${encodeURIComponent('139 1000 2000')}`)).body.matches).toEqual([]);
      // Pointing a lookup at it, or naming it in a batch.
      const contact = await sales1.post('/api/v1/records/contact', { name: '冒名联系人', customer: ids.c2 });
      expect(contact.status).toBe(400);
      expect(contact.body.error.problems).toMatchObject([{ code: 'lookup_target_missing', path: '/customer' }]);
      expect(outcome(await sales1.post(`${customers}/batch`, { ids: [ids.c1, ids.c2], action: { type: 'updateField', field: 'level', value: 'A' } }))).toEqual(notFound);
      expect((await as('admin').get(`${customers}/${ids.c1}`)).body.level).not.toBe('A'); // the whole batch was refused
      const byFilter = await sales1.post(`${customers}/batch`, { filter: { field: 'name', op: 'contains', value: '公司' }, action: { type: 'updateField', field: 'level', value: 'B' } });
      expect(byFilter.body).toEqual({ changed: 1 });
      expect((await as('admin').get(c2)).body.level).not.toBe('B');
      // An id that exists and one that does not look the same from outside; the log knows the difference.
      const unknown = `${customers}/0190f1a2-0000-7000-8000-00000000dead`;
      expect(outcome(await sales1.get(unknown))).toEqual(notFound);
      const log = await denials('sales1');
      expect(log.filter((e) => e.recordId === ids.c2).map((e) => `${e.details.operation}:${e.details.reason}`)).toEqual(expect.arrayContaining([
        'read:out_of_scope', 'update:out_of_scope', 'delete:out_of_scope', 'share:out_of_scope',
      ]));
      expect(log.some((e) => e.recordId === '0190f1a2-0000-7000-8000-00000000dead')).toBe(false);
      // A colleague in the same department with the same role does not see sales1's customers either.
      expect((await as('sales3').get(`${customers}/${ids.c1}`)).status).toBe(404);
    });

    it('shows a manager the records of their team and their departments, and each salesperson only their own', async () => {
      const listed = async (login: Login) => (await as(login).get(`${customers}?size=200`)).body.records.map((r: any) => r.id);
      expect(await listed('manager1')).toEqual(expect.arrayContaining([ids.c1, ids.c2]));
      expect((await as('manager1').get(`${customers}/${ids.c2}`)).status).toBe(200);
      expect((await as('manager1').get(`/api/v1/records/quote/${ids.q2}`)).body._labels).toEqual({ customer: '北京华远贸易有限公司', contact: null, opportunity: null });
      expect(await listed('sales2')).toContain(ids.c2);
      expect(await listed('sales2')).not.toContain(ids.c1);
      // The manager may change the team's customers and reassign them (the owner field is read-only for salespeople).
      const c2 = (await as('manager1').get(`${customers}/${ids.c2}`)).body;
      const reassigned = await as('manager1').patch(`${customers}/${ids.c2}`, { owner: c2.owner_id, level: 'A', version: c2.version });
      expect(reassigned.status).toBe(200);
    });

    it('opens a record to a named user or department, to read or to edit, and closes it again', async () => {
      const sales2 = as('sales2');
      const c2 = `${customers}/${ids.c2}`;
      const shared = await sales2.post(`${c2}/shares`, { user: 'sales1', access: 'read' });
      expect(shared.status).toBe(201);
      expect(shared.body).toMatchObject({ user: { login: 'sales1' }, department: null, access: 'read', createdBy: 'sales2' });
      const read = await as('sales1').get(c2);
      expect(read.status).toBe(200);
      expect((await as('sales1').patch(c2, { remarks: '只读共享不能改', version: read.body.version })).status).toBe(403);
      expect((await sales2.post(`${c2}/shares`, { user: 'sales1', access: 'edit' })).body.access).toBe('edit');
      expect((await sales2.get(`${c2}/shares`)).body.shares).toHaveLength(1);
      expect((await as('sales1').patch(c2, { remarks: '可编辑共享', version: read.body.version })).status).toBe(200);
      // Shared with a department reaches its people (and those of the departments below it).
      expect((await as('sales3').get(c2)).status).toBe(404);
      const toDepartment = await sales2.post(`${c2}/shares`, { department: '销售部', access: 'read' });
      expect((await as('sales3').get(c2)).status).toBe(200);
      // A quote shared with sales1 shows its customer's name only if sales1 may read that customer.
      await sales2.delete(`${c2}/shares/${shared.body.id}`);
      await sales2.delete(`${c2}/shares/${toDepartment.body.id}`);
      expect((await as('sales1').get(c2)).status).toBe(404);
      await sales2.post(`/api/v1/records/quote/${ids.q2}/shares`, { user: 'sales1', access: 'read' });
      const quote = await as('sales1').get(`/api/v1/records/quote/${ids.q2}`);
      expect(quote.status).toBe(200);
      expect(quote.body._labels.customer).toBeNull();
      const listed = (await as('sales1').get('/api/v1/records/quote')).body.records.find((r: any) => r.id === ids.q2);
      expect(listed._labels).toEqual({ customer: null, contact: null, opportunity: null });
      const managers = (await as('manager1').get('/api/v1/records/quote')).body.records.find((r: any) => r.id === ids.q2);
      expect(managers._labels.customer).toBe('北京华远贸易有限公司');
      // Bad shares change nothing and say why.
      const bad = await sales2.post(`${c2}/shares`, { user: 'ghost', department: '销售部', access: 'own' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems.map((p: any) => `${p.code} ${p.path}`).sort()).toEqual(['share_access_invalid /access', 'share_grantee_invalid ', 'user_unknown /user']);
      expect((await sales2.delete(`${c2}/shares/0190f1a2-0000-7000-8000-00000000beef`)).status).toBe(404);
      expect((await searchSystemLog(deps.db, { actor: 'sales2', action: ['record.share', 'record.unshare'] })).length).toBeGreaterThanOrEqual(5);
    });

    it('hides fields in records, lists, filters, searches, history and the OpenAPI document, and refuses writes to them', async () => {
      const auditor1 = as('auditor1');
      const record = (await auditor1.get(`${customers}/${ids.c1}`)).body;
      expect(record.name).toBe('上海新时代网络科技有限公司');
      expect(record).not.toHaveProperty('phone');
      expect(record).not.toHaveProperty('credit_limit');
      const list = (await auditor1.get(`${customers}?size=200`)).body.records;
      expect(list.length).toBeGreaterThanOrEqual(2);
      for (const row of list) expect(Object.keys(row)).not.toEqual(expect.arrayContaining(['phone']));
      const filtered = await auditor1.post(`${customers}/query`, { filter: { field: 'phone', op: 'contains', value: '6888' }, sort: [{ field: 'credit_limit' }] });
      expect(filtered.status).toBe(400);
      expect(filtered.body.error.problems.map((p: any) => `${p.code} ${p.path}`)).toEqual(['field_unknown /filter/field', 'field_unknown /sort/0/field']);
      expect((await auditor1.get(`${customers}/search?q=6888`)).body.hits).toEqual([]);
      expect((await auditor1.get(`/api/v1/phone-lookup?number=${encodeURIComponent('021-6888 1234')}`)).body.matches).toEqual([]);
      const history = (await auditor1.get(`${customers}/${ids.c1}/history`)).body.history;
      expect(history[0].changes).toHaveProperty('name');
      expect(history[0].changes).not.toHaveProperty('phone');
      expect(history[0].changes).not.toHaveProperty('credit_limit');
      // Through a lookup one hop away, too.
      expect((await auditor1.post('/api/v1/records/contact/query', { filter: { field: 'customer.phone', op: 'is_not_empty' } })).status).toBe(400);

      const openapi = (await auditor1.get('/api/v1/openapi.json')).body;
      expect(Object.keys(openapi.components.schemas.Customer.properties)).not.toContain('phone');
      expect(openapi.components.schemas).not.toHaveProperty('Quote');
      expect(openapi.paths['/api/v1/records/customer']).toHaveProperty('get');
      expect(openapi.paths['/api/v1/records/customer']).not.toHaveProperty('post');
      expect(openapi.paths).not.toHaveProperty('/api/v1/records/quote');
      const full = (await as('admin').get('/api/v1/openapi.json')).body;
      expect(Object.keys(full.components.schemas.Customer.properties)).toContain('phone');
      expect(full.paths).toHaveProperty('/api/v1/records/purchase_order');
      const salesDoc = (await as('sales1').get('/api/v1/openapi.json')).body;
      expect(Object.keys(salesDoc.components.schemas.CustomerUpdate.properties)).not.toContain('owner');
      expect(Object.keys(salesDoc.components.schemas.Product.properties)).not.toContain('cost');

      // A salesperson's product has no cost; writing a read-only or hidden field is refused with the field named.
      expect((await as('sales1').get(`/api/v1/records/product/${ids.product}`)).body).not.toHaveProperty('cost');
      const c1 = (await as('sales1').get(`${customers}/${ids.c1}`)).body;
      const owner = await as('sales1').patch(`${customers}/${ids.c1}`, { owner: (await as('sales2').get(`${customers}/${ids.c2}`)).body.owner_id, version: c1.version });
      expect(owner.status).toBe(403);
      expect(owner.body.error).toMatchObject({ code: 'field_forbidden', problems: [{ code: 'field_read_only_write', path: '/owner' }] });
      const quote = await as('sales1').post('/api/v1/records/quote', { customer: ids.c1, owner: c1.owner_id, lines: [{ product: ids.product, qty: 1, unit_price: 1 }] });
      expect(quote.body.error.problems).toMatchObject([{ code: 'field_read_only_write', path: '/owner' }]);
      expect((await as('sales1').get(`${customers}/${ids.c1}`)).body.version).toBe(c1.version); // nothing changed
      const reassign = await as('sales1').post(`${customers}/batch`, { ids: [ids.c1], action: { type: 'reassignOwner', owner: c1.owner_id } });
      expect(reassign.body.error.problems).toMatchObject([{ code: 'field_read_only_write', path: '/action/owner' }]);
      expect((await denials('sales1')).some((e) => e.details.operation === 'write_fields')).toBe(true);
    });

    it('lets administrators search the system log, read-only, and nobody else', async () => {
      const page = await as('admin').get('/api/v1/system-log?user=sales1&action=access_denied&limit=2');
      expect(page.status).toBe(200);
      expect(page.body.entries).toHaveLength(2);
      for (const entry of page.body.entries) expect(entry).toMatchObject({ actor: { name: 'sales1' }, action: 'access_denied', outcome: 'failure' });
      const older = await as('admin').get(`/api/v1/system-log?user=sales1&action=access_denied&limit=2&before=${page.body.next}`);
      expect(older.body.entries[0].id).toBeLessThan(page.body.entries[1].id);
      const bad = await as('admin').get('/api/v1/system-log?action=drop_table&from=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.error.problems.map((p: any) => p.path).sort()).toEqual(['/action/0', '/from']);
      expect((await as('manager1').get('/api/v1/system-log')).status).toBe(403);
      expect((await as('admin').delete('/api/v1/system-log')).status).toBe(405);
      expect((await denials('manager1')).map((e) => e.details.operation)).toContain('admin');
    });
  });
}
