// The built-in print templates (templates/*.hbs, installed with the standard CRM) printed by the
// print service (engine/print/print.ts) for demo records in the Debian Chromium, read back with
// poppler: the Chinese text, numbers, totals and capital-numeral amounts, paper sizes, tables over
// several pages, label sheets; refusals; the system log. Each template's first page is written to
// tests/artifacts/print-template-<name>.png to look at.
// FORMA_WRITE_PRINT_SAMPLES=1 also writes the data each template was printed with to
// templates/samples/<name>.json (ids replaced by fixed ones): the template editor's preview data.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import { printData, type PrintDataOptions } from '../../engine/print/data.ts';
import { compiledPrintTemplate, findPrintTemplate } from '../../engine/print/template-document.ts';
import { printBatch, printRecord, type PrintProgress } from '../../engine/print/print.ts';
import { PdfRenderer } from '../../engine/print/renderer.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { createRecord } from '../../engine/records/write.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { searchSystemLog } from '../../engine/security/system-log.ts';
import { createUser } from '../../engine/security/users.ts';
import { builtTemplates, packageTemplatesDir, templatesDir } from '../../templates/build.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { pdfInfo, pdfScreenshot, pdfText } from '../support/pdf-tools.ts';
import { refusal } from '../support/refusal.ts';
import { printFixture, SEPTEMBER, type PrintFixture } from './print-fixture.ts';

const system = systemActor('test');
const BUILT_IN = ['address_labels', 'customer_statement', 'delivery_note', 'envelope_dl', 'purchase_order', 'quote', 'sales_order'];
const samplesDir = path.join(templatesDir, 'samples');

/** The page size in points, to within 1 pt: A4 595.3 × 841.9, DL 623.6 × 311.8. */
function expectSize(pdf: Uint8Array, width: number, height: number) {
  const info = pdfInfo(pdf);
  expect(Math.abs(info.width - width), `width ${info.width}`).toBeLessThanOrEqual(1);
  expect(Math.abs(info.height - height), `height ${info.height}`).toBeLessThanOrEqual(1);
}

/** Writes page `page` of the PDF as tests/artifacts/print-template-<name>.png at 70 dpi. */
async function picture(pdf: Uint8Array, name: string, page = 1) {
  const source = await PDFDocument.load(pdf);
  const single = await PDFDocument.create();
  single.addPage((await single.copyPages(source, [page - 1]))[0]!);
  pdfScreenshot(await single.save(), `print-template-${name}`, 70);
}

/** Text without the blanks pdftotext puts between letter-spaced or boxed characters. */
const squeezed = (text: string) => text.replace(/[ \t\u3000]+/g, '');

// Rendering does not depend on the database: one dialect is enough here (tests/engine/print-data.test.ts runs on both).
const setup = testDatabases()[0]!;

