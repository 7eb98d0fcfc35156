// The form layout designer's draft, conditions and problems (app/admin/layout/*), and the form's
// side of `requiredWhen` (app/forms/layout.ts), without a browser.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import validator from '@rjsf/validator-ajv8';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import { documentKey, type EntityDocument, type MetadataDocument, type Model } from '../../engine/metadata/model.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { conditionFields, conditionSchema, operatorsOf, simpleCondition } from '../../app/admin/layout/conditions.ts';
import {
  addSection, addTab, draftOf, layoutDocument, locate, moveField, moveSection, PALETTE, removeSection, removeTab, updatePlacement, updateSection,
  type FieldInfo, type LayoutDraft,
} from '../../app/admin/layout/draft.ts';
import { dropPlace } from '../../app/admin/layout/dnd.ts';
import { control, draftProblems, engineProblems } from '../../app/admin/layout/problems.ts';
import { layoutSections, missingRequired, withRequiredWhen } from '../../app/forms/layout.ts';
import { formJsonSchema } from '../../app/forms/schema.ts';
import { formSpec } from '../../app/forms/spec.server.ts';

const dir = fileURLToPath(new URL('../../metadata/standard-crm/', import.meta.url));
let model: Model;
let customer: EntityDocument;
let fields: FieldInfo[];
let byName: Map<string, FieldInfo>;
let order: string[];
const L = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const needsInvoice = { properties: { needs_invoice: { const: true } }, required: ['needs_invoice'] };

beforeAll(async () => {
  const loaded = await loadDocuments(dir);
  const { documents, problems } = validateDocuments(loaded.inputs);
  expect(problems).toEqual([]);
  model = new Map(documents.map((d) => [documentKey(d), d]));
  customer = model.get('entity:customer') as EntityDocument;
  fields = [
    ...Object.entries(customer.schema.properties).map(([name, f]) => ({
      name, label: f['x-forma'].label['zh-CN']!, type: f['x-forma'].type, archived: false, writable: f['x-forma'].type !== 'formula',
      ...(f['x-forma'].options ? { options: f['x-forma'].options.map((o) => ({ value: o.value, label: o.label['zh-CN']! })) } : {}),
    })),
    { name: 'needs_invoice', label: '需要发票', type: 'boolean', archived: false, writable: true },
    { name: 'invoice_title', label: '发票抬头', type: 'text', archived: false, writable: true },
    { name: 'fax_old', label: '旧传真', type: 'phone', archived: true, writable: true },
  ];
  byName = new Map(fields.map((f) => [f.name, f]));
  order = fields.map((f) => f.name);
});

const stored = () => model.get('layout:customer_form')!;
const draft = () => draftOf(stored(), { name: 'customer_form', entity: 'customer', label: customer.label }, fields);
const names = (d: LayoutDraft, section: string) => (section === PALETTE ? d.palette : d.sections.find((s) => s.name === section)!.fields).map((p) => p.field);

