import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { createRecord } from '../../engine/records/write.ts';
import { ADMIN_ROLE, systemActor, type Actor } from '../../engine/security/actor.ts';
import { createDepartment } from '../../engine/security/departments.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { searchSystemLog } from '../../engine/security/system-log.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { apiClient } from '../support/api.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { L } from '../support/documents.ts';

const system = systemActor('test');
type Login = 'admin' | 'manager1' | 'sales1';
/** More than one page of the export (200), so it pages through cursors. */
const MANY = 230;
/** Exports their own customers, without seeing credit limits. */
const ownExporter = {
  kind: 'role', name: 'own_exporter', label: L('导出自己的客户', 'Exports own customers'),
  permissions: { customer: { read: true, export: true, scope: 'own', fields: { credit_limit: 'hidden' } } },
};

for (const setup of testDatabases()) {
  describe(`export of records through the REST API on ${setup.kind}`, () => {
    let t: TestDatabase;
    let deps: ApiDeps;
    const tokens = {} as Record<Login, string>;
    const as = (login: Login) => apiClient(() => deps, () => tokens[login]);
    const base = '/api/v1/records/customer/export';
    const filterA = encodeURIComponent(JSON.stringify({ field: 'level', op: 'eq', value: 'A' }));
    const exports = async () => searchSystemLog(deps.db, { action: 'export' });

    beforeAll(async () => {
      t = await setup.open();
      deps = { db: t.database.db, workspace: 'crm' };
      await installPackage(deps, system, standardCrm);
      await createDepartment(deps.db, system, { name: '销售部' });
      const people: [Login, string, string[]][] = [['admin', '管理员', [ADMIN_ROLE]], ['manager1', '王经理', ['sales_manager']], ['sales1', '李明', ['salesperson']]];
      const actors = {} as Record<Login, Actor>;
      for (const [login, displayName, roles] of people) {
        const user = await createUser(deps.db, system, { login, displayName, department: '销售部' });
        await setUserRoles(deps.db, system, 'crm', login, roles);
        tokens[login] = (await createApiToken(deps.db, system, { login })).token;
        actors[login] = { id: user.id, name: login, kind: 'user' };
      }
      const ctx = { db: deps.db, workspace: 'crm' };
      await createRecord(ctx, actors.sales1, 'customer', {
        name: '上海新时代网络科技有限公司', level: 'A', phone: '+86 21 6888 1234', credit_limit: 500000, region: '310104', industry: 'it',
      });
      await createRecord(ctx, actors.sales1, 'customer', { name: '=HYPERLINK("http://evil.example","点我")', level: 'B' });
      for (let i = 0; i < MANY; i++) {
        await createRecord(ctx, actors.manager1, 'customer', { name: `批量客户${String(i).padStart(3, '0')}`, level: i % 2 ? 'A' : 'C', credit_limit: 1000 + i });
      }
    }, 300_000);
    afterAll(() => t?.cleanup());

    it('refuses people without the export right (403), and says so in the log', async () => {
      const refused = await as('sales1').get(`${base}?format=csv`);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'permission_denied', message: { 'zh-CN': '你没有导出"客户"的权限' } });
      expect((await searchSystemLog(deps.db, { actor: 'sales1', action: 'access_denied' })).map((e) => e.details.operation)).toContain('export');
      expect(await exports()).toEqual([]);
    });

    it('refuses a bad format or filter before anything is sent, every problem at its place', async () => {
      expect((await as('manager1').get(`${base}?format=pdf`)).body.error.code).toBe('parameter_invalid');
      expect((await as('manager1').get(`${base}`)).status).toBe(400);
      const bad = await as('manager1').get(`${base}?format=csv&filter=${encodeURIComponent(JSON.stringify({ and: [{ field: 'level', op: 'gt', value: 'A' }, { field: 'nope', op: 'eq', value: 1 }] }))}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('query_invalid');
      expect(bad.body.error.problems.map((p: { path: string }) => p.path)).toEqual(['/filter/and/0/op', '/filter/and/1/field']);
      expect((await as('manager1').get(`${base}?format=csv&filter={`)).body.error.code).toBe('json_malformed');
    });

    it('streams CSV in UTF-8 with a BOM and Chinese headers, formatted values, the filter and sort applied, and logs the count', async () => {
      const answer = await as('manager1').get(`${base}?format=csv&filter=${filterA}&sort=-credit_limit`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('Content-Disposition')).toMatch(/^attachment; filename="_+-\d{8}-\d{4}\.csv"; filename\*=UTF-8''%E5%AE%A2%E6%88%B7-\d{8}-\d{4}\.csv$/);
      expect([...answer.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = answer.body.split('\r\n').filter(Boolean) as string[];
      expect(lines[0]!.split(',').slice(0, 4)).toEqual(['客户编号', '客户名称', '简称', '客户等级']);
      expect(lines[0]).toContain('负责人');
      expect(lines[0]!.endsWith('创建时间,修改时间')).toBe(true);
      // Level A: the first customer and every second one of the batch.
      expect(lines.length - 1).toBe(1 + MANY / 2);
      expect(lines[1]).toContain('上海新时代网络科技有限公司');
      expect(lines[1]).toContain('A 类');
      expect(lines[1]).toContain('"¥500,000.00"');
      expect(lines[1]).toContain('上海市 徐汇区');
      expect(lines[1]).toContain(",'+86 21 6888 1234,"); // a leading + would be a formula in a spreadsheet
      expect(lines[1]).toContain('李明');
      expect(lines[2]).toContain(`批量客户${String(MANY - 1).padStart(3, '0')}`); // highest credit after him
      expect(answer.body).not.toContain('批量客户000'); // level C

      const [logged] = await exports();
      expect(logged).toMatchObject({ action: 'export', entity: 'customer', outcome: 'success', actor: { name: 'manager1' } });
      expect(logged!.details).toEqual({ format: 'csv', count: 1 + MANY / 2, complete: true, filter: { field: 'level', op: 'eq', value: 'A' } });
    });

    it('keeps a text that looks like a formula a text', async () => {
      const answer = await as('admin').get(`${base}?format=csv&fields=name,level&filter=${encodeURIComponent(JSON.stringify({ field: 'level', op: 'eq', value: 'B' }))}`);
      expect(answer.body.split('\r\n')).toEqual(['客户名称,客户等级', `"'=HYPERLINK(""http://evil.example"",""点我"")",B 类`, '']);
    });

    it('writes headers in English for an English client', async () => {
      const answer = await as('manager1').get(`${base}?format=csv&fields=code,name,credit_limit&filter=${filterA}`, { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
      const lines = answer.body.split('\r\n');
      expect(lines[0]).toBe('Customer no.,Customer name,Credit limit');
      expect(answer.body).toContain('"CN¥500,000.00"');
    });

    it('streams an Excel workbook that reads back with typed cells, every page of it', async () => {
      const answer = await as('manager1').get(`${base}?format=xlsx&sort=name`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(answer.bytes) as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('客户')!;
      expect(sheet).toBeDefined();
      expect(sheet.rowCount).toBe(1 + 2 + MANY);
      const header = (sheet.getRow(1).values as unknown[]).slice(1);
      const col = (name: string) => header.indexOf(name) + 1;
      expect(header.slice(0, 2)).toEqual(['客户编号', '客户名称']);
      const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2));
      const shanghai = rows.find((r) => r.getCell(col('客户名称')).value === '上海新时代网络科技有限公司')!;
      expect(shanghai.getCell(col('信用额度')).value).toBe(500000);
      expect(shanghai.getCell(col('信用额度')).numFmt).toContain('¥');
      expect(shanghai.getCell(col('客户等级')).value).toBe('A 类');
      expect(shanghai.getCell(col('所在地区')).value).toBe('上海市 徐汇区');
      expect(shanghai.getCell(col('创建时间')).value).toBeInstanceOf(Date);
      // Sorted by name across the page boundaries, each record once.
      const names = rows.map((r) => String(r.getCell(col('客户名称')).value));
      expect(new Set(names).size).toBe(names.length);
      expect(names.filter((n) => n.startsWith('批量客户'))).toEqual(Array.from({ length: MANY }, (_, i) => `批量客户${String(i).padStart(3, '0')}`));

      const logged = (await exports()).find((e) => e.details.format === 'xlsx');
      expect(logged?.details).toMatchObject({ count: 2 + MANY, complete: true });
    });

    it('exports only the records and fields a person may see', async () => {
      await applyChange(deps, system, { upsert: [{ document: ownExporter }] });
      await setUserRoles(deps.db, system, 'crm', 'sales1', ['own_exporter']);
      const answer = await as('sales1').get(`${base}?format=csv`);
      const lines = answer.body.split('\r\n').filter(Boolean) as string[];
      expect(lines.length).toBe(1 + 2); // their own two customers
      expect(lines[0]).toContain('客户名称');
      expect(lines[0]).not.toContain('信用额度');
      expect(answer.body).not.toContain('500,000');
      const hidden = await as('sales1').get(`${base}?format=csv&fields=name,credit_limit`);
      expect(hidden.status).toBe(400);
      expect(hidden.body.error.problems.map((p: { path: string }) => p.path)).toEqual(['/fields/1']);
    });
  });
}
