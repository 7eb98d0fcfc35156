import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldType } from '../../engine/field-types/registry.ts';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import type { EntityDocument, MetadataDocument } from '../../engine/metadata/model.ts';
import type { DocumentInput } from '../../engine/metadata/read-documents.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { calendarDate, DEFAULT_TIME_ZONE, type RecordsContext } from '../../engine/records/context.ts';
import { createRecord, updateRecord } from '../../engine/records/write.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { enrol } from '../support/users.ts';

const dir = fileURLToPath(new URL('../../metadata/standard-crm/', import.meta.url));
const actor = systemActor('test');
const sales: Actor = { id: '0190f1a2-0000-7000-8000-000000000001', name: 'sales1', kind: 'user' };

/** The machine names issue 4 fixes as public API: entity → field → field type. */
const required: Record<string, Record<string, string>> = {
  customer: {
    name: 'text', code: 'autonumber', phone: 'phone', level: 'select', owner: 'user', region: 'region', credit_limit: 'money',
    birthday: 'date', source: 'select', points: 'integer', preferences: 'multiselect', industry: 'select', email: 'email',
    website: 'url', address: 'textarea', postcode: 'text', remarks: 'textarea',
  },
  contact: {
    name: 'text', customer: 'lookup', title: 'text', phone: 'phone', mobile: 'phone', email: 'email', wechat: 'text',
    birthday: 'date', is_primary: 'boolean', remarks: 'textarea', owner: 'user',
  },
  activity: {
    subject: 'text', type: 'select', customer: 'lookup', contact: 'lookup', opportunity: 'lookup', activity_time: 'datetime',
    result: 'textarea', next_step: 'text', remind_at: 'datetime', owner: 'user',
  },
  opportunity: {
    name: 'text', customer: 'lookup', stage: 'select', amount: 'money', expected_close: 'date', competitor: 'text',
    source: 'select', owner: 'user',
  },
  product: {
    code: 'autonumber', name: 'text', spec: 'text', unit: 'select', price: 'money', cost: 'money', stock: 'integer',
    safety_stock: 'integer', category: 'select', active: 'boolean', owner: 'user',
  },
  quote: {
    number: 'autonumber', customer: 'lookup', contact: 'lookup', valid_until: 'date', lines: 'lines', total: 'formula',
    remarks: 'textarea', owner: 'user',
  },
  quote_line: { product: 'lookup', qty: 'integer', unit_price: 'money', discount: 'percent', tax_rate: 'percent', amount: 'formula' },
  contract: {
    number: 'autonumber', customer: 'lookup', title: 'text', amount: 'money', signed_on: 'date', start_date: 'date',
    end_date: 'date', owner: 'user',
  },
  sales_order: {
    number: 'autonumber', customer: 'lookup', lines: 'lines', total: 'formula', order_date: 'date', delivery_date: 'date',
    payment_terms: 'select', owner: 'user',
  },
  sales_order_line: { product: 'lookup', qty: 'integer', unit_price: 'money', discount: 'percent', tax_rate: 'percent', amount: 'formula' },
  receipt: { sales_order: 'lookup', customer: 'lookup', amount: 'money', received_on: 'date', method: 'select', owner: 'user' },
  shipment: {
    sales_order: 'lookup', carrier: 'text', tracking_number: 'text', shipped_on: 'date', address: 'textarea', owner: 'user',
  },
  service_ticket: {
    number: 'autonumber', customer: 'lookup', contact: 'lookup', type: 'select', priority: 'select', description: 'textarea',
    resolution: 'textarea', satisfaction: 'select', owner: 'user',
  },
  expense: {
    title: 'text', amount: 'money', expense_date: 'date', customer: 'lookup', sales_order: 'lookup', category: 'select', owner: 'user',
  },
  supplier: { code: 'autonumber', name: 'text', contact_name: 'text', phone: 'phone', address: 'textarea', owner: 'user' },
  purchase_order: { number: 'autonumber', supplier: 'lookup', lines: 'lines', total: 'formula', owner: 'user' },
  purchase_order_line: { product: 'lookup', qty: 'integer', unit_price: 'money', tax_rate: 'percent', amount: 'formula' },
  channel_partner: { name: 'text', owner: 'user' },
  campaign: {
    name: 'text', channel: 'select', start_date: 'date', end_date: 'date', cost: 'money', expected_revenue: 'money',
    leads_count: 'integer', owner: 'user',
  },
  task: { subject: 'text', due_at: 'datetime', priority: 'select', done: 'boolean', remind_at: 'datetime', owner: 'user' },
  announcement: { title: 'text', body: 'richtext', published_on: 'date', owner: 'user' },
  knowledge_article: { title: 'text', category: 'select', body: 'richtext', tags: 'multiselect', owner: 'user' },
  // The company profile printed on every document (issue 8).
  company: {
    name: 'text', english_name: 'text', region: 'region', address: 'textarea', postcode: 'text', phone: 'phone', fax: 'phone',
    email: 'email', website: 'url', tax_no: 'text', bank_name: 'text', bank_account: 'text', logo: 'file', seal: 'file', owner: 'user',
  },
};
const lineEntities = ['quote_line', 'sales_order_line', 'purchase_order_line'];
const mainEntities = Object.keys(required).filter((name) => !lineEntities.includes(name));
const folders: Record<string, string> = { module: 'modules', entity: 'entities', numbering: 'numbering', listView: 'list-views', layout: 'layouts', role: 'roles', printTemplate: 'print-templates' };
const cjk = /[\u4e00-\u9fff]/;

