// The module designer's arrangement and the ONE change it makes (app/admin/modules/design.ts):
// only the documents that differ are written, positions follow the menu order, line items move
// with their document, a removed module leaves the roles that named it.
import { describe, expect, it } from 'vitest';
import {
  addModule, draftOf, initialDesign, moduleProblems, moveEntity, moveModule, removeModule, UNASSIGNED, updateModule,
  type ModuleDesignData,
} from '../../app/admin/modules/design.ts';
import { moduleDesignData } from '../../app/admin/modules/modules.server.ts';
import { documentKey, type EntityDocument, type MetadataDocument } from '../../engine/metadata/model.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { entity, field, inputs, L } from '../support/documents.ts';

const module = (name: string, position: number, entities: string[], icon?: string) =>
  ({ kind: 'module', name, label: L(`模块${name}`, `Module ${name}`), position, entities, ...(icon ? { icon } : {}) });
const inModule = (name: string, moduleName?: string, extra: Record<string, unknown> = {}) =>
  entity(name, { name: field({ type: 'text' }), ...extra }, { options: { icon: 'file', ...(moduleName ? { module: moduleName } : {}) } });

/** A small workspace: customers and sales (quotes with lines), an office module, roles hiding one. */
function workspace(...extra: unknown[]): ModuleDesignData {
  const { documents, problems } = validateDocuments(inputs(
    module('customers', 10, ['customer', 'contact'], 'users'),
    module('sales', 20, ['quote', 'contract']),
    module('office', 30, []),
    inModule('customer', 'customers'),
    inModule('contact', 'customers'),
    inModule('quote', 'sales', { lines: field({ type: 'lines', entity: 'quote_line' }) }),
    inModule('quote_line', 'sales'),
    inModule('contract', 'sales'),
    inModule('memo'),
    { kind: 'role', name: 'clerk', label: L('文员', 'Clerk'), modules: { office: { visible: false }, sales: { visible: true } } },
    ...extra,
  ));
  expect(problems).toEqual([]);
  return moduleDesignData(new Map(documents.map((d) => [documentKey(d), d])));
}
const written = (draft: { upsert: MetadataDocument[] }) => draft.upsert.map((d) => documentKey(d));

