// The entity manager's pure logic (app/admin/entities/*) against the standard CRM and the real
// engine checks: drafts become documents the engine accepts, unchanged fields stay byte for byte,
// and every bad input the issue names is found — by the manager before the engine where only it
// can see it (a taken name), by the engine otherwise — and lands at the control that edits it.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemView } from '../../app/admin/change.server.ts';
import type { ProblemView } from '../../app/admin/change.ts';
import { designerChoices, entityCatalogue, fieldOrigins, fieldTypeInfos } from '../../app/admin/entities/entities.server.ts';
import { entityArchived, entityWithSettings, newEntityDocument, settingsOf } from '../../app/admin/entities/entity-draft.ts';
import {
  entityWithField, entityWithFieldArchived, entityWithoutNewField, fieldDraftOf, newFieldDraft, newOptionDraft,
  type FieldDraft, type FieldOrigin,
} from '../../app/admin/entities/field-draft.ts';
import { machineNameProblem, suggestMachineName } from '../../app/admin/entities/names.ts';
import {
  entityEngineProblems, entitySettingsProblems, fieldControlOf, fieldDraftProblems, fieldEngineProblems, messagesAt, shownProblems,
} from '../../app/admin/entities/problems.ts';
import { fieldTypes } from '../../engine/field-types/registry.ts';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import { documentKey, type EntityDocument, type Model } from '../../engine/metadata/model.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { checkChangeSet } from '../../engine/schema/plan.ts';

const dir = fileURLToPath(new URL('../../metadata/standard-crm/', import.meta.url));
let model: Model;
const entity = (name: string) => model.get(documentKey({ kind: 'entity', name })) as EntityDocument;
const info = (type: string) => fieldTypeInfos().find((t) => t.name === type);
/** What the engine says about the model with these entities in it, as the designer receives it. */
const engine = (...docs: EntityDocument[]): ProblemView[] =>
  checkChangeSet(model, { upsert: docs.map((document) => ({ document })) }).problems.map((p) => problemView(p, 'en'));
/** The entity with a new field drafted the way the editor builds it. */
const withNew = (base: EntityDocument, draft: Partial<FieldDraft>) =>
  entityWithField(base, { ...newFieldDraft(), label: { 'zh-CN': '新字段', en: 'New field' }, ...draft }, undefined, info(draft.type ?? 'text'));
const origin = (base: EntityDocument, name: string): FieldOrigin => fieldOrigins(base)[name]!;
const draftOf = (base: EntityDocument, name: string) =>
  fieldDraftOf(name, base.schema.properties[name]!, (base.schema.required ?? []).includes(name), info(base.schema.properties[name]!['x-forma'].type));

beforeAll(async () => {
  const loaded = await loadDocuments(dir);
  const { documents, problems } = validateDocuments(loaded.inputs);
  expect(problems).toEqual([]);
  model = new Map(documents.map((d) => [documentKey(d), d]));
});

describe('machine names', () => {
  it('are suggested from the English label', () => {
    expect(suggestMachineName('Supplier review')).toBe('supplier_review');
    expect(suggestMachineName('  WeChat ID ')).toBe('wechat_id');
    expect(suggestMachineName('Café & Bar')).toBe('cafe_bar');
    expect(suggestMachineName('2nd phone')).toBe('f_2nd_phone');
    expect(suggestMachineName('微信')).toBe('');
    const long = suggestMachineName('a very long label that goes on and on past the limit of names');
    expect(long.length).toBeLessThanOrEqual(48);
    expect(long).toMatch(/^[a-z][a-z0-9_]*[a-z0-9]$/);
  });

  it('are refused when malformed, reserved, a system column or taken (archived names count)', () => {
    const taken = new Set(['name', 'old_field']);
    expect(machineNameProblem('', taken, 'field')).toBe('empty');
    expect(machineNameProblem('WeChat', taken, 'field')).toBe('pattern');
    expect(machineNameProblem('1st', taken, 'field')).toBe('pattern');
    expect(machineNameProblem('order', taken, 'field')).toBe('reserved');
    expect(machineNameProblem('state', taken, 'field')).toBe('system');
    expect(machineNameProblem('state', taken, 'entity')).toBeUndefined();
    expect(machineNameProblem('old_field', taken, 'field')).toBe('taken');
    expect(machineNameProblem('wechat', taken, 'field')).toBeUndefined();
  });
});