describe('the draft of a layout', () => {
  it('reads the stored layout and gives back the same document; fields it does not place wait in the palette', () => {
    const d = draft();
    expect(d.sections.map((s) => s.name)).toEqual(['basic', 'contact_info', 'finance', 'personal']);
    expect(names(d, PALETTE)).toEqual(['needs_invoice', 'invoice_title']);
    expect(d.sections[1]!.fields.at(-1)).toEqual({ id: 'address', field: 'address', span: 2, readOnly: false });
    expect(layoutDocument(d)).toEqual(stored());
  });

  it('starts an entity without a layout from one section with every active field, named <entity>_form', () => {
    const d = draftOf(undefined, { name: 'customer_form', entity: 'customer', label: customer.label }, fields);
    expect(layoutDocument(d)).toMatchObject({ kind: 'layout', name: 'customer_form', entity: 'customer', type: 'form', label: L('客户表单', 'Customer form') });
    expect(d.sections).toHaveLength(1);
    expect(names(d, 'main')).toEqual(order.filter((n) => n !== 'fax_old'));
    expect(d.palette).toEqual([]);
  });

  it('moves fields between sections, within one, and back to the palette (in the entity\'s order), keeping their settings', () => {
    let d = draft();
    d = moveField(d, 'postcode', 'basic', 1, order);
    expect(names(d, 'basic').slice(0, 3)).toEqual(['code', 'postcode', 'name']);
    expect(names(d, 'contact_info')).not.toContain('postcode');
    // Within a section: to the place of the field it is dropped on (arrayMove).
    d = moveField(d, 'postcode', 'basic', 3, order);
    expect(names(d, 'basic').slice(0, 4)).toEqual(['code', 'name', 'short_name', 'postcode']);
    d = updatePlacement(d, 'postcode', { span: 2, visibleWhen: needsInvoice });
    d = moveField(d, 'postcode', PALETTE, undefined, order);
    expect(names(d, PALETTE)).toEqual(['postcode', 'needs_invoice', 'invoice_title']);
    d = moveField(d, 'postcode', 'finance', undefined, order);
    expect(d.sections[2]!.fields.at(-1)).toEqual({ id: 'postcode', field: 'postcode', span: 2, readOnly: false, visibleWhen: needsInvoice });
    expect(locate(d, 'postcode')).toEqual({ container: 'finance', index: 3 });
    // A move to nowhere changes nothing.
    expect(moveField(d, 'postcode', 'no_such_section', 0, order)).toBe(d);
  });

  it('adds, titles, reorders and removes sections (their fields go back to the palette)', () => {
    let d = addSection(draft(), L('新分组', 'New section'));
    d = updateSection(d, 'section_1', { label: L('发票信息', 'Invoice details'), columns: 3 });
    d = moveField(d, 'needs_invoice', 'section_1', undefined, order);
    d = moveSection(moveSection(d, 'section_1', -1), 'section_1', -1);
    expect(d.sections.map((s) => s.name)).toEqual(['basic', 'contact_info', 'section_1', 'finance', 'personal']);
    expect(layoutDocument(d).sections).toContainEqual({ name: 'section_1', label: L('发票信息', 'Invoice details'), columns: 3, fields: ['needs_invoice'] });
    expect(addSection(d, L('x', 'x')).sections.at(-1)!.name).toBe('section_2');
    d = removeSection(d, 'contact_info', order);
    expect(d.sections.map((s) => s.name)).toEqual(['basic', 'section_1', 'finance', 'personal']);
    expect(names(d, PALETTE)).toEqual(['phone', 'fax', 'email', 'website', 'region', 'address', 'postcode', 'invoice_title']);
  });

  it('puts every section on the first tab added, and takes tabs away again', () => {
    let d = addTab(draft(), L('主要', 'Main'));
    expect(d.sections.every((s) => s.tab === 'tab_1')).toBe(true);
    d = addTab(d, L('更多', 'More'));
    d = updateSection(d, 'personal', { tab: 'tab_2' });
    expect(layoutDocument(d).tabs).toEqual([{ name: 'tab_1', label: L('主要', 'Main') }, { name: 'tab_2', label: L('更多', 'More') }]);
    d = removeTab(d, 'tab_1');
    expect(d.sections.map((s) => s.tab)).toEqual(['tab_2', 'tab_2', 'tab_2', 'tab_2']);
    d = removeTab(d, 'tab_2');
    expect(layoutDocument(d).tabs).toBeUndefined();
    expect(d.sections.some((s) => 'tab' in s)).toBe(false);
  });
});

