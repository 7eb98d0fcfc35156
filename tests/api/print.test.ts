// Printing through the REST API (app/api/print.server.ts), routed as the app routes it, on both
// databases: the templates a caller may use, one record as a PDF (inline or saved under its
// Chinese file name), every refusal as a structured JSON error with its status, and batch
// printing as jobs — asked for, followed, fetched — only by whoever asked. One Chromium for the
// file, few renders.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrintApiDeps } from '../../app/api/print.server.ts';
import { PrintJobWorker } from '../../engine/print/jobs.ts';
import { PdfRenderer } from '../../engine/print/renderer.ts';
import { calendarDate, DEFAULT_TIME_ZONE } from '../../engine/records/context.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { searchSystemLog } from '../../engine/security/system-log.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { apiClient } from '../support/api.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { pdfInfo, pdfText } from '../support/pdf-tools.ts';
import { printFixture, type PrintFixture } from '../engine/print-fixture.ts';

const system = systemActor('test');
type Login = 'admin' | 'manager1' | 'sales1' | 'sales2' | 'reader1';
/** Reads their own customers, prints nothing. */
const readerRole = {
  kind: 'role', name: 'customer_reader', label: { 'zh-CN': '客户查看', en: 'Customer reader' },
  permissions: { customer: { read: true, scope: 'own' } },
};
/** A customer template naming a field customers do not have, on its second line. */
const brokenTemplate = {
  kind: 'printTemplate', name: 'broken_card', label: { 'zh-CN': '坏模板', en: 'Broken card' }, entity: 'customer', paper: 'A5',
  source: '<h1>{{record.name}}</h1>\n<p>{{record.wechat_id}}</p>',
};

/** Text without the blanks pdftotext puts between spaced-out characters. */
const squeezed = (text: string) => text.replace(/[ \t\u3000]+/g, '');

// One Chromium for the file.
const renderer = new PdfRenderer();
afterAll(() => renderer.close());