describe('field drafts', () => {
  it('leave every field of the standard CRM exactly as it is when opened and closed unchanged', () => {
    for (const e of [...model.values()].filter((d) => d.kind === 'entity') as EntityDocument[]) {
      for (const name of Object.keys(e.schema.properties)) {
        expect(entityWithField(e, draftOf(e, name), origin(e, name), info(e.schema.properties[name]!['x-forma'].type)), `${e.name}.${name}`).toBe(e);
      }
    }
  });

  it('rebuild an edited field so that the engine normalises it back to the same definition', () => {
    const customer = entity('customer');
    for (const name of Object.keys(customer.schema.properties)) {
      const draft = { ...draftOf(customer, name), label: { 'zh-CN': '改名', en: 'Renamed' } };
      const edited = entityWithField(customer, draft, origin(customer, name), info(draft.type));
      expect(engine(edited), name).toEqual([]);
      const next = checkChangeSet(model, { upsert: [{ document: edited }] }).next.get('entity:customer') as EntityDocument;
      const { label: _before, ...was } = customer.schema.properties[name]!['x-forma'];
      const { label: after, ...is } = next.schema.properties[name]!['x-forma'];
      expect(after).toEqual({ 'zh-CN': '改名', en: 'Renamed' });
      expect(is, name).toEqual(was);
      const { 'x-forma': _x, ...keywords } = next.schema.properties[name]!;
      const { 'x-forma': _y, ...keywordsBefore } = customer.schema.properties[name]!;
      expect(keywords, name).toEqual(keywordsBefore);
    }
  });

  it('renames a label without touching the column, and keeps the field in its place', () => {
    const customer = entity('customer');
    const renamed = entityWithField(customer, { ...draftOf(customer, 'phone'), label: { 'zh-CN': '联系电话', en: 'Telephone' } }, origin(customer, 'phone'), info('phone'));
    expect(Object.keys(renamed.schema.properties)).toEqual(Object.keys(customer.schema.properties));
    expect(renamed.schema.properties.phone!['x-forma']).toMatchObject({ type: 'phone', label: { 'zh-CN': '联系电话', en: 'Telephone' }, searchable: true });
    expect(engine(renamed)).toEqual([]);
  });

  it('changes a type where the data can follow, dropping what the old type implied', () => {
    const customer = entity('customer');
    const toTextarea = entityWithField(customer, { ...draftOf(customer, 'short_name'), type: 'textarea' }, origin(customer, 'short_name'), info('textarea'));
    expect(toTextarea.schema.properties.short_name).toMatchObject({ maxLength: 50, 'x-forma': { type: 'textarea' } });
    expect(engine(toTextarea)).toEqual([]);
    const level = origin(customer, 'level');
    const toText = entityWithField(customer, { ...draftOf(customer, 'level'), type: 'text' }, level, info('text'));
    expect(toText.schema.properties.level).not.toHaveProperty('enum');
    expect(toText.schema.properties.level!['x-forma']).not.toHaveProperty('options');
    expect(engine(toText)).toEqual([]);
  });

  it('shows the engine\'s refusal of a type change the data cannot follow at the type control', () => {
    const customer = entity('customer');
    const draft = { ...draftOf(customer, 'short_name'), type: 'lookup', target: 'contact' };
    const problems = engine(entityWithField(customer, draft, origin(customer, 'short_name'), info('lookup')));
    expect(problems.map((p) => p.code)).toEqual(['type_change_unsupported']);
    expect(messagesAt('type', [], fieldEngineProblems(problems, 'short_name', customer.schema.required ?? []))).toEqual([
      'Field "short_name" cannot change from type text to lookup',
    ]);
  });

  it('build every option a type has: choices with colours, lookups, lines, numbering, formulas, decimals', () => {
    const base = entity('supplier');
    const select = withNew(base, {
      name: 'rating', type: 'select', required: true, defaultValue: 'B', options: [
        { ...newOptionDraft(), value: 'A', label: { 'zh-CN': '优', en: 'Good' }, color: '#388e3c' },
        { ...newOptionDraft(), value: 'B', label: { 'zh-CN': '中', en: 'Fair' }, color: '#fbc02d', closed: true },
      ],
    });
    expect(select.schema.properties.rating).toEqual({
      'x-forma': {
        type: 'select', label: { 'zh-CN': '新字段', en: 'New field' },
        options: [
          { value: 'A', label: { 'zh-CN': '优', en: 'Good' }, color: '#388e3c' },
          { value: 'B', label: { 'zh-CN': '中', en: 'Fair' }, color: '#fbc02d', closed: true },
        ],
      },
      default: 'B',
    });
    expect(select.schema.required).toContain('rating');
    let all = withNew(select, { name: 'buyer', type: 'lookup', target: 'contact', filterable: true });
    const drafts: Partial<FieldDraft>[] = [
      { name: 'audit_no', type: 'autonumber', numbering: 'supplier_code' },
      { name: 'score', type: 'decimal', scale: '1', defaultValue: '3.5' },
      { name: 'budget', type: 'money', currency: 'USD', scale: '0' },
      { name: 'score_text', type: 'formula', expression: 'concat(name, "-", score)', resultType: 'text' },
      { name: 'tags', type: 'multiselect', defaultValues: ['x'], options: [{ ...newOptionDraft(), value: 'x', label: { 'zh-CN': '甲', en: 'X' }, closed: true }] },
      { name: 'place', type: 'region', level: 'city' },
      { name: 'papers', type: 'file', multiple: true, maxSizeMb: '20' },
      { name: 'memo', type: 'text', maxLength: '500', searchable: true, unique: true, help: { 'zh-CN': '备注', en: 'Memo' } },
    ];
    for (const draft of drafts) all = withNew(all, draft);
    expect(engine(all)).toEqual([]);
    // Only a select's choices may be closed; the meta-schema refuses it on a multiselect.
    expect(all.schema.properties.tags!['x-forma'].options).toEqual([{ value: 'x', label: { 'zh-CN': '甲', en: 'X' } }]);
    expect(all.schema.properties.score).toMatchObject({ default: 3.5, 'x-forma': { scale: 1 } });
    expect(all.schema.properties.memo).toMatchObject({ maxLength: 500, 'x-forma': { searchable: true, unique: true, help: { 'zh-CN': '备注', en: 'Memo' } } });
  });

  it('archive and restore a field with nothing else changed, and drop a field new in the draft', () => {
    const customer = entity('customer');
    const archived = entityWithFieldArchived(customer, 'name', true);
    expect(archived.schema.properties.name!['x-forma'].archived).toBe(true);
    expect(archived.schema.required ?? []).not.toContain('name');
    expect(JSON.stringify(entityWithFieldArchived(entityWithFieldArchived(customer, 'fax', true), 'fax', false))).toBe(JSON.stringify(customer));
    // The display field cannot go: the engine says so at the display field control.
    expect(messagesAt('entity.displayField', [], entityEngineProblems(engine(archived)))).toEqual(['Field "name" of entity "customer" is archived']);
    // Restored, then edited: the edit keeps it restored.
    const stored = entityWithFieldArchived(customer, 'fax', true);
    const restored = entityWithFieldArchived(stored, 'fax', false);
    const renamed = entityWithField(restored, { ...draftOf(restored, 'fax'), label: { 'zh-CN': '传真号', en: 'Fax no.' } }, origin(stored, 'fax'), info('phone'));
    expect(renamed.schema.properties.fax!['x-forma']).toEqual({ type: 'phone', label: { 'zh-CN': '传真号', en: 'Fax no.' } });
    const added = withNew(customer, { name: 'wechat' });
    expect(JSON.stringify(entityWithoutNewField(added, 'wechat'))).toBe(JSON.stringify(customer));
  });

  it('keep the required list in its place when a field is made required and back', () => {
    const customer = entity('customer');
    const required = entityWithField(customer, { ...draftOf(customer, 'fax'), required: true }, origin(customer, 'fax'), info('phone'));
    expect(required.schema.required).toEqual([...(customer.schema.required ?? []), 'fax']);
    // Edited back to what is applied: exactly the applied document again.
    const back = entityWithField(required, { ...draftOf(required, 'fax'), required: false }, origin(customer, 'fax'), info('phone'));
    expect(JSON.stringify(back)).toBe(JSON.stringify(customer));
  });
});