describe('the problems the designer shows at their control', () => {
  it('has none for the stored layout', () => expect(draftProblems(draft(), byName, 'zh-CN')).toEqual([]));

  it('marks empty titles, empty sections, sections off the tabs, and fields unknown, archived or placed twice', () => {
    const handWritten: MetadataDocument = {
      ...stored(),
      tabs: [{ name: 'main', label: L('主要', '') }],
      sections: [
        { name: 'a', label: L('', 'A'), tab: 'main', fields: ['name', 'nickname', 'fax_old', { field: 'name', span: 2 }] },
        { name: 'b', label: L('乙', 'B'), fields: [] },
      ],
    };
    const d = draftOf(handWritten, { name: 'customer_form', entity: 'customer', label: customer.label }, fields);
    expect(d.sections[0]!.fields.map((p) => p.id)).toEqual(['name', 'nickname', 'fax_old', 'name~2']);
    expect(draftProblems(d, byName, 'zh-CN')).toEqual([
      { at: 'tab:main:label.en', message: '请填写标题' },
      { at: 'section:a:label.zh-CN', message: '请填写标题' },
      { at: 'field:nickname', message: '实体中没有字段「nickname」：请把它移出布局' },
      { at: 'field:fax_old', message: '字段「旧传真」已归档：请把它移出布局' },
      { at: 'field:name~2', message: '「客户名称」在表单中已经放过一次：同一字段只能放一次' },
      { at: 'section:b', message: '分组中没有字段：拖入字段，或删除此分组' },
      { at: 'section:b:tab', message: '请选择此分组所在的标签页' },
    ]);
  });

  it('marks conditions that are not JSON Schema, name no field, or require a field staff cannot fill in', () => {
    let d = moveField(draft(), 'invoice_title', 'finance', undefined, order);
    d = updatePlacement(d, 'invoice_title', { visibleWhen: { type: 'objekt' }, requiredWhen: { properties: { needs_invoise: { const: true } } } });
    d = updatePlacement(d, 'tax_no', { readOnly: true, requiredWhen: needsInvoice });
    expect(draftProblems(d, byName, 'en')).toEqual([
      { at: 'field:tax_no:requiredWhen', message: 'A read-only field cannot be required by a condition: staff cannot fill it in' },
      { at: 'field:invoice_title:visibleWhen', message: expect.stringMatching(/^The condition is not a valid JSON Schema: schema is invalid/) },
      { at: 'field:invoice_title:requiredWhen', message: 'The condition names "needs_invoise", which is not an active field' },
    ]);
  });

  it('puts the engine\'s problems at the control their JSON Pointer names', () => {
    const d = draft();
    const at = (path: string) => engineProblems(d, [{ code: 'x', message: 'm', path, source: 'layout:customer_form' }])[0]!.at;
    expect(at('/sections/1/label/en')).toBe(control.sectionLabel('contact_info', 'en'));
    expect(at('/sections/1/fields')).toBe(control.section('contact_info'));
    expect(at('/sections/1/fields/6/field')).toBe(control.field('address'));
    expect(at('/sections/1/fields/6/visibleWhen')).toBe(control.condition('address', 'visibleWhen'));
    expect(at('/sections/9/label')).toBe(control.layout);
    expect(at('/label/en')).toBe(control.layout);
  });
});

