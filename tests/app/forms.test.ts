import { fileURLToPath } from 'node:url';
import type { ErrorSchema } from '@rjsf/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import { documentKey, type EntityDocument, type Model } from '../../engine/metadata/model.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { compileFormulas, recompute } from '../../app/forms/formulas.ts';
import { formJsonSchema, formUiSchema } from '../../app/forms/schema.ts';
import { formSpec, layoutSections, type FieldRules, type RulesOf } from '../../app/forms/spec.server.ts';
import type { FormSpec, FormValues, SectionSpec } from '../../app/forms/types.ts';
import {
  changesOf, createPayload, initialValues, isoToZonedLocal, pointerSegments, problemsToErrors, rebase, withoutErrorsOf, zonedLocalToIso,
} from '../../app/forms/values.ts';

const dir = fileURLToPath(new URL('../../metadata/standard-crm/', import.meta.url));
let model: Model;
const entity = (name: string) => model.get(documentKey({ kind: 'entity', name })) as EntityDocument;
const rules = (byEntity: Record<string, Partial<Record<'hidden' | 'readOnly', string[]>>>): RulesOf => (name) => {
  const r = byEntity[name];
  return { hidden: new Set(r?.hidden ?? []), readOnly: new Set(r?.readOnly ?? []) } satisfies FieldRules;
};
/** The salesperson role's field rules (metadata/standard-crm/roles/salesperson.json) that forms meet. */
const salesperson = rules({ customer: { readOnly: ['owner'] }, quote: { readOnly: ['owner'] }, product: { hidden: ['cost', 'supplier'] } });

beforeAll(async () => {
  const loaded = await loadDocuments(dir);
  const { documents, problems } = validateDocuments(loaded.inputs);
  expect(problems).toEqual([]);
  model = new Map(documents.map((d) => [documentKey(d), d]));
});

describe('the form of an entity for a person', () => {
  it('has the fields they see, the ones they may not write read-only, and none hidden from them', () => {
    const customer = formSpec(model, entity('customer'), salesperson, 'zh-CN');
    expect(customer.fields.name).toMatchObject({ type: 'text', label: '客户名称', required: true, readOnly: false });
    expect(customer.fields.name!.help).toMatch(/名称相近/);
    // The role makes the owner read-only; the customer number may be typed (allowManual) or left to the rule.
    expect(customer.fields.owner).toMatchObject({ type: 'user', readOnly: true, required: false });
    expect(customer.fields.code).toMatchObject({ type: 'autonumber', readOnly: false, manual: true });
    expect(customer.fields.level).toMatchObject({ default: 'C', choices: expect.arrayContaining([{ value: 'A', label: 'A 类', color: '#d32f2f' }]) });
    expect(customer.fields.credit_limit).toMatchObject({ type: 'money', currency: 'CNY', scale: 2 });
    expect(customer.fields.region).toMatchObject({ type: 'region', level: 'district' });
    expect(customer.similarFields).toEqual(expect.arrayContaining(['name', 'short_name', 'phone', 'fax']));

    const product = formSpec(model, entity('product'), salesperson, 'en');
    expect(product.fields.cost).toBeUndefined();
    expect(product.fields.supplier).toBeUndefined();
    expect(product.fields.name!.label).toBe('Product name');
  });

  it('shows numbers the rule draws and formulas read-only, and computes formulas live only when it sees all they read', () => {
    const quote = formSpec(model, entity('quote'), salesperson, 'zh-CN');
    expect(quote.fields.number).toMatchObject({ type: 'autonumber', readOnly: true, manual: false });
    expect(quote.fields.customer).toMatchObject({ type: 'lookup', target: 'customer', required: true });
    expect(quote.fields.total).toMatchObject({ type: 'formula', readOnly: true, live: true, resultType: 'money', expression: 'sum(lines.amount)' });
    expect(quote.fields.amount_excl_tax!.live).toBe(true);
    const lines = quote.fields.lines!.lines!;
    expect(lines.entity).toBe('quote_line');
    expect(lines.fields.map((f) => f.name)).toEqual(['product', 'description', 'qty', 'unit_price', 'discount', 'tax_rate', 'amount', 'tax_amount']);
    expect(lines.fields.find((f) => f.name === 'qty')).toMatchObject({ required: true, default: 1, minimum: 1 });

    // A line field hidden from the person: the browser cannot compute what reads it, nor what reads that.
    const hiddenDiscount = formSpec(model, entity('quote'), rules({ quote_line: { hidden: ['discount'] } }), 'zh-CN');
    const hiddenLines = hiddenDiscount.fields.lines!.lines!.fields;
    expect(hiddenLines.find((f) => f.name === 'discount')).toBeUndefined();
    expect(hiddenLines.find((f) => f.name === 'amount')!.live).toBe(false);
    expect(hiddenDiscount.fields.total!.live).toBe(false);
    expect(hiddenDiscount.fields.amount_excl_tax!.live).toBe(false);

    // A lines field the person may not write keeps its rows read-only.
    const readOnlyLines = formSpec(model, entity('quote'), rules({ quote: { readOnly: ['lines'] } }), 'zh-CN');
    expect(readOnlyLines.fields.lines!.lines!.fields.every((f) => f.readOnly)).toBe(true);
  });

  it('is a JSON Schema of the values with titles, enums and read-only marks', () => {
    const quote = formSpec(model, entity('quote'), salesperson, 'zh-CN');
    const schema = formJsonSchema(quote);
    expect(schema.required).toEqual(['customer']);
    expect(schema.properties!.customer).toEqual({ title: '客户', type: 'string', format: 'uuid' });
    expect(schema.properties!.total).toMatchObject({ type: 'number', readOnly: true });
    expect(schema.properties!.payment_terms).toMatchObject({ type: 'string', enum: expect.arrayContaining(['net_30']) });
    expect(schema.properties!.quote_date).toMatchObject({ type: 'string', format: 'date' });
    expect((schema.properties!.lines as { items: { properties: Record<string, unknown> } }).items.properties.qty).toMatchObject({ type: 'integer', minimum: 1 });
  });
});

