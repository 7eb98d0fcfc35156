// The form layout's conditions held by the records engine (issue 7 §5): a field placed with
// `requiredWhen` must have a value whenever the record, as it will be stored, satisfies the
// condition — through the API as through the form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentKey, type EntityDocument, type Model } from '../../engine/metadata/model.ts';
import { conditionError } from '../../engine/metadata/layout-conditions.ts';
import { formLayoutOf, isEmptyValue } from '../../engine/records/layout-rules.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { createRecordValidator } from '../../engine/records/record-validator.ts';
import { createRecord, deleteRecord, updateRecord } from '../../engine/records/write.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import { applyChange, planChange } from '../../engine/schema/change.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { field, inputs, L } from '../support/documents.ts';
import { refusal } from '../support/refusal.ts';
import { salesModel } from '../support/sales-model.ts';

const needsInvoice = { properties: { needs_invoice: { const: true } }, required: ['needs_invoice'] };
const documents = [
  ...salesModel({
    needs_invoice: field({ type: 'boolean', label: L('需要发票', 'Needs invoice') }),
    invoice_title: field({ type: 'text', label: L('发票抬头', 'Invoice title') }),
    tags: field({ type: 'multiselect', label: L('标签', 'Tags'), options: [{ value: 'vip', label: L('重点', 'Key') }] }),
    score: field({ type: 'formula', expression: 'credit_limit / 1000', resultType: 'decimal' }),
  }),
  {
    kind: 'layout', name: 'customer_form', label: L('客户表单', 'Customer form'), entity: 'customer',
    sections: [{
      name: 'main', label: L('基本信息', 'Basics'), columns: 2,
      fields: [
        'name', 'level', 'needs_invoice', 'tax_no',
        { field: 'invoice_title', span: 2, visibleWhen: needsInvoice, requiredWhen: needsInvoice },
        // Required for VIP customers: a choice among values.
        { field: 'tags', requiredWhen: { properties: { level: { enum: ['A', 'VIP'] } }, required: ['level'] } },
        // Redundant or meaningless rules are not rules: the entity requires `name` anyway, a formula is never written.
        { field: 'score', requiredWhen: needsInvoice },
      ],
    }],
  },
];

describe('the requiredWhen rules of a layout, on a whole record', () => {
  const valid = validateDocuments(inputs(...documents));
  const model: Model = new Map(valid.documents.map((d) => [documentKey(d), d]));
  const customer = model.get('entity:customer') as EntityDocument;
  const { checkRecord } = createRecordValidator(model, customer);

  it('is a valid layout', () => expect(valid.problems).toEqual([]));

  it('asks for a field exactly while its condition holds and it is empty, at its place, by its label in both languages', () => {
    expect(checkRecord({ name: 'x', needs_invoice: true, invoice_title: null, level: 'C' })).toEqual([{
      code: 'field_value_invalid', path: '/invoice_title',
      message: { 'zh-CN': '发票抬头：按表单布局的条件，此项必填', en: 'Invoice title: required by a condition of the form layout' },
    }]);
    for (const empty of [undefined, null, '']) {
      expect(checkRecord({ needs_invoice: true, invoice_title: empty }).map((p) => p.path)).toEqual(['/invoice_title']);
    }
    expect(checkRecord({ needs_invoice: true, invoice_title: '上海新时代网络科技有限公司' })).toEqual([]);
    expect(checkRecord({ needs_invoice: false, invoice_title: null })).toEqual([]);
    expect(checkRecord({ invoice_title: null })).toEqual([]);
  });

  it('holds a choice among values and an empty list as empty', () => {
    expect(checkRecord({ level: 'VIP', tags: [] }).map((p) => p.path)).toEqual(['/tags']);
    expect(checkRecord({ level: 'A' }).map((p) => p.path)).toEqual(['/tags']);
    expect(checkRecord({ level: 'VIP', tags: ['vip'] })).toEqual([]);
    expect(checkRecord({ level: 'B', tags: [] })).toEqual([]);
  });

  it('leaves out fields the entity requires anyway and fields nobody writes', () => {
    const problems = checkRecord({ needs_invoice: true, invoice_title: 'x', score: null, tax_no: null, name: null });
    expect(problems).toEqual([]);
  });

  it('leaves out a condition that does not compile instead of refusing every write', () => {
    const broken: Model = new Map([...model, ['layout:customer_form', {
      ...(model.get('layout:customer_form')!), sections: [{ name: 'main', label: L('基本', 'Basics'), fields: [{ field: 'invoice_title', requiredWhen: { type: 'objekt' } }] }],
    }]]);
    expect(createRecordValidator(broken, customer).checkRecord({ invoice_title: null })).toEqual([]);
  });

  it('finds the form layout of an entity and tells a usable condition from one that is not', () => {
    expect(formLayoutOf(model, 'customer')?.name).toBe('customer_form');
    expect(formLayoutOf(model, 'quote')).toBeUndefined();
    expect(conditionError(needsInvoice)).toBeUndefined();
    // No `type: "object"` needed beside `properties`: conditions are always read against a record.
    expect(conditionError({ properties: { stage: { const: 'lost' } }, required: ['stage'] })).toBeUndefined();
    expect(conditionError({ type: 'objekt' })).toMatch(/schema is invalid/);
    expect(conditionError({ propertys: {} })).toMatch(/unknown keyword: "propertys"/);
    expect(conditionError([])).toBe('not an object');
    expect([undefined, null, '', []].every(isEmptyValue)).toBe(true);
    expect([0, false, ' ', ['x']].some(isEmptyValue)).toBe(false);
  });
});