describe('simple conditions', () => {
  it('are made for the common cases and read back; anything else stays JSON', () => {
    const checked = conditionSchema({ field: 'needs_invoice', operator: 'checked' })!;
    expect(checked).toEqual(needsInvoice);
    expect(simpleCondition(checked, byName)).toEqual({ field: 'needs_invoice', operator: 'checked' });
    const oneOf = conditionSchema({ field: 'level', operator: 'oneOf', values: ['A', 'VIP'] })!;
    expect(oneOf).toEqual({ properties: { level: { enum: ['A', 'VIP'] } }, required: ['level'] });
    expect(simpleCondition(oneOf, byName)).toEqual({ field: 'level', operator: 'oneOf', values: ['A', 'VIP'] });
    // The standard template's own condition, written in another key order, reads as a simple one.
    expect(simpleCondition({ required: ['level'], properties: { level: { const: 'A' } } }, byName)).toEqual({ field: 'level', operator: 'oneOf', values: ['A'] });
    const filled = conditionSchema({ field: 'email', operator: 'filled' })!;
    expect(filled).toEqual({ properties: { email: { not: { enum: [null, '', []] } } }, required: ['email'] });
    expect(simpleCondition(filled, byName)).toEqual({ field: 'email', operator: 'filled' });
    expect(conditionSchema({ field: 'level', operator: 'oneOf', values: [] })).toBeUndefined();
    expect(simpleCondition({ properties: { level: { const: 'A' } }, required: ['level'], not: {} }, byName)).toBeUndefined();
    expect(simpleCondition({ properties: { credit_limit: { minimum: 10 } }, required: ['credit_limit'] }, byName)).toBeUndefined();
    expect(operatorsOf(byName.get('needs_invoice'))).toEqual(['checked', 'filled']);
    expect(operatorsOf(byName.get('level'))).toEqual(['oneOf', 'filled']);
    expect(operatorsOf(byName.get('email'))).toEqual(['filled']);
    expect(conditionFields({ properties: { a: {} }, required: ['a', 'b'] })).toEqual(['a', 'b']);
  });

  it('hold in the form as in the engine: a filled-in condition is false for every kind of empty', () => {
    const filled = conditionSchema({ field: 'tags', operator: 'filled' })!;
    for (const empty of [{}, { tags: null }, { tags: '' }, { tags: [] }]) expect(validator.isValid(filled, empty, {})).toBe(false);
    expect(validator.isValid(filled, { tags: ['vip'] }, {})).toBe(true);
  });
});

describe('where a dragged field lands', () => {
  it('before the field it is over, or after it when below its middle; at the top or the end of an area', () => {
    const d = draft();
    const rect = { top: 100, height: 40 };
    expect(dropPlace(d, 'phone', 110, rect)).toEqual({ container: 'contact_info', index: 0 });
    expect(dropPlace(d, 'phone', 130, rect)).toEqual({ container: 'contact_info', index: 1 });
    expect(dropPlace(d, 'area:finance', 50, { top: 100, height: 200 })).toEqual({ container: 'finance', index: 0 });
    expect(dropPlace(d, 'area:finance', 250, { top: 100, height: 200 })).toEqual({ container: 'finance', index: 3 });
    expect(dropPlace(d, 'area:_palette', 250, { top: 100, height: 200 })).toEqual({ container: PALETTE, index: 2 });
  });
});

describe('requiredWhen in the record form', () => {
  it('marks the field required while its condition holds, and names it when a save leaves it empty', () => {
    const spec = formSpec(model, customer, () => undefined, 'zh-CN');
    const layout = { ...stored(), sections: [{ name: 'invoice', label: L('发票', 'Invoice'), fields: ['name', { field: 'tax_no', requiredWhen: { properties: { level: { const: 'A' } }, required: ['level'] } }] }] };
    const { sections } = layoutSections(layout, customer, spec.fields, 'zh-CN');
    expect(sections[0]!.fields[1]).toEqual({ name: 'tax_no', span: 1, requiredWhen: { properties: { level: { const: 'A' } }, required: ['level'] } });
    const schema = withRequiredWhen(formJsonSchema(spec), sections, spec.fields);
    expect(schema.allOf).toEqual([{ if: { properties: { level: { const: 'A' } }, required: ['level'] }, then: { required: ['tax_no'] } }]);
    const holds = (condition: Record<string, unknown>, values: Record<string, unknown>) => validator.isValid(condition, values, schema);
    expect(missingRequired(sections, spec.fields, { name: 'x', level: 'A' }, holds)).toEqual(['tax_no']);
    expect(missingRequired(sections, spec.fields, { name: 'x', level: 'A', tax_no: '91310000' }, holds)).toEqual([]);
    expect(missingRequired(sections, spec.fields, { name: 'x', level: 'B' }, holds)).toEqual([]);
    // A field the person may not write is not theirs to fill in: no mark, no refusal.
    const readOnly = { ...spec.fields, tax_no: { ...spec.fields.tax_no!, readOnly: true } };
    expect(withRequiredWhen(formJsonSchema(spec), sections, readOnly).allOf).toBeUndefined();
    expect(missingRequired(sections, readOnly, { level: 'A' }, holds)).toEqual([]);
  });
});