for (const setup of testDatabases()) {
  describe(`printing through the REST API on ${setup.kind}`, { timeout: 300_000 }, () => {
    let t: TestDatabase;
    let dataDir: string;
    let fixture: PrintFixture;
    let deps: PrintApiDeps;
    let worker: PrintJobWorker;
    let wakes = 0;
    const tokens = {} as Record<Login, string>;
    const as = (login: Login) => apiClient(() => deps, () => tokens[login]);
    const ctx = () => ({ db: t.database.db, workspace: 'crm' });
    let quote: { id: string; number: string };
    /** Customers of sales1, and one of sales2. */
    let own: string[];
    let others: string;

    beforeAll(async () => {
      t = await setup.open();
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'forma-print-api-'));
      fixture = await printFixture(t.database.db, 'crm', dataDir, 60);
      await applyChange(ctx(), system, { upsert: [{ document: readerRole }, { document: brokenTemplate }] });
      await createUser(t.database.db, system, { login: 'reader1', displayName: '只读员' });
      await setUserRoles(t.database.db, system, 'crm', 'reader1', ['customer_reader']);
      for (const login of ['admin', 'manager1', 'sales1', 'sales2', 'reader1'] as const) tokens[login] = (await createApiToken(t.database.db, system, { login })).token;
      worker = new PrintJobWorker({ db: t.database.db, workspace: 'crm', dataDir, renderer });
      deps = { db: t.database.db, workspace: 'crm', dataDir, printing: { renderer, jobWaiting: () => void wakes++ } };
      const { records: [q] } = await runQuery(ctx(), system, 'quote', { filter: { field: 'id', op: 'eq', value: fixture.ids.quote }, fields: ['number'] });
      quote = { id: fixture.ids.quote, number: String(q!.number) };
      const customers = async (op: 'eq' | 'ne') =>
        (await runQuery(ctx(), system, 'customer', { filter: { field: 'owner_id', op, value: fixture.users.sales1.id }, sort: [{ field: 'code' }], fields: ['id'], page: { size: 200 } })).records.map((r) => String(r.id));
      own = await customers('eq');
      others = (await customers('ne'))[0]!;
    }, 300_000);
    afterAll(async () => {
      await worker?.stop();
      await t?.cleanup();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('lists the templates a caller may use for an entity', async () => {
      const answer = await as('manager1').get('/api/v1/print/templates?entity=customer');
      expect(answer.status).toBe(200);
      const templates = answer.body.templates as { name: string }[];
      expect(templates.map((c) => c.name)).toEqual(['address_labels', 'broken_card', 'customer_statement', 'envelope_dl']);
      expect(templates[0]).toEqual({
        name: 'address_labels', entity: 'customer', label: { 'zh-CN': '地址标签（A4 3×8）', en: 'Address labels (A4, 3 × 8)' }, paper: 'A4',
        orientation: 'portrait', size: { width: 210, height: 297 }, labels: { rows: 8, columns: 3, startPosition: 1 },
      });
      expect(templates.find((c) => c.name === 'envelope_dl')).toMatchObject({ paper: 'DL', size: { width: 220, height: 110 }, labels: null });
      // Every entity's: a sales manager prints quotes and orders, not purchase orders.
      const all = (await as('manager1').get('/api/v1/print/templates')).body.templates.map((c: { name: string }) => c.name);
      expect(all).toEqual(expect.arrayContaining(['quote', 'sales_order', 'delivery_note']));
      expect(all).not.toContain('purchase_order');
      expect((await as('reader1').get('/api/v1/print/templates?entity=customer')).body).toEqual({ templates: [] });
      expect(await as('reader1').get('/api/v1/print/templates?entity=no_such_entity')).toMatchObject({ status: 404, body: { error: { code: 'entity_unknown' } } });
      expect(await as('manager1').get('/api/v1/print/templates?entiy=customer')).toMatchObject({ status: 400, body: { error: { code: 'parameter_unknown' } } });
      expect((await as('manager1').get('/api/v1/print/templates', { token: null })).status).toBe(401);
    });

    it('prints a quote as a PDF shown in the browser, and saved under its Chinese name with ?download=1; logged', async () => {
      const shown = await as('sales1').get(`/api/v1/print/quote/${quote.id}?entity=quote`);
      expect(shown.status).toBe(200);
      expect(shown.headers.get('Content-Type')).toBe('application/pdf');
      expect(shown.headers.get('Content-Length')).toBe(String(shown.bytes.length));
      expect(new TextDecoder().decode(shown.bytes.slice(0, 5))).toBe('%PDF-');
      const name = `报价单-${quote.number}.pdf`;
      const ascii = name.replace(/[^\x20-\x7E]/g, '_');
      expect(shown.headers.get('Content-Disposition')).toBe(`inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      const text = squeezed(pdfText(shown.bytes));
      for (const expected of [quote.number, '新时代网络公司', '¥100,000.00', '人民币壹拾万元整']) expect(text).toContain(expected);

      const saved = await as('sales1').get(`/api/v1/print/quote/${quote.id}?download=1`);
      expect(saved.headers.get('Content-Disposition')).toBe(`attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(pdfInfo(saved.bytes).pages).toBe(1);
      expect(await as('sales1').get(`/api/v1/print/quote/${quote.id}?download=yes`)).toMatchObject({ status: 400, body: { error: { code: 'parameter_invalid' } } });

      const logged = await searchSystemLog(t.database.db, { actor: 'sales1', action: 'print' });
      expect(logged).toHaveLength(2);
      expect(logged[0]).toMatchObject({ entity: 'quote', recordId: quote.id, outcome: 'success', details: { template: 'quote', pages: 1 } });
    });

    it('refuses as the screens do: 403 without the print right, 404 out of scope or unknown, 400 for another entity\'s template', async () => {
      const error = async (login: Login, url: string) => {
        const answer = await as(login).get(url);
        expect(answer.headers.get('Content-Type'), url).toMatch(/json/);
        return { status: answer.status, ...answer.body.error };
      };
      expect(await error('reader1', `/api/v1/print/envelope_dl/${own[0]}`)).toMatchObject({ status: 403, code: 'permission_denied', message: { 'zh-CN': '你没有打印"客户"的权限' } });
      expect(await error('sales1', `/api/v1/print/envelope_dl/${others}`)).toMatchObject({ status: 404, code: 'record_not_found' });
      expect(await error('sales1', `/api/v1/print/envelope_dl/not-a-uuid`)).toMatchObject({ status: 404, code: 'record_not_found' });
      expect(await error('sales1', `/api/v1/print/no_such_template/${own[0]}`)).toMatchObject({ status: 404, code: 'print_template_not_found' });
      expect(await error('sales1', `/api/v1/print/quote/${own[0]}?entity=customer`)).toMatchObject({
        status: 400, code: 'print_template_entity_mismatch', message: { 'zh-CN': '打印模板 "quote" 用于打印报价单，不能打印客户' },
      });
      expect(await error('sales1', `/api/v1/print/address_labels/${own[0]}?startPosition=25`)).toMatchObject({ status: 400, code: 'print_start_position_invalid' });
      expect(await error('sales1', `/api/v1/print/customer_statement/${own[0]}?from=2026-09-31`)).toMatchObject({ status: 400, code: 'print_period_invalid' });
      expect(await error('sales1', `/api/v1/print/envelope_dl/${own[0]}?copies=2`)).toMatchObject({ status: 400, code: 'parameter_unknown' });
      expect(await searchSystemLog(t.database.db, { actor: 'sales1', action: 'print', limit: 10 })).toHaveLength(2); // the quote's, above
    });

    it('answers a template that cannot render with 422 and the place of each problem', async () => {
      const answer = await as('manager1').get(`/api/v1/print/broken_card/${own[0]}`);
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'print_render_failed' });
      expect(answer.body.error.problems).toEqual([expect.objectContaining({
        code: 'print_field_missing', path: '/source', line: 2, column: 6, message: { 'zh-CN': '第 2 行第 6 列：数据中没有字段 "wechat_id"', en: 'Line 2, column 6: the data has no field "wechat_id"' },
      })]);
    });

    it('says what to install when printing is not set up (503)', async () => {
      const unprepared = new PdfRenderer({ executablePath: '/opt/nowhere/chromium' });
      const answer = await apiClient(() => ({ ...deps, printing: { renderer: unprepared, jobWaiting: () => {} } }), () => tokens.sales1)
        .get(`/api/v1/print/envelope_dl/${own[0]}`);
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({ code: 'print_setup_missing' });
      expect(answer.body.error.message.en).toContain('apt-get update && apt-get install -y --no-install-recommends chromium');
      await unprepared.close();
    });

    it('prints 50 customers\' address labels as a job: 202, queued, done, 3 A4 sheets, for its owner only', async () => {
      const fifty = (await runQuery(ctx(), fixture.users.manager1, 'customer', { sort: [{ field: 'code' }], fields: ['id', 'name'], page: { size: 50 } })).records;
      const asked = wakes;
      const created = await as('manager1').post('/api/v1/print/address_labels/jobs', { ids: fifty.map((r) => r.id) });
      expect(created.status).toBe(202);
      expect(created.body).toEqual({ id: expect.any(String), total: 50 });
      const { id } = created.body as { id: string };
      expect(created.headers.get('Location')).toBe(`/api/v1/print/jobs/${id}`);
      expect(wakes).toBe(asked + 1);

      expect((await as('manager1').get(`/api/v1/print/jobs/${id}`)).body).toMatchObject({ id, template: 'address_labels', state: 'queued', done: 0, total: 50 });
      expect(await as('manager1').get(`/api/v1/print/jobs/${id}/pdf`)).toMatchObject({ status: 409, body: { error: { code: 'print_job_not_done' } } });
      expect(await as('sales1').get(`/api/v1/print/jobs/${id}`)).toMatchObject({ status: 404, body: { error: { code: 'print_job_not_found' } } });

      expect(await worker.runNext()).toBe(true);
      const done = await as('manager1').get(`/api/v1/print/jobs/${id}`);
      expect(done.body).toMatchObject({ state: 'done', done: 50, total: 50, pdf: `/api/v1/print/jobs/${id}/pdf` });
      expect(await as('sales1').get(`/api/v1/print/jobs/${id}/pdf`)).toMatchObject({ status: 404, body: { error: { code: 'print_job_not_found' } } });
      const pdf = await as('manager1').get(`/api/v1/print/jobs/${id}/pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
      expect(pdf.headers.get('Content-Disposition')).toMatch(/^inline; /);
      expect(pdfInfo(pdf.bytes)).toMatchObject({ pages: 3 });
      expect(pdfText(pdf.bytes, { first: 3, last: 3 })).toContain(String(fifty[49]!.name));
      const day = calendarDate(new Date(), DEFAULT_TIME_ZONE).replace(/-/g, '');
      const saved = await as('manager1').get(`/api/v1/print/jobs/${id}/pdf?download=1`);
      expect(saved.headers.get('Content-Disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`地址标签（A4 3×8）-${day}-50.pdf`)}`);
      const [logged] = await searchSystemLog(t.database.db, { actor: 'manager1', action: 'print' });
      expect(logged).toMatchObject({ entity: 'customer', details: { template: 'address_labels', count: 50, pages: 3 } });
    });

    it('prints a filter\'s records from a start position, and checks the request first', async () => {
      const job = async (body: unknown, login: Login = 'sales1') => as(login).post('/api/v1/print/address_labels/jobs', body);
      const filter = { field: 'owner_id', op: 'eq', value: fixture.users.sales1.id };
      const created = await job({ filter, sort: [{ field: 'code' }], startPosition: 23 });
      expect(created).toMatchObject({ status: 202, body: { total: own.length } });
      await worker.runNext();
      const pdf = await as('sales1').get(`/api/v1/print/jobs/${created.body.id}/pdf`);
      // Two cells left on the first sheet.
      expect(pdfInfo(pdf.bytes).pages).toBe(1 + Math.ceil((own.length - 2) / 24));

      expect(await job({ ids: own, copies: 2 })).toMatchObject({ status: 400, body: { error: { code: 'body_member_invalid' } } });
      expect(await job({ ids: own, startPosition: '3' })).toMatchObject({ status: 400, body: { error: { code: 'body_member_invalid', message: { en: '"startPosition" of the request body is invalid: expected a whole number' } } } });
      expect(await job({ ids: own, startPosition: 0 })).toMatchObject({ status: 400, body: { error: { code: 'print_start_position_invalid' } } });
      expect(await job({ ids: own, filter })).toMatchObject({ status: 400, body: { error: { code: 'print_selection_invalid' } } });
      expect(await job([own[0]])).toMatchObject({ status: 400, body: { error: { code: 'print_selection_invalid' } } });
      expect(await job({ ids: [others] })).toMatchObject({ status: 404, body: { error: { code: 'record_not_found' } } });
      const badFilter = await job({ filter: { and: [{ field: 'level', op: 'gt', value: 'A' }] } });
      expect(badFilter).toMatchObject({ status: 400, body: { error: { code: 'query_invalid' } } });
      expect(badFilter.body.error.problems.map((p: { path: string }) => p.path)).toEqual(['/filter/and/0/op']);
      expect(await job({ ids: own }, 'reader1')).toMatchObject({ status: 403, body: { error: { code: 'permission_denied' } } });
      expect(await as('sales1').post('/api/v1/print/no_such/jobs', { ids: own })).toMatchObject({ status: 404, body: { error: { code: 'print_template_not_found' } } });
      expect(await as('sales1').get('/api/v1/print/address_labels/jobs')).toMatchObject({ status: 405 });
      expect(await worker.runNext()).toBe(false);
    });
  });
}