async function jsonFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

let inputs: DocumentInput[];
let documents: MetadataDocument[];
const entityDoc = (name: string) => documents.find((d) => d.kind === 'entity' && d.name === name) as EntityDocument;
const ofKind = (kind: string) => documents.filter((d) => d.kind === kind);

beforeAll(async () => {
  const loaded = await loadDocuments(dir);
  expect(loaded.problems).toEqual([]);
  inputs = loaded.inputs;
  const validated = validateDocuments(inputs);
  expect(validated.problems).toEqual([]);
  documents = validated.documents;
});

describe('the standard CRM package', () => {
  it('validates, and its manifest lists exactly the documents beside it, each in its kind\'s folder', async () => {
    const manifests = ofKind('package');
    expect(manifests).toHaveLength(1);
    const manifest = manifests[0]!;
    expect(manifest).toMatchObject({ name: 'standard_crm', version: '1.0.0', description: { 'zh-CN': expect.any(String), en: expect.any(String) } });
    const listed = manifest.documents as string[];
    expect([...listed].sort()).toEqual((await jsonFiles()).filter((f) => f !== 'forma-package.json'));
    for (const input of inputs) {
      const doc = input.document as MetadataDocument;
      if (doc.kind === 'package') continue;
      expect(path.relative(dir, input.source!).split(path.sep).join('/')).toBe(`${folders[doc.kind]}/${doc.name}.json`);
    }
    // Modules and numbering rules before the entities naming them, entities before views, layouts, roles and print templates.
    const order = ['modules', 'numbering', 'entities', 'list-views', 'layouts', 'roles', 'print-templates'];
    const kindAt = listed.map((file) => file.split('/')[0]);
    expect(kindAt).toEqual([...kindAt].sort((a, b) => order.indexOf(a!) - order.indexOf(b!)));
    // Workflows and reports come later.
    expect(new Set(documents.map((d) => d.kind))).toEqual(new Set(['package', 'module', 'numbering', 'entity', 'listView', 'layout', 'role', 'printTemplate']));
  });

  it('has every entity and field issue 4 names, with its type, module, icon and display field', () => {
    expect(ofKind('entity').map((e) => e.name).sort()).toEqual(Object.keys(required).sort());
    for (const [name, fields] of Object.entries(required)) {
      const entity = entityDoc(name);
      const types = Object.fromEntries(Object.entries(entity.schema.properties).map(([f, def]) => [f, def['x-forma'].type]));
      expect({ entity: name, ...types }).toMatchObject({ entity: name, ...fields });
      const options = entity.schema['x-forma']!;
      expect(options.module, name).toMatch(/^[a-z]+$/);
      expect(options.icon, name).toBeTruthy();
      expect(entity.schema.properties[options.displayField!], `${name}.displayField`).toBeDefined();
      // Chinese first: every entity and field label is written in Chinese.
      expect(entity.label['zh-CN'], name).toMatch(cjk);
      for (const [f, def] of Object.entries(entity.schema.properties)) expect(def['x-forma'].label['zh-CN'], `${name}.${f}`).toMatch(cjk);
    }
    // Every main entity has its owner (负责人) on the system owner column; line items have none.
    for (const name of mainEntities) expect(entityDoc(name).schema.properties.owner!['x-forma'], name).toMatchObject({ type: 'user', column: 'owner_id' });
    for (const name of lineEntities) expect(entityDoc(name).schema.properties.owner, name).toBeUndefined();
  });

  it('fixes the customer, opportunity and quote details staff rely on', () => {
    const customer = entityDoc('customer');
    expect(customer.schema.required).toContain('name');
    expect(customer.schema['x-forma']!.displayField).toBe('name');
    expect(customer.schema.properties.name!['x-forma'].searchable).toBe(true);
    expect(customer.schema.properties.code!['x-forma'].numbering).toBe('customer_code');
    expect(customer.schema.properties.region!['x-forma'].level).toBe('district');
    const level = customer.schema.properties.level!['x-forma'].options!;
    expect(level.map((o) => o.value)).toEqual(['A', 'B', 'C', 'VIP']);
    expect(level.every((o) => /^#[0-9a-f]{6}$/i.test(o.color ?? ''))).toBe(true);
    expect(customer.schema.properties.source!['x-forma'].options!.map((o) => o.label['zh-CN'])).toEqual(['展会', '网络', '转介绍', '电话营销', '广告', '老客户', '其他']);

    const stage = entityDoc('opportunity').schema.properties.stage!['x-forma'].options!;
    expect(stage.map((o) => [o.label['zh-CN'], o.probability])).toEqual([
      ['初步接洽', 5], ['需求确认', 10], ['方案报价', 20], ['商务谈判', 30], ['合同审批', 50], ['赢单在望', 80], ['赢单', 100], ['输单', 0],
    ]);
    expect(stage.every((o) => /^[a-z][a-z_]*$/.test(o.value))).toBe(true);
    expect(entityDoc('activity').schema.properties.type!['x-forma'].options!.map((o) => o.label['zh-CN'])).toEqual(['电话', '拜访', '会议', '邮件', '微信', '其他']);
    expect(entityDoc('product').schema.properties.unit!['x-forma'].options!.map((o) => o.label['zh-CN'])).toEqual(['台', '个', '套', '件', '箱', '次', '年']);

    const line = entityDoc('quote_line').schema.properties;
    expect(line.qty).toMatchObject({ minimum: 1 });
    expect(line.discount).toMatchObject({ default: 0 });
    expect(line.tax_rate).toMatchObject({ default: 13 });
    expect(line.amount!['x-forma']).toMatchObject({ expression: 'qty * unit_price * (1 - discount / 100)', resultType: 'money' });
    expect(entityDoc('quote').schema.properties.lines!['x-forma'].entity).toBe('quote_line');
    expect(entityDoc('quote').schema.properties.total!['x-forma']).toMatchObject({ expression: 'sum(lines.amount)', resultType: 'money' });
    expect(entityDoc('quote').schema.required).toContain('customer');
    expect(entityDoc('contact').schema.required).toContain('customer');
  });

  it('numbers customers, products and documents by the agreed patterns', () => {
    const rules = Object.fromEntries(ofKind('numbering').map((r) => [r.name, [r.pattern, r.reset]]));
    expect(rules).toMatchObject({
      customer_code: ['KH{YYYY}-{#####}', 'yearly'],
      product_code: ['SP{#####}', 'never'],
      quote_number: ['BJ{YYYY}{MM}-{####}', 'monthly'],
      sales_order_number: ['SO{YYYY}{MM}-{####}', 'monthly'],
      purchase_order_number: ['PO{YYYY}{MM}-{####}', 'monthly'],
      contract_number: ['HT{YYYY}-{####}', 'yearly'],
    });
    const numbers = { customer: 'code', product: 'code', quote: 'number', sales_order: 'number', purchase_order: 'number', contract: 'number' };
    const used = Object.entries(numbers).map(([e, f]) => entityDoc(e).schema.properties[f]!['x-forma'].numbering);
    expect(used).toEqual(['customer_code', 'product_code', 'quote_number', 'sales_order_number', 'purchase_order_number', 'contract_number']);
  });

  it('gives every main entity a list view and the main ones a form with line items in their own section', () => {
    const views = ofKind('listView');
    for (const name of mainEntities) {
      const own = views.filter((v) => v.entity === name);
      expect(own, name).toHaveLength(1);
      expect((own[0]!.defaultSort as unknown[]).length, name).toBeGreaterThan(0);
    }
    expect(views.find((v) => v.entity === 'opportunity')!.kanban).toMatchObject({ groupBy: 'stage' });
    const layouts = ofKind('layout');
    for (const name of ['customer', 'contact', 'activity', 'opportunity', 'product', 'quote', 'sales_order', 'purchase_order']) {
      const form = layouts.find((l) => l.entity === name);
      expect(form, name).toBeDefined();
      const sections = form!.sections as { label: Record<string, string>; columns: number; fields: unknown[] }[];
      expect(sections.every((s) => s.columns <= 2 && cjk.test(s.label['zh-CN']!) && s.label.en)).toBe(true);
      const lines = sections.find((s) => s.fields.includes('lines'));
      if (required[name]!.lines) expect(lines?.fields, name).toEqual(['lines']);
    }
  });
});

for (const setup of testDatabases()) {
  describe(`the standard CRM applied on ${setup.kind}`, () => {
    let t: TestDatabase;
    let ctx: RecordsContext;
    beforeAll(async () => {
      t = await setup.open();
      ctx = { db: t.database.db, workspace: 'crm' };
      await enrol(ctx.db, sales, 'crm');
    });
    afterAll(() => t?.cleanup());

    it('creates every table with its columns, and applying it again changes nothing', async () => {
      const first = await applyChange(ctx, actor, { upsert: inputs }, { reason: 'install standard_crm 1.0.0' });
      expect(first.changed).toBe(true);
      const { rows } = await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns where table_schema = 'ws_crm'`.execute(ctx.db);
      const columns = new Map<string, Set<string>>();
      for (const r of rows) columns.set(r.table_name, (columns.get(r.table_name) ?? new Set()).add(r.column_name));
      for (const name of Object.keys(required)) {
        const entity = entityDoc(name);
        const expected = ['id', 'version', 'owner_id', 'created_at', 'deleted_at', ...(lineEntities.includes(name) ? ['parent_id', 'position'] : [])];
        for (const [field, def] of Object.entries(entity.schema.properties)) {
          if (fieldType(def['x-forma'].type).column(def['x-forma']) !== null) expected.push(def['x-forma'].column ?? field);
        }
        expect([...(columns.get(name) ?? [])].sort(), name).toEqual(expect.arrayContaining(expected));
      }
      const again = await applyChange(ctx, actor, { upsert: inputs });
      expect(again).toMatchObject({ changed: false, version: first.version });
    });

    it('stores rich text sanitised, whatever sent it: nothing that runs, loads or hides', async () => {
      const article = await createRecord(ctx, actor, 'knowledge_article', {
        title: '报价流程',
        body: '<p onclick="steal()">先<strong>确认</strong>配置<script>alert(1)</script></p><img src="http://evil.example/x.png"><a href="javascript:alert(1)">点我</a><ul><li>再报价</li></ul>',
      });
      expect(article.body).toBe('<p>先<strong>确认</strong>配置</p><a>点我</a><ul><li>再报价</li></ul>');
      const updated = await updateRecord(ctx, actor, 'knowledge_article', article.id, { body: '<p style="display:none">藏</p><a href="https://forma.dev">文档</a>' }, { version: article.version });
      expect(updated.body).toBe('<p>藏</p><a href="https://forma.dev">文档</a>');
    });

    it('takes a customer, a product and a three-line quote: numbered, tax-inclusive totals', async () => {
      const today = calendarDate(new Date(), DEFAULT_TIME_ZONE).replaceAll('-', '');
      const customer = await createRecord(ctx, sales, 'customer', {
        name: '上海新时代网络科技有限公司', phone: '021-6888 1234', level: 'VIP', region: '310115', credit_limit: 200000,
        source: 'exhibition', preferences: ['tea', 'golf'], birthday: '1975-06-18',
      });
      expect(customer.code).toBe(`KH${today.slice(0, 4)}-00001`);
      expect(customer).toMatchObject({ points: 0, owner: sales.id, owner_id: sales.id });
      const reassigned = await createRecord(ctx, actor, 'customer', { name: '北京华远贸易有限公司', owner: sales.id });
      expect(reassigned).toMatchObject({ owner: sales.id, owner_id: sales.id, code: `KH${today.slice(0, 4)}-00002` });

      const pc = await createRecord(ctx, actor, 'product', { name: 'Dell Vostro 3910', spec: 'i5-12400/16G/512G', unit: 'tai', price: 5000, cost: 4200, stock: 3, safety_stock: 5 });
      expect(pc).toMatchObject({ code: 'SP00001', active: true, below_safety_stock: true });
      const server = await createRecord(ctx, actor, 'product', { name: 'Dell PowerEdge R760', unit: 'tai', price: 1999.99 });
      const service = await createRecord(ctx, actor, 'product', { name: '上门安装调试', unit: 'time', category: 'service', price: 800 });
      expect(server.code).toBe('SP00002');

      const quote = await createRecord(ctx, sales, 'quote', {
        customer: customer.id,
        valid_until: '2099-12-31',
        lines: [
          { product: pc.id, qty: 20, unit_price: 5000 },
          { product: server.id, qty: 3, unit_price: 1999.99, discount: 12.5 },
          { product: service.id, description: '含调试与培训', qty: 1, unit_price: 800, tax_rate: 6 },
        ],
      });
      expect(quote.number).toBe(`BJ${today.slice(0, 6)}-0001`);
      expect(quote._labels).toMatchObject({ customer: '上海新时代网络科技有限公司' });
      const lines = quote.lines as Record<string, unknown>[];
      expect(lines.map((l) => [l.discount, l.tax_rate, l.amount, l.tax_amount])).toEqual([
        [0, 13, 100000, 11504.42], // 100000 × 13 / 113
        [12.5, 13, 5249.97, 603.98], // 3 × 1999.99 × 0.875 = 5249.97375
        [0, 6, 800, 45.28], // 800 × 6 / 106
      ]);
      expect(quote).toMatchObject({ total: 106049.97, tax_amount: 12153.68, amount_excl_tax: 93896.29, owner_id: sales.id });
    });
  });
}