describe('the uiSchema from a layout', () => {
  it('lays the fields out in the layout\'s sections, columns and spans, with each field\'s widget', () => {
    const quote = formSpec(model, entity('quote'), salesperson, 'zh-CN');
    const ui = formUiSchema(quote);
    const { sections } = (ui['ui:options'] as { layout: { sections: SectionSpec[] } }).layout;
    expect(sections.map((s) => [s.name, s.label, s.columns])).toEqual([
      ['header', '报价信息', 2], ['lines', '明细', 1], ['totals', '金额合计', 2], ['terms', '条款与备注', 2],
    ]);
    expect(sections[3]!.fields).toEqual([{ name: 'payment_terms', span: 1 }, { name: 'delivery_terms', span: 1 }, { name: 'remarks', span: 2 }]);
    expect(ui['ui:order']).toEqual(['number', 'quote_date', 'customer', 'contact', 'opportunity', 'valid_until', 'owner', 'lines',
      'total', 'tax_amount', 'amount_excl_tax', 'payment_terms', 'delivery_terms', 'remarks', '*']);
    expect(ui.lines).toMatchObject({ 'ui:field': 'lines' });
    expect(ui.customer).toMatchObject({ 'ui:widget': 'lookup' });
    expect(ui.total).toMatchObject({ 'ui:widget': 'formula', 'ui:readonly': true, 'ui:help': expect.stringMatching(/价税合计/) });
    expect(ui.owner).toMatchObject({ 'ui:widget': 'user', 'ui:readonly': true });
    expect(ui.payment_terms).toMatchObject({ 'ui:widget': 'choice', 'ui:enumNames': expect.arrayContaining(['月结 30 天']) });
    expect((ui.valid_until as { 'ui:options': { spec: { name: string } } })['ui:options'].spec.name).toBe('valid_until');
  });

  it('keeps conditions and read-only placements, caps spans at the columns, and never loses a field the layout does not place', () => {
    const opportunity = formSpec(model, entity('opportunity'), salesperson, 'zh-CN');
    const conditional = opportunity.sections.flatMap((s) => s.fields).find((f) => f.visibleWhen);
    expect(conditional?.visibleWhen).toEqual({ properties: { stage: { const: 'lost' } }, required: ['stage'] });

    const customer = entity('customer');
    const fields = formSpec(model, customer, salesperson, 'en').fields;
    const layout = {
      kind: 'layout', name: 'x', label: { 'zh-CN': 'x', en: 'x' }, entity: 'customer',
      tabs: [{ name: 'main', label: { 'zh-CN': '主要', en: 'Main' } }],
      sections: [{ name: 'only', label: { 'zh-CN': '唯一', en: 'Only' }, columns: 1, tab: 'main', fields: [{ field: 'name', span: 3, readOnly: true }, 'nonexistent', 'name'] }],
    };
    const { sections, tabs } = layoutSections(layout, customer, fields, 'en');
    expect(tabs).toEqual([{ name: 'main', label: 'Main' }]);
    expect(sections[0]!.fields).toEqual([{ name: 'name', span: 1, readOnly: true }]);
    expect(sections[1]!.label).toBe('Other fields');
    expect(sections[1]!.fields.map((f) => f.name)).toEqual(Object.keys(fields).filter((f) => f !== 'name'));
    const ui = formUiSchema({ ...formSpec(model, customer, salesperson, 'en'), sections, tabs });
    expect(ui.name).toMatchObject({ 'ui:readonly': true });

    // Without a layout: one section with every field.
    const noLayout = layoutSections(undefined, customer, fields, 'zh-CN');
    expect(noLayout.sections).toHaveLength(1);
    expect(noLayout.sections[0]).toMatchObject({ label: '客户', columns: 2 });
  });
});