describe(`built-in print templates on ${setup.kind}`, { timeout: 600_000 }, () => {
  let t: TestDatabase;
  let dataDir: string;
  let fixture: PrintFixture;
  let renderer: PdfRenderer;
  const ctx = () => ({ db: t.database.db, workspace: 'crm' });
  const print = (actor: Actor, template: string, entity: string, recordId: string, options: PrintDataOptions = {}) =>
    printRecord(ctx(), actor, { template, entity, recordId, renderer, dataDir, period: SEPTEMBER, ...options });
  const printedBy = async (template: string, entity: string, recordId: string, actor: Actor = fixture.users.manager1) => {
    if (process.env.FORMA_WRITE_PRINT_SAMPLES) await writeSample(template, recordId, actor);
    return print(actor, template, entity, recordId);
  };
  /** The print data of a record as a sample: ids and moments replaced by fixed ones, so a sample reads like a document. */
  const writeSample = async (template: string, recordId: string, actor: Actor) => {
    const document = findPrintTemplate((await cachedModel(t.database.db, 'crm')).model, template);
    const data = await printData(ctx(), actor, document, recordId, { dataDir, period: SEPTEMBER, now: new Date('2026-09-30T02:00:00Z') });
    const ids = new Map<string, string>();
    const json = JSON.stringify(data, null, 2)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
        if (!ids.has(id)) ids.set(id, `00000000-0000-7000-8000-${String(ids.size + 1).padStart(12, '0')}`);
        return ids.get(id)!;
      })
      .replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"/g, '"2026-09-01T01:30:00.000Z"')
      .replace(/"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"/g, '"2026年9月1日 09:30"');
    await writeFile(path.join(samplesDir, `${template}.json`), `${json}\n`);
  };

  beforeAll(async () => {
    t = await setup.open();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'forma-print-templates-'));
    fixture = await printFixture(t.database.db, 'crm', dataDir, 50);
    renderer = new PdfRenderer();
  }, 600_000);
  afterAll(async () => {
    await renderer?.close();
    await t?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('installs every templates/*.hbs with the standard CRM, as the package document built from it', async () => {
    const built = await builtTemplates();
    expect(built.map((b) => b.name)).toEqual(BUILT_IN);
    const manifest = JSON.parse(await readFile(path.join(packageTemplatesDir, '..', 'forma-package.json'), 'utf8')) as { documents: string[] };
    const { model } = await cachedModel(t.database.db, 'crm');
    for (const { name, json } of built) {
      // Out of date: run `node app/cli/run-ts.mjs templates/build.ts`.
      expect(await readFile(path.join(packageTemplatesDir, `${name}.json`), 'utf8'), name).toBe(json);
      expect(manifest.documents).toContain(`print-templates/${name}.json`);
      expect(findPrintTemplate(model, name).source).toBe(JSON.parse(json).source);
    }
  });

  it('prints 新时代网络公司\'s quote: 20 Dell Vostro at ¥5,000, ¥100,000.00, 人民币壹拾万元整, on A4, and logs it', async () => {
    const pdf = await printedBy('quote', 'quote', fixture.ids.quote, fixture.users.sales1);
    expectSize(pdf, 595.3, 841.9);
    expect(pdfInfo(pdf).pages).toBe(1);
    const text = squeezed(pdfText(pdf));
    const { records: [quote] } = await runQuery(ctx(), system, 'quote', { filter: { field: 'id', op: 'eq', value: fixture.ids.quote } });
    for (const expected of ['上海新时代示范科技有限公司', '报价单', String(quote!.number), '新时代网络公司', '张建华', 'DellVostro3910商用台式机',
      '¥5,000.00', '¥100,000.00', '人民币壹拾万元整', '¥11,504.42', '2026年9月1日', '李明（销售一部）', '客户确认', '第1页/共1页']) {
      expect(text).toContain(expected);
    }
    await picture(pdf, 'quote');
    const [logged] = await searchSystemLog(t.database.db, { actor: 'sales1', action: 'print' });
    expect(logged).toMatchObject({ entity: 'quote', recordId: fixture.ids.quote, outcome: 'success', details: { template: 'quote', pages: 1 } });
  });

  it('prints the sales order, the purchase order, the delivery note and the statement with their numbers and totals', async () => {
    const number = async (entity: string, id: string) => String((await runQuery(ctx(), system, entity, { filter: { field: 'id', op: 'eq', value: id } })).records[0]!.number);
    const cases: [string, string, string, string[]][] = [
      ['sales_order', 'sales_order', fixture.ids.order, ['销售单', await number('sales_order', fixture.ids.order), '新时代网络公司', '¥100,000.00', '人民币壹拾万元整', '收款账户']],
      ['purchase_order', 'purchase_order', fixture.ids.purchaseOrder, [
        '采购单', await number('purchase_order', fixture.ids.purchaseOrder), '深圳华远电子有限公司', 'DellPowerEdgeR710服务器', '¥20,000.00', '¥768,000.00', '人民币柒拾陆万捌仟元整',
      ]],
      ['delivery_note', 'shipment', fixture.ids.shipment, [
        '发货单', await number('shipment', fixture.ids.shipment), await number('sales_order', fixture.ids.order), '顺丰速运', 'SF1234567890', 'DellVostro3910商用台式机', '收货人签收',
      ]],
      ['customer_statement', 'customer', fixture.ids.xsd, [
        '对账单', '2026年9月1日至2026年9月30日', await number('sales_order', fixture.ids.order), '¥100,000.00', '¥30,000.00', '¥50,000.00', '¥80,000.00', '人民币捌万元整', '银行转账',
      ]],
    ];
    for (const [template, entity, id, expected] of cases) {
      // Sales managers do not see purchasing: the administrator prints the purchase order.
      const pdf = await printedBy(template, entity, id, template === 'purchase_order' ? fixture.users.admin : fixture.users.manager1);
      expectSize(pdf, 595.3, 841.9);
      const text = squeezed(pdfText(pdf));
      for (const part of [...expected, '上海新时代示范科技有限公司', '第1页/共1页']) expect(text, template).toContain(part);
      await picture(pdf, template);
    }
  });

  it('breaks a 60-line quote across pages, the table header repeated and no row split', async () => {
    const { records: products } = await runQuery(ctx(), system, 'product', { sort: [{ field: 'code' }] });
    const lines = Array.from({ length: 60 }, (_, i) => ({ product: products[i % products.length]!.id, qty: i + 1, unit_price: 100, description: `第 ${i + 1} 行` }));
    const quote = await createRecord(ctx(), fixture.users.sales1, 'quote', { customer: fixture.ids.xsd, quote_date: '2026-09-10', lines });
    const pdf = await print(fixture.users.sales1, 'quote', 'quote', quote.id);
    const { pages } = pdfInfo(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const second = squeezed(pdfText(pdf, { first: 2, last: 2 }));
    expect(second).toContain('序号商品规格型号单位数量含税单价折扣%金额（含税）');
    expect(second).toContain(`第2页/共${pages}页`);
    // Every line once, whole: its number, its text and its amount on the same page.
    const all = pdfText(pdf);
    for (const i of [1, 30, 60]) expect(squeezed(all)).toMatch(new RegExp(`第${i}行[^\\n]*¥${(i * 100).toLocaleString('en')}\\.00`));
    const total = (60 * 61 / 2) * 100;
    expect(squeezed(pdfText(pdf, { first: pages, last: pages }))).toContain(`¥${total.toLocaleString('en')}.00`);
    await picture(pdf, 'quote-page-2', 2);
  });

  it('prints a DL envelope, 220 × 110 mm: the postcode in its boxes, recipient, contact and the sender', async () => {
    const pdf = await printedBy('envelope_dl', 'customer', fixture.ids.xsd);
    expectSize(pdf, 623.6, 311.8);
    expect(pdfInfo(pdf).pages).toBe(1);
    const text = squeezed(pdfText(pdf));
    for (const part of ['200030', '上海市徐汇区', '新时代网络公司', '张建华信息部主管收', '宜山路700号C座12楼', '上海新时代示范科技有限公司', '邮政编码：200233']) {
      expect(text).toContain(part);
    }
    await picture(pdf, 'envelope_dl');
  });

  it('lays 50 customers\' address labels out on A4 sheets of 3 × 8: 24, 24 and 2, from any start position', async () => {
    const { records } = await runQuery(ctx(), system, 'customer', { sort: [{ field: 'code' }], page: { size: 50 } });
    const ids = records.map((r) => String(r.id));
    const labelsPerPage = (pdf: Uint8Array) =>
      Array.from({ length: pdfInfo(pdf).pages }, (_, i) => (pdfText(pdf, { first: i + 1, last: i + 1 }).match(/收/g) ?? []).length);

    if (process.env.FORMA_WRITE_PRINT_SAMPLES) await writeSample('address_labels', fixture.ids.xsd, fixture.users.manager1);
    const progress: PrintProgress[] = [];
    const pdf = await printBatch(ctx(), fixture.users.manager1, { template: 'address_labels', ids, renderer, dataDir, onProgress: (p) => progress.push(p) });
    expectSize(pdf, 595.3, 841.9);
    expect(labelsPerPage(pdf)).toEqual([24, 24, 2]);
    const first = squeezed(pdfText(pdf, { first: 1, last: 1 }));
    expect(first).toContain(String(records[0]!.name));
    expect(first).toContain(String(records[23]!.name));
    expect(squeezed(pdfText(pdf, { first: 3, last: 3 }))).toContain(String(records[49]!.name));
    expect(progress.at(-1)).toEqual({ stage: 'render', done: 50, total: 50 });
    expect(progress.filter((p) => p.stage === 'read').at(-1)).toEqual({ stage: 'read', done: 50, total: 50 });
    await picture(pdf, 'address_labels');
    const [logged] = await searchSystemLog(t.database.db, { actor: 'manager1', action: 'print' });
    expect(logged).toMatchObject({ entity: 'customer', recordId: null, details: { template: 'address_labels', count: 50, pages: 3 } });

    const fromFifth = await printBatch(ctx(), fixture.users.manager1, { template: 'address_labels', ids, renderer, startPosition: 5 });
    expect(labelsPerPage(fromFifth)).toEqual([20, 24, 6]);
  });

  it('prints 1,000 labels of a filter in parts, pages beyond the first query page, with progress', async () => {
    // 1,000 labels: the 51 customers of the demo, named again and again by id.
    const { records } = await runQuery(ctx(), system, 'customer', { page: { size: 200 } });
    const ids = Array.from({ length: 1000 }, (_, i) => String(records[i % records.length]!.id));
    const rendered: number[] = [];
    const pdf = await printBatch(ctx(), system, {
      template: 'address_labels', ids, renderer, onProgress: (p) => p.stage === 'render' && rendered.push(p.done),
    });
    expect(pdfInfo(pdf).pages).toBe(Math.ceil(1000 / 24));
    expect(rendered.length).toBeGreaterThan(1);
    expect(rendered.at(-1)).toBe(1000);
    const byFilter = await printBatch(ctx(), fixture.users.sales1, { template: 'address_labels', filter: { field: 'level', op: 'is_not_empty' }, renderer });
    const { records: own } = await runQuery(ctx(), fixture.users.sales1, 'customer', { filter: { field: 'level', op: 'is_not_empty' }, page: { size: 200 } });
    expect((pdfText(byFilter).match(/收/g) ?? []).length).toBe(own.length);
  });

  it('prints a batch of quotes into one PDF, each document numbering its own pages', async () => {
    const pdf = await printBatch(ctx(), fixture.users.sales1, {
      template: 'quote', filter: { and: [{ field: 'customer', op: 'eq', value: fixture.ids.xsd }, { field: 'quote_date', op: 'lt', value: '2026-09-05' }] },
      renderer, dataDir,
    });
    const pages = pdfInfo(pdf).pages;
    expect(pages).toBe(1);
    const two = await printBatch(ctx(), fixture.users.sales1, { template: 'quote', ids: [fixture.ids.quote, fixture.ids.quote], renderer });
    expect(pdfInfo(two).pages).toBe(2);
    for (const page of [1, 2]) expect(squeezed(pdfText(two, { first: page, last: page }))).toContain('第1页/共1页');
  });

  it('refuses what cannot be printed, with a structured error and nothing logged', async () => {
    const printed = async () => (await searchSystemLog(t.database.db, { action: 'print', limit: 1000 })).length;
    const before = await printed();
    const code = async (promise: Promise<unknown>) => (await refusal(promise)).code;
    expect(await code(print(fixture.users.sales2, 'quote', 'quote', fixture.ids.quote))).toBe('record_not_found');
    expect(await code(print(fixture.users.sales1, 'no_such_template', 'quote', fixture.ids.quote))).toBe('print_template_not_found');
    const mismatch = await refusal(print(fixture.users.sales1, 'quote', 'customer', fixture.ids.xsd));
    expect(mismatch).toMatchObject({ code: 'print_template_entity_mismatch', text: { 'zh-CN': '打印模板 "quote" 用于打印报价单，不能打印客户' } });
    const batch = { template: 'address_labels', renderer };
    expect(await code(printBatch(ctx(), system, { ...batch, ids: [] }))).toBe('print_selection_invalid');
    expect(await code(printBatch(ctx(), system, { ...batch, ids: [fixture.ids.xsd], filter: { field: 'name', op: 'is_empty' } } as never))).toBe('print_selection_invalid');
    expect(await code(printBatch(ctx(), system, { ...batch, filter: { field: 'name', op: 'is_empty' } }))).toBe('print_batch_empty');
    expect(await code(printBatch(ctx(), system, { ...batch, ids: [fixture.ids.xsd], startPosition: 25 }))).toBe('print_start_position_invalid');
    expect(await code(printBatch(ctx(), fixture.users.sales1, { ...batch, ids: [fixture.ids.xsd, fixture.ids.order] }))).toBe('record_not_found');

    // No print right: a role that may only read quotes.
    await applyChange(ctx(), system, { upsert: [{ document: { kind: 'role', name: 'quote_reader', label: { 'zh-CN': '报价查看', en: 'Quote reader' }, permissions: { quote: { read: true, scope: 'all' } } } }] });
    const reader = await createUser(t.database.db, system, { login: 'reader1', displayName: '只读' });
    await setUserRoles(t.database.db, system, 'crm', 'reader1', ['quote_reader']);
    expect(await code(print({ id: reader.id, name: 'reader1', kind: 'user' }, 'quote', 'quote', fixture.ids.quote))).toBe('permission_denied');

    const broken = (name: string, extra: Record<string, unknown>) => ({
      kind: 'printTemplate', name, label: { 'zh-CN': name, en: name }, entity: 'quote', paper: 'A4', source: '<p>{{record.number}}</p>', ...extra,
    });
    // Sources that do not compile and a page with no room are refused when the template is saved,
    // each problem at its place (with line and column for the sources), so they never reach a printer.
    const saving = await refusal(applyChange(ctx(), system, { upsert: [
      { document: broken('bad_syntax', { source: '<h1>报价单</h1>\n{{#each record.lines}}\n<p>{{qty}}</p>\n' }) },
      { document: broken('bad_helper', { footer: '<p>{{rmb record.total}}</p>' }) },
      { document: broken('bad_margins', { paper: { width: 50, height: 50 }, margins: { top: 30, right: 10, bottom: 30, left: 10 } }) },
    ] }));
    expect(saving.code).toBe('metadata_invalid');
    expect(saving.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'print_syntax_error', path: '/source', source: 'printTemplate:bad_syntax', line: 4 }),
      expect.objectContaining({ code: 'print_helper_unknown', path: '/footer', source: 'printTemplate:bad_helper', line: 1, column: 4 }),
      expect.objectContaining({ code: 'print_margins_too_large', path: '/margins', source: 'printTemplate:bad_margins' }),
    ]));
    const zero = await refusal(applyChange(ctx(), system, { upsert: [{ document: broken('zero_paper', { paper: { width: 0, height: 297 } }) }] }));
    expect(zero.problems.map((p) => p.path)).toContain('/paper/width');
    // A field the record's data lacks is only known when printing that record.
    await applyChange(ctx(), system, { upsert: [{ document: broken('bad_field', { source: '<h1>报价单</h1>\n<p>{{record.no_such_field}}</p>' }) }] });
    const field = await refusal(print(system, 'bad_field', 'quote', fixture.ids.quote));
    expect(field.code).toBe('print_render_failed');
    expect(field.problems[0]).toMatchObject({ code: 'print_field_missing', line: 2, message: { 'zh-CN': expect.stringContaining('no_such_field') } });

    const missing = new PdfRenderer({ executablePath: '/nonexistent/chromium' });
    try {
      const setupMissing = await refusal(printRecord(ctx(), system, { template: 'quote', recordId: fixture.ids.quote, renderer: missing }));
      expect(setupMissing.code).toBe('print_setup_missing');
    } finally {
      await missing.close();
    }
    expect(await printed()).toBe(before);
  });

  it('renders every template with its sample data (templates/samples), in strict mode', async () => {
    const { model } = await cachedModel(t.database.db, 'crm');
    for (const name of BUILT_IN) {
      const sample = JSON.parse(await readFile(path.join(samplesDir, `${name}.json`), 'utf8'));
      const compiled = compiledPrintTemplate(findPrintTemplate(model, name));
      expect(compiled.source(sample), name).toContain('<');
    }
  });
});