describe('bad input at its control', () => {
  const customer = () => entity('customer');
  const check = (draft: Partial<FieldDraft>, taken = Object.keys(customer().schema.properties)) =>
    fieldDraftProblems({ ...newFieldDraft(), label: { 'zh-CN': '新字段', en: 'New field' }, ...draft }, { isNew: true, taken: new Set(taken), info: info(draft.type ?? 'text') }, 'en');

  it('an invalid, reserved or duplicate machine name: the manager says so; the engine refuses the first two too', () => {
    expect(check({ name: 'WeChat' })).toEqual([{ control: 'name', message: expect.stringContaining('lower-case letter') }]);
    expect(check({ name: 'phone' })).toEqual([{ control: 'name', message: 'This entity already has a field "phone" (archived ones count)' }]);
    for (const name of ['WeChat', 'order', 'created_at']) {
      const problems = engine(withNew(customer(), { name }));
      expect(problems.length, name).toBeGreaterThan(0);
      expect(fieldEngineProblems(problems, name, []).map((p) => p.control), name).toContain('name');
    }
  });

  it('a formula naming a missing field: the engine\'s problem under the expression box', () => {
    const problems = engine(withNew(customer(), { name: 'total', type: 'formula', expression: 'credit_limit * 2 + missing_field', resultType: 'decimal' }));
    expect(problems.map((p) => p.code)).toEqual(['formula_reference']);
    expect(messagesAt('expression', [], fieldEngineProblems(problems, 'total', []))).toEqual(['The formula refers to "missing_field", which is not an active field']);
    const syntax = engine(withNew(customer(), { name: 'total', type: 'formula', expression: 'credit_limit *', resultType: 'decimal' }));
    expect(fieldEngineProblems(syntax, 'total', []).map((p) => p.control)).toEqual(['expression']);
  });

  it('a lookup to an archived entity: the engine\'s problem at the target', () => {
    const archivedContact = entityArchived(entity('campaign'), true);
    const problems = engine(archivedContact, withNew(customer(), { name: 'campaign_ref', type: 'lookup', target: 'campaign' }))
      .filter((p) => p.source === 'entity:customer');
    expect(messagesAt('target', [], fieldEngineProblems(problems, 'campaign_ref', []))).toEqual(['Entity "campaign" is archived']);
  });

  it('a select with a repeated option value: both the manager and the engine point at the second one', () => {
    const options = [
      { ...newOptionDraft(), value: 'A', label: { 'zh-CN': '甲', en: 'A' } },
      { ...newOptionDraft(), value: 'A', label: { 'zh-CN': '乙', en: 'B' } },
    ];
    expect(check({ name: 'grade', type: 'select', options })).toEqual([{ control: 'option.1.value', message: 'Option value "A" appears more than once' }]);
    const problems = engine(withNew(customer(), { name: 'grade', type: 'select', options }));
    expect(fieldEngineProblems(problems, 'grade', []).map((p) => p.control)).toEqual(['option.1.value']);
  });

  it('empty labels: at each language\'s box, from the manager and from the engine', () => {
    expect(check({ name: 'wechat', label: { 'zh-CN': '微信', en: ' ' } })).toEqual([{ control: 'label.en', message: 'Enter a name', missing: true }]);
    const problems = engine(withNew(customer(), { name: 'wechat', label: { 'zh-CN': '', en: 'WeChat' } }));
    expect(fieldEngineProblems(problems, 'wechat', []).map((p) => p.control)).toEqual(['label.zh-CN']);
    const emptyOption = check({ name: 'grade', type: 'select', options: [{ ...newOptionDraft(), value: 'A' }] });
    expect(emptyOption.map((p) => p.control)).toEqual(['option.0.label.zh-CN', 'option.0.label.en']);
  });

  it('missing choices and numbers that are not numbers', () => {
    expect(check({ name: 'buyer', type: 'lookup' }).map((p) => p.control)).toEqual(['target']);
    expect(check({ name: 'score', type: 'decimal', scale: '12', defaultValue: 'x' }).map((p) => p.control)).toEqual(['scale', 'default']);
    expect(check({ name: 'memo', maxLength: '0' }).map((p) => p.control)).toEqual(['maxLength']);
    expect(check({ name: 'grade', type: 'select' }).map((p) => p.control)).toEqual(['options']);
  });

  it('says what is still empty only once the admin tries to go on, and then the manager\'s word before the engine\'s', () => {
    const own = check({ name: 'wechat', label: { 'zh-CN': '', en: 'WeChat' }, type: 'lookup' });
    expect(own.map((p) => [p.control, p.missing])).toEqual([['label.zh-CN', true], ['target', true]]);
    const theirs = fieldEngineProblems(engine(withNew(customer(), { name: 'wechat', label: { 'zh-CN': '', en: 'WeChat' } })), 'wechat', []);
    expect(theirs.map((p) => p.control)).toEqual(['label.zh-CN']);
    expect(shownProblems(own, theirs, false)).toEqual({ own: [], engine: [] });
    const insisted = shownProblems(own, theirs, true);
    expect(messagesAt('label.zh-CN', insisted.own, insisted.engine)).toEqual(['Enter a name']);
    const wrong = check({ name: 'Bad', label: { 'zh-CN': '', en: 'x' } });
    expect(shownProblems(wrong, [], false).own.map((p) => p.control)).toEqual(['name']);
  });

  it('maps every place of a field to the control that edits it', () => {
    expect(fieldControlOf('')).toBe('name');
    expect(fieldControlOf('/x-forma/label/en')).toBe('label.en');
    expect(fieldControlOf('/x-forma/options/3/label/zh-CN')).toBe('option.3.label.zh-CN');
    expect(fieldControlOf('/x-forma/options')).toBe('options');
    expect(fieldControlOf('/x-forma/expression')).toBe('expression');
    expect(fieldControlOf('/x-forma/column')).toBe('name');
    expect(fieldControlOf('/default')).toBe('default');
    expect(fieldControlOf('/x-forma')).toBe('general');
    expect(fieldControlOf('/enum')).toBe('general');
  });
});

