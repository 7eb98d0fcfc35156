import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormaError } from '../../engine/errors.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { getRecord, getRecordHistory } from '../../engine/records/read.ts';
import { createRecord, deleteRecord, purgeRecord, restoreRecord, updateRecord } from '../../engine/records/write.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs, L } from '../support/documents.ts';
import { salesModel } from '../support/sales-model.ts';
import { refusal } from '../support/refusal.ts';
import { enrol } from '../support/users.ts';

const admin = systemActor('test');
const sales: Actor = { id: '0190f1a2-0000-7000-8000-000000000001', name: 'sales1', kind: 'user' };

const model = salesModel();


for (const setup of testDatabases()) {
  describe(`records on ${setup.kind}`, () => {
    let t: TestDatabase;
    let ctx: RecordsContext;
    beforeAll(async () => {
      t = await setup.open();
      ctx = { db: t.database.db, workspace: 'crm' };
      await enrol(ctx.db, sales, 'crm');
      await applyChange(ctx, admin, { upsert: inputs(...model) });
    });
    afterAll(() => t?.cleanup());

    it('creates the 新时代网络 quote: 20 Dell Vostro at ¥5,000 make ¥100,000, numbered, with the customer named', async () => {
      const customer = await createRecord(ctx, sales, 'customer', { name: '上海新时代网络科技有限公司', phone: '021-6888 1234' });
      expect(customer).toMatchObject({ name: '上海新时代网络科技有限公司', level: 'C', version: 1, owner_id: sales.id, created_by: sales.id });
      expect(customer.code).toMatch(/^KH\d{4}-\d{5}$/);
      const pc = await createRecord(ctx, admin, 'product', { name: 'Dell Vostro 3910', price: 5000 });
      const server = await createRecord(ctx, admin, 'product', { name: 'Dell PowerEdge R710', price: 19999.99 });
      const quote = await createRecord(ctx, sales, 'quote', {
        customer: customer.id,
        lines: [
          { product: pc.id, qty: 20, unit_price: 5000 },
          { product: server.id, qty: 3, unit_price: 1999.99, discount: 12.5 },
          { product: server.id, qty: 1, unit_price: 0.1 },
        ],
      });
      expect(quote.number).toMatch(/^BJ\d{6}-0001$/);
      expect(quote._labels).toEqual({ customer: '上海新时代网络科技有限公司' });
      expect((quote.lines as { amount: number }[]).map((l) => l.amount)).toEqual([100000, 5249.97, 0.1]);
      expect(quote.total).toBe(105250.07);
      expect(quote.tax).toBe(13682.51);
      const again = await getRecord(ctx, admin, 'quote', quote.id);
      expect(again).toEqual(quote);
    });

    it('reports every failing field at once, by label, in both languages, and writes nothing', async () => {
      const before = await sql`select count(*) as n from ws_crm.customer`.execute(ctx.db);
      const error = await refusal(createRecord(ctx, sales, 'customer', {
        name: 'x'.repeat(101), phone: 'call me', level: 'Z', credit_limit: '很多', birthday: '2026-02-30', nickname: 'x', code: 'KH1',
      }));
      expect(error.code).toBe('record_invalid');
      expect(error.problems.map((p) => `${p.code} ${p.path}`).sort()).toEqual([
        'field_not_in_entity /nickname', 'field_read_only /code',
        'field_value_invalid /birthday', 'field_value_invalid /credit_limit', 'field_value_invalid /level',
        'field_value_invalid /name', 'field_value_invalid /phone',
      ]);
      // A type's own pattern is explained in words; a regex means nothing to staff.
      expect(error.problems.find((p) => p.path === '/phone')!.message['zh-CN']).toBe('电话：应为电话号码：以数字开头，可含空格、-、括号、+ 前缀和分机号');
      const name = error.problems.find((p) => p.path === '/name')!;
      expect(name.message['zh-CN']).toMatch(/^客户名称：/);
      expect(name.message.en).toMatch(/^Customer name: /);
      const missing = await refusal(createRecord(ctx, sales, 'customer', {}));
      expect(missing.problems).toMatchObject([{ path: '/name', message: { 'zh-CN': expect.stringContaining('客户名称') } }]);
      // Values JSON Schema accepts but a column would not are field problems too, not SQL errors.
      const column = await refusal(createRecord(ctx, sales, 'customer', { name: 'a\u0000b', birthday: '0000-01-01', credit_limit: 1e20 }));
      expect(column.problems.map((p) => `${p.code} ${p.path}`).sort()).toEqual(['field_value_invalid /birthday', 'field_value_invalid /credit_limit', 'field_value_invalid /name']);
      expect(column.problems.find((p) => p.path === '/credit_limit')!.message['zh-CN']).toBe('信用额度：整数部分不能超过 16 位');
      const lineUuid = await refusal(createRecord(ctx, sales, 'quote', { customer: '0190f1a2-0000-7000-8000-00000000ffff', lines: [{ product: 'urn:uuid:0190f1a2-0000-7000-8000-00000000ffff', qty: 1, unit_price: 1 }] }));
      expect(lineUuid.problems).toMatchObject([{ code: 'field_value_invalid', path: '/lines/0/product', message: { en: expect.stringMatching(/^Lines line 1 Field lookup: must be a plain UUID/) } }]);
      const lines = await refusal(createRecord(ctx, sales, 'quote', { customer: '0190f1a2-0000-7000-8000-00000000ffff', lines: [{ qty: 0, unit_price: 1, amount: 5 }] }));
      expect(lines.problems.map((p) => `${p.code} ${p.path}`).sort()).toEqual(['field_read_only /lines/0/amount', 'field_value_invalid /lines/0/qty']);
      expect(lines.problems.find((p) => p.path === '/lines/0/qty')!.message['zh-CN']).toMatch(/^明细第 1 行 数量：/);
      expect((await sql`select count(*) as n from ws_crm.customer`.execute(ctx.db)).rows).toEqual(before.rows);
    });

    it('fills in a required field that has a default, on the record and on its line items', async () => {
      await applyChange(ctx, admin, { upsert: inputs(
        entity('ticket_line', { note: field({ type: 'text' }), urgent: field({ type: 'boolean' }, { default: false }) }, { required: ['urgent'] }),
        entity('ticket', {
          priority: field({ type: 'select', options: ['low', 'high'].map((v) => ({ value: v, label: L(v, v) })) }, { default: 'low' }),
          lines: field({ type: 'lines', entity: 'ticket_line' }),
        }, { required: ['priority'] }),
      ) });
      const ticket = await createRecord(ctx, sales, 'ticket', { lines: [{ note: '打印机卡纸' }] });
      expect(ticket).toMatchObject({ priority: 'low', lines: [{ note: '打印机卡纸', urgent: false }] });
    });

    it('refuses a lookup to a missing record, and stores injection strings as plain values', async () => {
      const error = await refusal(createRecord(ctx, sales, 'quote', { customer: '0190f1a2-0000-7000-8000-00000000ffff' }));
      expect(error.problems).toMatchObject([{ code: 'lookup_target_missing', path: '/customer' }]);
      const evil = "x'); drop table ws_crm.customer; --";
      const created = await createRecord(ctx, sales, 'customer', { name: evil, phone: '010-1' });
      expect((await getRecord(ctx, sales, 'customer', created.id)).name).toBe(evil);
      expect((await refusal(getRecord(ctx, sales, 'customer', "1' or '1'='1"))).code).toBe('record_not_found');
      expect((await refusal(createRecord(ctx, sales, 'customer; drop table x', {}))).code).toBe('entity_unknown');
    });

    it('refuses a stale version with the current one, and of two concurrent updates exactly one wins', async () => {
      const c = await createRecord(ctx, sales, 'customer', { name: '北京华远贸易' });
      const first = await updateRecord(ctx, sales, 'customer', c.id, { phone: '010-8888' }, { version: 1 });
      expect(first).toMatchObject({ version: 2, phone: '010-8888' });
      const stale = await refusal(updateRecord(ctx, admin, 'customer', c.id, { phone: '010-0000' }, { version: 1 }));
      expect(stale.code).toBe('record_conflict');
      expect(stale.text.en).toContain('it is now version 2 (sales1');
      expect((await refusal(updateRecord(ctx, admin, 'customer', c.id, { phone: '1' }, {}))).code).toBe('record_version_required');

      const results = await Promise.allSettled([
        updateRecord(ctx, sales, 'customer', c.id, { level: 'A' }, { version: 2 }),
        updateRecord(ctx, admin, 'customer', c.id, { level: 'B' }, { version: 2 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((lost.reason as FormaError).code).toBe('record_conflict');
      const final = await getRecord(ctx, admin, 'customer', c.id);
      expect(final.version).toBe(3);
      expect(final.phone).toBe('010-8888');
    });

    it('replaces line items: keeps rows sent back with their id, deletes the others, recomputes totals', async () => {
      const customer = await createRecord(ctx, sales, 'customer', { name: '深圳光明电子' });
      const quote = await createRecord(ctx, sales, 'quote', {
        customer: customer.id,
        lines: [{ qty: 10, unit_price: 100 }, { qty: 4, unit_price: 2500 }, { qty: 1, unit_price: 1 }],
      });
      const [a, b] = quote.lines as { id: string }[];
      const updated = await updateRecord(ctx, sales, 'quote', quote.id, {
        lines: [{ id: b!.id, qty: 4, unit_price: 2500 }, { id: a!.id, qty: 20, unit_price: 100 }, { qty: 2, unit_price: 50 }],
      }, { version: quote.version });
      const lines = updated.lines as { id: string; amount: number }[];
      expect(lines.map((l) => l.id).slice(0, 2)).toEqual([b!.id, a!.id]);
      expect(lines.map((l) => l.amount)).toEqual([10000, 2000, 100]);
      expect(updated.total).toBe(12100);
      const foreign = await refusal(updateRecord(ctx, sales, 'quote', quote.id, { lines: [{ id: '0190f1a2-0000-7000-8000-00000000eeee', qty: 1, unit_price: 1 }] }, { version: updated.version }));
      expect(foreign.problems).toMatchObject([{ code: 'line_not_found', path: '/lines/0/id' }]);
      expect((await refusal(createRecord(ctx, sales, 'quote_line', { qty: 1, unit_price: 1 }))).code).toBe('line_entity_direct');
    });

    it('keeps the change history of every write with before and after values', async () => {
      const c = await createRecord(ctx, sales, 'customer', { name: '广州天河商贸', phone: '020-1' });
      await updateRecord(ctx, admin, 'customer', c.id, { phone: '020-2', level: 'B' }, { version: 1 });
      await deleteRecord(ctx, admin, 'customer', c.id);
      await restoreRecord(ctx, admin, 'customer', c.id);
      const history = await getRecordHistory(ctx, admin, 'customer', c.id);
      expect(history.map((h) => [h.operation, h.version, h.actor.name])).toEqual([
        ['create', 1, 'sales1'], ['update', 2, 'system:test'], ['delete', 3, 'system:test'], ['restore', 4, 'system:test'],
      ]);
      expect(history[0]!.changes).toMatchObject({ name: [null, '广州天河商贸'], phone: [null, '020-1'], level: [null, 'C'] });
      expect(history[1]!.changes).toEqual({ phone: ['020-1', '020-2'], level: ['C', 'B'] });
    });

    it('soft-deletes to the recycle bin, restores, and purges only from the bin', async () => {
      const c = await createRecord(ctx, sales, 'customer', { name: '杭州西湖软件' });
      expect((await refusal(purgeRecord(ctx, admin, 'customer', c.id))).code).toBe('record_not_deleted');
      await deleteRecord(ctx, sales, 'customer', c.id);
      expect((await refusal(getRecord(ctx, sales, 'customer', c.id))).code).toBe('record_not_found');
      expect((await getRecord(ctx, sales, 'customer', c.id, { includeDeleted: true })).deleted_at).not.toBeNull();
      expect((await refusal(updateRecord(ctx, sales, 'customer', c.id, { phone: '1' }, { version: 2 }))).code).toBe('record_deleted');
      await restoreRecord(ctx, sales, 'customer', c.id);
      expect((await getRecord(ctx, sales, 'customer', c.id)).deleted_at).toBeNull();

      const referenced = await createRecord(ctx, sales, 'customer', { name: '被引用的客户' });
      await createRecord(ctx, sales, 'quote', { customer: referenced.id });
      await deleteRecord(ctx, sales, 'customer', referenced.id);
      expect((await refusal(purgeRecord(ctx, admin, 'customer', referenced.id))).code).toBe('record_referenced');
      await deleteRecord(ctx, sales, 'customer', c.id);
      await purgeRecord(ctx, admin, 'customer', c.id);
      expect((await refusal(getRecord(ctx, sales, 'customer', c.id, { includeDeleted: true }))).code).toBe('record_not_found');
      expect((await getRecordHistory(ctx, admin, 'customer', c.id).catch(() => 'gone'))).toBe('gone');
    });

    it('numbers 50 parallel creates consecutively, and a create failing after its draw leaves no gap', async () => {
      const created = await Promise.all(Array.from({ length: 50 }, (_, i) => createRecord(ctx, sales, 'contract', { title: `合同 ${i}` })));
      const numbers = created.map((c) => Number(String(c.number).slice(3))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // A typed number that is taken is refused (the rule allows typing); the unique tax number
      // fails after the customer's number was drawn, and the next customer gets that number.
      expect((await refusal(createRecord(ctx, sales, 'contract', { number: 'HT-0007' }))).problems).toMatchObject([{ code: 'number_taken', path: '/number' }]);
      await createRecord(ctx, sales, 'customer', { name: '有税号', tax_no: '91310000' });
      const last = await sql<{ code: string }>`select code from ws_crm.customer order by code desc limit 1`.execute(ctx.db);
      const taken = await refusal(createRecord(ctx, sales, 'customer', { name: '重复税号', tax_no: '91310000' }));
      expect(taken.problems).toMatchObject([{ code: 'value_taken', path: '/tax_no', message: { 'zh-CN': '税号："91310000" 已存在，不能重复', en: 'Tax number: "91310000" already exists and must be unique' } }]);
      const next = await createRecord(ctx, sales, 'customer', { name: '下一个' });
      const seq = (code: string) => Number(code.split('-')[1]);
      expect(seq(String(next.code))).toBe(seq(last.rows[0]!.code) + 1);
    });
  });
}