const admin = systemActor('test');

for (const setup of testDatabases()) {
  describe(`writes held to the layout's requiredWhen on ${setup.kind}`, () => {
    let t: TestDatabase;
    let ctx: RecordsContext;
    beforeAll(async () => {
      t = await setup.open();
      ctx = { db: t.database.db, workspace: 'crm' };
      await applyChange(ctx, admin, { upsert: inputs(...documents) });
    });
    afterAll(() => t?.cleanup());

    it('refuses to create a record that meets the condition with the field empty, and writes nothing', async () => {
      const error = await refusal(createRecord(ctx, admin, 'customer', { name: '新时代网络', needs_invoice: true }));
      expect(error.code).toBe('record_invalid');
      expect(error.problems.map((p) => [p.path, p.message['zh-CN']])).toEqual([['/invoice_title', '发票抬头：按表单布局的条件，此项必填']]);
      const created = await createRecord(ctx, admin, 'customer', { name: '新时代网络', needs_invoice: true, invoice_title: '上海新时代网络科技有限公司' });
      expect(created).toMatchObject({ needs_invoice: true, invoice_title: '上海新时代网络科技有限公司', version: 1 });
    });

    it('judges an update by the record after the patch: turning the condition on, or clearing the field while it holds', async () => {
      const plain = await createRecord(ctx, admin, 'customer', { name: '光明电子', level: 'C' });
      const turnedOn = await refusal(updateRecord(ctx, admin, 'customer', plain.id, { needs_invoice: true }, { version: 1 }));
      expect(turnedOn.problems.map((p) => p.path)).toEqual(['/invoice_title']);
      // The level's default (C) is stored; making it VIP needs tags.
      const vip = await refusal(updateRecord(ctx, admin, 'customer', plain.id, { level: 'VIP' }, { version: 1 }));
      expect(vip.problems.map((p) => p.path)).toEqual(['/tags']);
      const both = await updateRecord(ctx, admin, 'customer', plain.id, { needs_invoice: true, invoice_title: '光明电子有限公司' }, { version: 1 });
      expect(both.version).toBe(2);
      const cleared = await refusal(updateRecord(ctx, admin, 'customer', plain.id, { invoice_title: null }, { version: 2 }));
      expect(cleared.problems.map((p) => p.path)).toEqual(['/invoice_title']);
      const off = await updateRecord(ctx, admin, 'customer', plain.id, { needs_invoice: false, invoice_title: null }, { version: 2 });
      expect(off).toMatchObject({ needs_invoice: false, invoice_title: null, version: 3 });
    });

    it('checks the records before a new requiredWhen: those meeting it with the field empty refuse it until filled in', async () => {
      const layout = documents[documents.length - 1] as { sections: { fields: unknown[] }[] };
      const withRule = (rule: unknown) => ({
        ...layout, sections: [{ ...layout.sections[0], fields: layout.sections[0]!.fields.map((f, i) => (i === 4 ? { field: 'invoice_title', ...(rule ? { requiredWhen: rule } : {}) } : f)) }],
      });
      await applyChange(ctx, admin, { upsert: inputs(withRule(undefined)) });
      const open = await createRecord(ctx, admin, 'customer', { name: '华远贸易', needs_invoice: true });
      const binned = await createRecord(ctx, admin, 'customer', { name: '旧客户', needs_invoice: true });
      await deleteRecord(ctx, admin, 'customer', binned.id);

      const refused = await planChange(ctx, { upsert: inputs(withRule(needsInvoice)) });
      expect(refused.refused).toBe(true);
      // One record in use (the one in the recycle bin does not count), at the condition's control in the layout.
      expect(refused.problems).toEqual([{
        code: 'check_required_when', path: '/sections/0/fields/4/requiredWhen', source: 'layout:customer_form',
        message: {
          'zh-CN': '1 条记录满足「发票抬头」的必填条件但此项为空，这些记录将无法再保存：先填写它们，才能设置这个条件',
          en: '1 record(s) meet the condition making "Invoice title" required but have it empty, so they could not be saved again: fill them in before setting the condition',
        },
      }]);
      expect(refused.operations.find((o) => o.op === 'checkData')).toMatchObject({ risk: 'checked', check: { passed: false, count: 1 } });
      await expect(applyChange(ctx, admin, { upsert: inputs(withRule(needsInvoice)) })).rejects.toMatchObject({ code: 'plan_refused' });

      await updateRecord(ctx, admin, 'customer', open.id, { invoice_title: '华远贸易有限公司' }, { version: 1 });
      const passed = await applyChange(ctx, admin, { upsert: inputs(withRule(needsInvoice)) });
      expect(passed.plan.operations.find((o) => o.op === 'checkData')).toMatchObject({ check: { passed: true, count: 0 } });
      // A condition kept as it was is not checked again when the layout changes otherwise.
      const relabelled = withRule(needsInvoice) as Record<string, unknown>;
      const again = await planChange(ctx, { upsert: inputs({ ...relabelled, label: L('客户资料', 'Customer profile') }) });
      expect(again.operations.filter((o) => o.op === 'checkData')).toEqual([]);
    });

    it('counts the same whether SQL can narrow the condition (a choice among values) or not (anyOf)', async () => {
      const layout = documents[documents.length - 1] as { sections: { fields: unknown[] }[] };
      const tagsRule = (rule: unknown) => ({
        ...layout, sections: [{ ...layout.sections[0], fields: layout.sections[0]!.fields.map((f, i) => (i === 5 ? { field: 'tags', ...(rule ? { requiredWhen: rule } : {}) } : f)) }],
      });
      await applyChange(ctx, admin, { upsert: inputs(tagsRule(undefined)) });
      await createRecord(ctx, admin, 'customer', { name: '重点客户', level: 'VIP' });
      await createRecord(ctx, admin, 'customer', { name: '普通客户', level: 'B' });
      const countOf = async (rule: unknown) => (await planChange(ctx, { upsert: inputs(tagsRule(rule)) })).operations.find((o) => o.op === 'checkData')?.check?.count;
      expect(await countOf({ properties: { level: { enum: ['A', 'VIP'] } }, required: ['level'] })).toBe(1);
      expect(await countOf({ anyOf: [{ properties: { level: { const: 'A' } } }, { properties: { level: { const: 'VIP' } } }], required: ['level'] })).toBe(1);
      expect(await countOf({ properties: { level: { const: 'B' } } })).toBe(1);
      expect(await countOf({ properties: { level: { const: 'A' } } })).toBe(0);
    });
  });
}