describe('new entities', () => {
  const named = (name: string, zh = '供应商评估', en = 'Supplier review') =>
    entityWithSettings(newEntityDocument(), { ...settingsOf(newEntityDocument()), name, label: { 'zh-CN': zh, en }, icon: 'clipboard-check', module: 'purchase' });

  it('start with a required, searchable text field "name" as display field, and pass the engine', () => {
    const doc = named('supplier_review');
    expect(doc.schema.required).toEqual(['name']);
    expect(doc.schema['x-forma']).toEqual({ displayField: 'name', icon: 'clipboard-check', module: 'purchase' });
    expect(doc.schema.properties.name!['x-forma']).toMatchObject({ type: 'text', label: { 'zh-CN': '名称', en: 'Name' } });
    expect(engine(doc)).toEqual([]);
  });

  it('may not take a name in use (the engine would read it as a change of that entity), nor a reserved one', () => {
    const taken = new Set(designerChoices(model, 'zh-CN').takenEntityNames);
    expect(entitySettingsProblems(settingsOf(named('customer')), true, taken, 'en'))
      .toEqual([{ control: 'entity.name', message: 'An entity "customer" exists already (archived ones count)' }]);
    expect(entitySettingsProblems(settingsOf(named('user')), true, taken, 'en').map((p) => p.control)).toEqual(['entity.name']);
    expect(entityEngineProblems(engine(named('user'))).map((p) => p.control)).toEqual(['entity.name']);
    expect(entitySettingsProblems(settingsOf(named('supplier_review', '', 'x')), true, taken, 'en').map((p) => p.control)).toEqual(['entity.label.zh-CN']);
    expect(entityEngineProblems(engine(named('supplier_review', '', 'x'))).map((p) => p.control)).toEqual(['entity.label.zh-CN']);
  });
});