describe('the module designer', () => {
  it('starts from the menu as it is, and an untouched arrangement changes nothing', () => {
    const data = workspace();
    const design = initialDesign(data);
    expect(design.modules.map((m) => [m.name, m.entities])).toEqual([['customers', ['customer', 'contact']], ['sales', ['quote', 'contract']], ['office', []]]);
    expect(design.unassigned).toEqual(['memo']);
    // Line items are not in the menu, but their documents come along to move with their quote.
    expect(data.lineEntities).toEqual({ quote: ['quote_line'] });
    expect(draftOf(data, design)).toEqual({ upsert: [] });
  });

  it('writes only what changed: a swap renumbers positions, a move rewrites the entity and its lines', () => {
    const data = workspace();
    let design = moveModule(initialDesign(data), 1, 0);
    design = moveEntity(design, 'quote', 'customers', 1);
    const draft = draftOf(data, design);
    expect(written(draft)).toEqual(['module:sales', 'module:customers', 'entity:quote', 'entity:quote_line']);
    expect(draft.upsert[0]).toMatchObject({ position: 10, entities: ['contract'] });
    expect(draft.upsert[1]).toMatchObject({ position: 20, entities: ['customer', 'quote', 'contact'], icon: 'users' });
    for (const doc of draft.upsert.slice(2) as EntityDocument[]) expect(doc.schema['x-forma']).toEqual({ icon: 'file', module: 'customers' });
    // What it makes is a valid model.
    expect(validateDocuments(inputs(...draft.upsert, ...Object.values(data.entities).filter((e) => !['quote', 'quote_line'].includes(e.name)),
      module('office', 30, []))).problems).toEqual([]);
  });

  it('keeps positions that still ascend, and takes an entity out of every module', () => {
    const data = workspace();
    const design = moveEntity(updateModule(initialDesign(data), 'office', { label: L('办公室', 'Office'), icon: undefined }), 'contract', UNASSIGNED);
    const draft = draftOf(data, design);
    expect(written(draft)).toEqual(['module:sales', 'module:office', 'entity:contract']);
    expect(draft.upsert[1]).toEqual({ kind: 'module', name: 'office', label: L('办公室', 'Office'), position: 30, entities: [] });
    expect((draft.upsert[2] as EntityDocument).schema['x-forma']).toEqual({ icon: 'file' });
  });

  it('adds a module with a checked name, and removes an empty one from the roles naming it', () => {
    const data = workspace();
    let design = addModule(initialDesign(data));
    const added = design.modules.at(-1)!;
    expect(moduleProblems(design, added)).toEqual({ name: 'am_name_empty', 'zh-CN': 'am_label_empty', en: 'am_label_empty' });
    design = updateModule(design, added.key, { name: 'Sales' });
    expect(moduleProblems(design, design.modules.at(-1)!).name).toBe('am_name_pattern');
    design = updateModule(design, added.key, { name: 'sales' });
    expect(moduleProblems(design, design.modules.at(-1)!).name).toBe('am_name_taken');
    design = updateModule(design, added.key, { name: 'hr', label: L(' 人事 ', 'HR') });
    expect(moduleProblems(design, design.modules.at(-1)!)).toEqual({});
    // Holding entities, sales stays; office is empty and goes.
    design = removeModule(removeModule(design, 'sales'), 'office');
    const draft = draftOf(data, design);
    expect(design.modules.map((m) => m.name)).toEqual(['customers', 'sales', 'hr']);
    expect(draft.remove).toEqual([{ kind: 'module', name: 'office' }]);
    expect(draft.upsert).toEqual([
      // 10, 20, then a module without a position: all numbered again, which leaves these as they were.
      { kind: 'module', name: 'hr', label: L('人事', 'HR'), position: 30, entities: [] },
      { kind: 'role', name: 'clerk', label: L('文员', 'Clerk'), modules: { sales: { visible: true } } },
    ]);
  });

  it('leaves a module alone whose list leaves members out or names entities moved away, until it is written', () => {
    // Sales lists the contract first and leaves the quote out; customers still lists the memo, moved away since.
    const data = workspace();
    const model = new Map([...Object.values(data.entities), ...data.modules.flatMap((m) => (m.document ? [m.document] : []))].map((d) => [documentKey(d), d]));
    model.set('module:sales', { ...model.get('module:sales')!, entities: ['contract'] });
    model.set('module:customers', { ...model.get('module:customers')!, entities: ['memo', 'contact', 'customer'] });
    const stale = moduleDesignData(model);
    const design = initialDesign(stale);
    expect(design.modules.map((m) => m.entities)).toEqual([['contact', 'customer'], ['contract', 'quote'], []]);
    expect(draftOf(stale, design)).toEqual({ upsert: [] });
    // Written for another reason, a module keeps its own list, less the names that are not its entities.
    const relabelled = draftOf(stale, updateModule(updateModule(design, 'sales', { icon: 'target' }), 'customers', { label: L('客户', 'Clients') }));
    expect(relabelled.upsert.map((d) => [d.name, d.entities])).toEqual([['customers', ['contact', 'customer']], ['sales', ['contract']]]);
    // Reordered, it lists every entity.
    expect(draftOf(stale, moveEntity(design, 'quote', 'sales', 0)).upsert.map((d) => [d.name, d.entities])).toEqual([['sales', ['quote', 'contract']]]);
  });

  it('gives modules that were only names on entities or roles their documents, labelled with the name', () => {
    const clerk = { kind: 'role', name: 'clerk', label: L('文员', 'Clerk'), modules: { marketing: { visible: true }, hr: { visible: false } } };
    const { documents, problems } = validateDocuments(inputs(inModule('lead', 'marketing'), inModule('customer', 'customers'), clerk));
    expect(problems).toEqual([]);
    const data = moduleDesignData(new Map(documents.map((d) => [documentKey(d), d])));
    const design = initialDesign(data);
    expect(design.modules.map((m) => [m.name, m.undocumented, m.entities])).toEqual([
      ['customers', true, ['customer']], ['marketing', true, ['lead']], ['hr', true, []],
    ]);
    // The empty `hr` is dropped (the role forgets it); the others get their documents.
    const draft = draftOf(data, removeModule(updateModule(design, 'marketing', { label: L('市场', 'Marketing') }), 'hr'));
    expect(draft).toEqual({ upsert: [
      { kind: 'module', name: 'customers', label: L('customers', 'customers'), position: 10, entities: ['customer'] },
      { kind: 'module', name: 'marketing', label: L('市场', 'Marketing'), position: 20, entities: ['lead'] },
      { ...clerk, modules: { marketing: { visible: true } } },
    ] });
    // Together they are the whole upgrade: a valid model with module documents.
    const upgraded = new Map(documents.map((d) => [documentKey(d), d]));
    for (const doc of draft.upsert) upgraded.set(documentKey(doc), doc);
    expect(validateDocuments(inputs(...upgraded.values())).problems).toEqual([]);
  });
});
