// The data print templates are rendered with (engine/print/data.ts), read through the records
// engine as the printing person: fields, text, lines, lookups, labels, related lists, the
// company profile — and only what that person may read.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import { printData } from '../../engine/print/data.ts';
import { findPrintTemplate, type PrintTemplateDocument } from '../../engine/print/template-document.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { createRecord, deleteRecord, restoreRecord } from '../../engine/records/write.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createUser } from '../../engine/security/users.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { refusal } from '../support/refusal.ts';
import { printFixture, SEPTEMBER, type PrintFixture } from './print-fixture.ts';

const system = systemActor('test');

/** A role that reads every customer and quote but not customers' credit limits. */
const assistantRole = {
  kind: 'role',
  name: 'sales_assistant',
  label: { 'zh-CN': '销售助理', en: 'Sales assistant' },
  permissions: {
    customer: { read: true, print: true, scope: 'all', fields: { credit_limit: 'hidden' } },
    quote: { read: true, print: true, scope: 'all' },
    contact: { read: true, scope: 'all' },
    sales_order: { read: true, scope: 'all' },
    receipt: { read: true, scope: 'all' },
  },
};

for (const setup of testDatabases()) {
  describe(`print data on ${setup.kind}`, { timeout: 300_000 }, () => {
    let t: TestDatabase;
    let dataDir: string;
    let fixture: PrintFixture;
    let assistant: Actor;
    const ctx = () => ({ db: t.database.db, workspace: 'crm' });
    const template = async (name: string): Promise<PrintTemplateDocument> => findPrintTemplate((await cachedModel(t.database.db, 'crm')).model, name);
    const dataOf = async (actor: Actor, name: string, id: string, options: Parameters<typeof printData>[4] = {}) =>
      printData(ctx(), actor, await template(name), id, { dataDir, ...options });

    beforeAll(async () => {
      t = await setup.open();
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'forma-print-data-'));
      fixture = await printFixture(t.database.db, 'crm', dataDir, 3);
      await applyChange(ctx(), system, { upsert: [{ document: assistantRole }] });
      const user = await createUser(t.database.db, system, { login: 'assistant1', displayName: '周助理' });
      await setUserRoles(t.database.db, system, 'crm', 'assistant1', ['sales_assistant']);
      assistant = { id: user.id, name: 'assistant1', kind: 'user' };
    }, 300_000);
    afterAll(async () => {
      await t?.cleanup();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('gives a quote its fields and text, its lines with their products, its lookups, labels, owner and the company profile', async () => {
      const data = await dataOf(fixture.users.sales1, 'quote', fixture.ids.quote, { now: new Date('2026-09-02T03:00:00Z') });
      expect(data.record).toMatchObject({ id: fixture.ids.quote, customer: fixture.ids.xsd, quote_date: '2026-09-01', total: 100000, owner_id: fixture.users.sales1.id });
      expect(data.record.number).toMatch(/^BJ\d{6}-\d{4}$/);
      expect(data.record._text).toMatchObject({
        number: data.record.number, customer: '新时代网络公司', contact: '张建华', quote_date: '2026年9月1日', valid_until: '2026年9月30日',
        total: '¥100,000.00', tax_amount: '¥11,504.42', owner: '李明（销售一部）', payment_terms: null, created_by: '李明（销售一部）',
      });
      const [line] = data.record.lines as Record<string, any>[];
      expect(line).toMatchObject({ qty: 20, unit_price: 5000, amount: 100000 });
      expect(line!._text).toMatchObject({ product: 'Dell Vostro 3910 商用台式机', qty: '20', unit_price: '¥5,000.00', amount: '¥100,000.00', tax_rate: '13%' });
      expect(line!.lookups.product).toMatchObject({ spec: 'i5-12400/16G/512G SSD', unit: 'tai', _text: { unit: '台' } });
      // Hidden from salespeople: the product's cost is not in the line's product.
      expect(line!.lookups.product).not.toHaveProperty('cost');

      expect(data.lookups.customer).toMatchObject({ name: '新时代网络公司', postcode: '200030', phone: '021-6888 1234', _text: { region: '上海市 徐汇区', level: 'VIP' } });
      expect(data.lookups.contact).toMatchObject({ name: '张建华', mobile: '138 0013 8000', _text: { is_primary: '是' } });
      expect(data.lookups.opportunity).toMatchObject({ name: '新时代网络 办公电脑更新' });
      expect(data.labels).toMatchObject({ number: '报价单号', total: '合计金额（含税）', lines: '报价明细' });
      expect(data.lineLabels.lines).toMatchObject({ product: '商品', qty: '数量', unit_price: '含税单价' });
      expect(data).toMatchObject({
        owner: { id: fixture.users.sales1.id, name: '李明（销售一部）' }, printedBy: { id: fixture.users.sales1.id, name: '李明（销售一部）' },
        today: '2026-09-02', locale: 'zh-CN', entity: { name: 'quote', label: '报价单' }, period: SEPTEMBER, related: {}, relatedTotals: {},
      });
      expect(data.company).toMatchObject({ name: '上海新时代示范科技有限公司', postcode: '200233', bank_name: '示范银行上海徐汇支行', _text: { region: '上海市 徐汇区' } });
      expect(data.company.logo).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(String(data.company.seal).split(',')[1]!, 'base64').toString()).toContain('上海新时代示范科技有限公司');
    });

    it('writes text and labels in the language of the document', async () => {
      const data = await dataOf(fixture.users.sales1, 'quote', fixture.ids.quote, { locale: 'en' });
      expect(data.record._text).toMatchObject({ quote_date: 'September 1, 2026', total: '¥100,000.00' });
      expect(data.labels.total).toBe('Total (incl. tax)');
      expect(data.entity.label).toBe('Quote');
      expect(data.lookups.contact!._text.is_primary).toBe('Yes');
      expect((data.record.lines as Record<string, any>[])[0]!.lookups.product._text.unit).toBe('Unit');
    });

    it('finds no record outside the actor\'s scope', async () => {
      const error = await refusal(dataOf(fixture.users.sales2, 'quote', fixture.ids.quote));
      expect(error.code).toBe('record_not_found');
    });

    it('leaves hidden fields out: of the record, its text and labels, and of the records it points to', async () => {
      const statement = await dataOf(assistant, 'customer_statement', fixture.ids.xsd, { period: SEPTEMBER });
      expect(statement.record.name).toBe('新时代网络公司');
      for (const part of [statement.record, statement.record._text, statement.labels]) expect(part).not.toHaveProperty('credit_limit');
      const quote = await dataOf(assistant, 'quote', fixture.ids.quote);
      expect(quote.lookups.customer!.name).toBe('新时代网络公司');
      expect(quote.lookups.customer).not.toHaveProperty('credit_limit');
      const manager = await dataOf(fixture.users.manager1, 'quote', fixture.ids.quote);
      expect(manager.lookups.customer).toMatchObject({ credit_limit: 500000, _text: { credit_limit: '¥500,000.00' } });
    });

    it('gives an empty lookup, and one the actor may not read, every key of a record, all null', async () => {
      const other = await createRecord(ctx(), system, 'contact', { name: '王芳', customer: fixture.ids.xsd, owner: fixture.users.sales2.id });
      const quote = await createRecord(ctx(), system, 'quote', {
        customer: fixture.ids.xsd, contact: other.id, owner: fixture.users.sales1.id, lines: [{ description: '上门安装服务', qty: 1, unit_price: 800 }],
      });
      const full = await dataOf(fixture.users.sales1, 'quote', fixture.ids.quote);
      const data = await dataOf(fixture.users.sales1, 'quote', quote.id);
      const emptyContact = data.lookups.contact!;
      const contact = full.lookups.contact!;
      expect(Object.keys(emptyContact).sort()).toEqual(Object.keys(contact).sort());
      expect(Object.keys(emptyContact._text).sort()).toEqual(Object.keys(contact._text).sort());
      expect(Object.values(emptyContact).filter((v) => v !== null && v !== emptyContact._text)).toEqual([]);
      expect(Object.values(emptyContact._text).every((v) => v === null)).toBe(true);
      expect(data.record._text.contact).toBeNull();
      // No opportunity: the same empty shape; a line without a product has an empty product.
      expect(Object.keys(data.lookups.opportunity!).sort()).toEqual(Object.keys(full.lookups.opportunity!).sort());
      const [line] = data.record.lines as Record<string, any>[];
      expect(line!.lookups.product.name).toBeNull();
      expect(line!._text).toMatchObject({ product: null, description: '上门安装服务', amount: '¥800.00' });
    });

    it('lists the records of the period pointing to the record, with their sums, for related lists the template names', async () => {
      const data = await dataOf(fixture.users.manager1, 'customer_statement', fixture.ids.xsd, { period: SEPTEMBER });
      expect(data.related.sales_order!.map((o) => [o.id, o.order_date, o._text.total, o._text.status])).toEqual([[fixture.ids.order, '2026-09-20', '¥100,000.00', '已发货']]);
      expect(data.related.receipt!.map((r) => [r.received_on, r._text.amount, r._text.method])).toEqual([
        ['2026-09-21', '¥30,000.00', '银行转账'], ['2026-09-28', '¥50,000.00', '银行转账'],
      ]);
      expect(data.relatedTotals).toEqual({ sales_order: { total: 100000, tax_amount: 11504.42, amount_excl_tax: 88495.58 }, receipt: { amount: 80000 } });

      // By default the current month; an order without an order date counts on the day it was entered.
      const undated = await createRecord(ctx(), fixture.users.sales1, 'sales_order', { customer: fixture.ids.xsd, lines: [{ qty: 2, unit_price: 300, description: '键盘' }] });
      const now = await dataOf(fixture.users.manager1, 'customer_statement', fixture.ids.xsd);
      expect(now.related.sales_order!.map((o) => o.id)).toEqual([undated.id]);
      expect(now.relatedTotals.receipt).toEqual({ amount: 0 });
      const october = await dataOf(fixture.users.manager1, 'customer_statement', fixture.ids.xsd, { period: { from: '2026-10-01', to: '2026-10-31' } });
      expect(october.related.sales_order).toEqual([]);
    });

    it('refuses a related list the actor may not read rather than printing it empty', async () => {
      // Salespeople do not see the finance module, where receipts are.
      const error = await refusal(dataOf(fixture.users.sales1, 'customer_statement', fixture.ids.xsd));
      expect(error.code).toBe('entity_unknown');
    });

    it('gives all-null company values when there is no company profile', async () => {
      const [company] = (await runQuery(ctx(), system, 'company', {})).records;
      await deleteRecord(ctx(), system, 'company', String(company!.id));
      try {
        const data = await dataOf(fixture.users.sales1, 'quote', fixture.ids.quote);
        expect(data.company).toMatchObject({ name: null, address: null, logo: null, seal: null, _text: { name: null, region: null } });
      } finally {
        await restoreRecord(ctx(), system, 'company', String(company!.id));
      }
    });

    it('refuses a period that is none, and a related list of an entity that does not point to the record', async () => {
      for (const period of [{ from: '2026-02-30' }, { to: '2026-13-01' }, { from: '2026-10-01', to: '2026-09-30' }, { to: 'soon' }]) {
        expect((await refusal(dataOf(fixture.users.sales1, 'quote', fixture.ids.quote, { period }))).code).toBe('print_period_invalid');
      }
      const broken: PrintTemplateDocument = { ...(await template('quote')), source: '{{#each related.product}}{{name}}{{/each}}' };
      const error = await refusal(printData(ctx(), fixture.users.sales1, broken, fixture.ids.quote));
      expect(error.code).toBe('print_related_invalid');
      expect(error.text['zh-CN']).toContain('related.product');
    });
  });
}