describe('what the pages load', () => {
  it('describes every field type with the options the meta-schema allows it', () => {
    expect(fieldTypeInfos().map((t) => t.name)).toEqual([...fieldTypes.keys()]);
    expect(info('select')).toMatchObject({ options: ['options'], choiceFields: ['value', 'label', 'color', 'probability', 'closed'], filterable: true, unique: false });
    expect(info('multiselect')!.choiceFields).not.toContain('closed');
    expect(info('formula')).toMatchObject({ options: ['expression', 'resultType', 'scale'], defaultScale: 2, maxScale: 10 });
    expect(info('money')).toMatchObject({ options: ['scale', 'currency'], maxScale: 6 });
    expect(info('text')).toMatchObject({ defaultMaxLength: 200, searchable: true, unique: true });
    expect(info('region')!.enums).toEqual({ level: ['province', 'city', 'district'] });
  });

  it('lists entities by module with their line items after them, archived ones apart', () => {
    const archived = new Map(model);
    archived.set('entity:campaign', entityArchived(entity('campaign'), true));
    const { groups, archived: apart } = entityCatalogue(archived, 'zh-CN');
    const sales = groups.flatMap((g) => g.entities.map((e) => e.name));
    expect(sales.indexOf('quote_line')).toBe(sales.indexOf('quote') + 1);
    expect(groups.flatMap((g) => g.entities).find((e) => e.name === 'quote_line')!.lineOf).toBe('报价单');
    expect(sales).not.toContain('campaign');
    expect(apart.map((e) => e.name)).toEqual(['campaign']);
    const customer = groups.flatMap((g) => g.entities).find((e) => e.name === 'customer')!;
    expect(customer.fields).toBe(Object.keys(entity('customer').schema.properties).length);
  });
});