describe('the server\'s problems beside their fields', () => {
  const spec = () => formSpec(model, entity('quote'), salesperson, 'zh-CN');
  const msg = (zh: string, en: string) => ({ 'zh-CN': zh, en });

  it('maps JSON Pointers to rjsf extraErrors, line cells included, in the person\'s language', () => {
    const { errorSchema, general } = problemsToErrors([
      { code: 'field_value_invalid', path: '/delivery_terms', message: msg('交货条款：不应多于 500 个字符', 'Delivery terms: must NOT have more than 500 characters') },
      { code: 'field_value_invalid', path: '/lines/2/qty', message: msg('报价明细第 3 行 数量：必须 >= 1', 'Lines line 3 Qty: must be >= 1') },
      { code: 'line_not_found', path: '/lines/0/id', message: msg('明细行 x 不属于这条记录', 'Line x does not belong to this record') },
      { code: 'field_forbidden', path: '/cost', message: msg('字段 "cost" 对你的角色不可见，不能修改', 'Field "cost" is hidden') },
      { code: 'record_invalid', path: '', message: msg('记录无效', 'Invalid record') },
    ], spec(), 'zh-CN');
    expect(errorSchema).toEqual({
      delivery_terms: { __errors: ['不应多于 500 个字符'] },
      lines: { 2: { qty: { __errors: ['必须 >= 1'] } }, __errors: ['明细行 x 不属于这条记录'] },
    });
    expect(general).toEqual(['字段 "cost" 对你的角色不可见，不能修改', '记录无效']);
    const english = problemsToErrors([{ code: 'value_taken', path: '/delivery_terms', message: msg('交货条款："x" 已存在', 'Delivery terms: "x" already exists') }], spec(), 'en');
    expect(english.errorSchema).toEqual({ delivery_terms: { __errors: ['"x" already exists'] } });
  });

  it('reads escaped pointer segments, and forgets an error once its field is changed', () => {
    expect(pointerSegments('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerSegments('')).toEqual([]);
    const errors = { remarks: { __errors: ['x'] }, lines: { 0: { qty: { __errors: ['y'] }, unit_price: { __errors: ['z'] } } } } as unknown as ErrorSchema;
    const before = { remarks: 'a', lines: [{ qty: 0, unit_price: -1 }] };
    expect(withoutErrorsOf(errors, before, before)).toBe(errors);
    expect(withoutErrorsOf(errors, before, { ...before, remarks: 'b', lines: [{ qty: 2, unit_price: -1 }] }))
      .toEqual({ lines: { 0: { unit_price: { __errors: ['z'] } } } });
  });
});

describe('what a form sends', () => {
  let quote: FormSpec;
  beforeAll(() => {
    quote = formSpec(model, entity('quote'), salesperson, 'zh-CN');
  });

  it('starts a new record with the defaults and the page\'s prefill, and creates it with what has a value', () => {
    const customer = formSpec(model, entity('customer'), salesperson, 'zh-CN');
    const start = initialValues(customer, undefined, { name: '新时代', owner: 'someone' });
    expect(start).toMatchObject({ level: 'C', name: '新时代' });
    expect(start.owner).toBeUndefined(); // read-only for the person: never prefilled
    const values: FormValues = {
      ...initialValues(quote, undefined, { customer: '0190f1a2-0000-7000-8000-00000000000c' }),
      number: 'X', total: '5.00', remarks: '',
      lines: [{ _key: 'k1', qty: 2, unit_price: 5000, discount: 0, tax_rate: 13, amount: '10000.00', description: '' }],
    };
    expect(createPayload(quote, values)).toEqual({
      customer: '0190f1a2-0000-7000-8000-00000000000c',
      lines: [{ qty: 2, unit_price: 5000, discount: 0, tax_rate: 13 }],
    });
  });

  it('patches only what changed: cleared fields as null, a changed lines field as all its rows with their ids', () => {
    const record = {
      id: 'q', version: 3, customer: 'c1', remarks: 'old', total: 100, number: 'BJ-1',
      lines: [{ id: 'l1', qty: 1, unit_price: 100, discount: 0, tax_rate: 13, amount: 100 }, { id: 'l2', qty: 2, unit_price: 5, discount: 0, tax_rate: 13, amount: 10 }],
    };
    const base = initialValues(quote, record);
    expect(base.lines).toEqual([expect.objectContaining({ id: 'l1', _key: 'l1' }), expect.objectContaining({ id: 'l2', _key: 'l2' })]);
    expect(changesOf(quote, base, base)).toEqual({});
    const edited = { ...base, remarks: undefined, total: 999, lines: [(base.lines as FormValues[])[1], { ...(base.lines as FormValues[])[0], qty: 4 }] };
    expect(changesOf(quote, base, edited)).toEqual({
      remarks: null,
      lines: [
        { id: 'l2', qty: 2, unit_price: 5, discount: 0, tax_rate: 13, product: null, description: null },
        { id: 'l1', qty: 4, unit_price: 100, discount: 0, tax_rate: 13, product: null, description: null },
      ],
    });
  });

  it('keeps mine after a conflict cell by cell: my changes on their newer record, their other changes kept', () => {
    const row = (id: string, qty: number) => ({ id, _key: id, qty, unit_price: 10, discount: 0, tax_rate: 13 });
    const base = { customer: 'c1', remarks: 'a', delivery_terms: 'd', lines: [row('l1', 1), row('l2', 2), row('l3', 3)] };
    const mine = { ...base, remarks: 'mine', lines: [row('l2', 20), row('l1', 1), { _key: 'n1', qty: 9, unit_price: 1 }] }; // l3 removed, l2 changed, a new row
    const theirs = { ...base, delivery_terms: 'theirs', lines: [row('l1', 100), row('l2', 2), row('l3', 3), row('l4', 4)] };
    const merged = rebase(quote, base, mine, theirs);
    expect(merged.remarks).toBe('mine');
    expect(merged.delivery_terms).toBe('theirs');
    expect((merged.lines as FormValues[]).map((r) => [r.id ?? 'new', r.qty])).toEqual([['l2', 20], ['l1', 100], ['new', 9], ['l4', 4]]);
  });
});

describe('formulas in the browser', () => {
  it('computes line amounts and the totals as the engine does, as you type', () => {
    const quote = formSpec(model, entity('quote'), salesperson, 'zh-CN');
    const live = compileFormulas(quote);
    const values: FormValues = { lines: [{ _key: 'a', qty: 20, unit_price: 5000, discount: 0, tax_rate: 13 }, { _key: 'b', qty: 3, unit_price: 99.5, discount: 10, tax_rate: 6 }] };
    const computed = recompute(live, values, '2026-11-23');
    expect((computed.lines as FormValues[]).map((r) => [r.amount, r.tax_amount])).toEqual([['100000.00', '11504.42'], ['268.65', '15.21']]);
    expect([computed.total, computed.tax_amount, computed.amount_excl_tax]).toEqual(['100268.65', '11519.63', '88749.02']);
    // Nothing changed: the same object (no re-render), also when the stored values are numbers.
    expect(recompute(live, computed, '2026-11-23')).toBe(computed);
    const stored = { ...computed, total: 100268.65 };
    expect(recompute(live, stored, '2026-11-23')).toBe(stored);
    // A line without a price has no amount (null), and the total skips it.
    const partial = recompute(live, { lines: [{ _key: 'c', qty: 2 }] }, '2026-11-23');
    expect(partial.total).toBe('0.00');
    expect((partial.lines as FormValues[])[0]!.amount ?? null).toBeNull();
  });
});

describe('moments in the workspace\'s time zone', () => {
  it('converts between ISO 8601 and datetime-local text in Asia/Shanghai', () => {
    expect(isoToZonedLocal('2026-11-23T01:30:00.000Z', 'Asia/Shanghai')).toBe('2026-11-23T09:30');
    expect(isoToZonedLocal('2026-11-22T20:05:00Z', 'Asia/Shanghai')).toBe('2026-11-23T04:05');
    expect(zonedLocalToIso('2026-11-23T09:30', 'Asia/Shanghai')).toBe('2026-11-23T01:30:00.000Z');
    expect(zonedLocalToIso('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedLocalToIso('nonsense', 'Asia/Shanghai')).toBeUndefined();
  });
});
