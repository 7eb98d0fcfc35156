import { problem, type Problem } from '../errors.ts';
import { printTemplateProblems, type PrintTemplateDocument } from '../print/template-document.ts';
import { conditionError } from './layout-conditions.ts';
import { formulaFunctions, parseFormula } from '../formula/expression.ts';
import { formulaOrder } from '../formula/order.ts';
import { fieldType } from '../field-types/registry.ts';
import type { MessageCode } from '../i18n/messages.ts';
import { createAjv, escapePointer } from './ajv.ts';
import {
  activeFields, documentKey, entitiesOf, isArchivedEntity, isArchivedField,
  type EntityDocument, type FieldDefinition, type MetadataDocument, type Model,
} from './model.ts';
import { isOwnerBinding, reservedWords, systemColumns } from './names.ts';
import type { ModuleDocument } from './modules.ts';
import { documentReferences } from './references.ts';
import { unsortableKinds, valueKind } from '../records/query/operators.ts';
import { ADMIN_ROLE } from '../security/actor.ts';

/**
 * Checks what no single meta-schema can: names, references between documents (lookups, line
 * items, numbering rules, fields named by layouts, list views, workflows, modules…), formulas
 * and defaults, over the whole model a change would produce. Returns every problem found.
 * `sources` holds the documents being written — a change's upserts, or every document of a
 * validated set — with where each came from (a file); the others were in the workspace already.
 */
export function checkModel(model: Model, sources: ReadonlyMap<string, string> = new Map()): Problem[] {
  const problems: Problem[] = [];
  const sourceOf = (kind: string, name: string) => sources.get(documentKey({ kind, name })) ?? `${kind}:${name}`;
  const lineParents = lineParentsOf(model);
  const ajv = createAjv();

  for (const entity of entitiesOf(model)) {
    const source = sourceOf('entity', entity.name);
    const report = (code: MessageCode, path: string, params: Record<string, unknown> = {}) =>
      problems.push(problem(code, path, params, source));
    if (reservedWords.has(entity.name)) report('name_reserved', '/name', { name: entity.name });
    if (isArchivedEntity(entity)) continue;

    const columns = new Map<string, string>();
    for (const [fieldName, field] of Object.entries(entity.schema.properties)) {
      const at = `/schema/properties/${escapePointer(fieldName)}`;
      const options = field['x-forma'];
      const column = options.column ?? fieldName;
      for (const [name, where] of [[fieldName, at], [column, `${at}/x-forma/column`]] as const) {
        // The one system column a field may stand for: a user field as the record's owner (负责人).
        if (name === column && isOwnerBinding(options)) continue;
        if (systemColumns.has(name)) report('name_system_column', where, { name });
        else if (reservedWords.has(name)) report('name_reserved', where, { name });
      }
      if (fieldType(options.type).column(options) !== null) {
        const other = columns.get(column);
        if (other) report('column_duplicate', `${at}/x-forma/column`, { field: fieldName, other, column });
        columns.set(column, fieldName);
      }
      checkCapabilities(field, at, report);
      if (!isArchivedField(field)) checkActiveField(model, entity, fieldName, field, at, lineParents, ajv, report);
    }

    // A formula reading itself is reported by checkFormula; longer circles here.
    const order = formulaOrder(Object.fromEntries(activeFields(entity)));
    if (!order.ok && order.cycle.length > 2) {
      report('formula_cycle', `/schema/properties/${escapePointer(order.cycle[0]!)}/x-forma/expression`, { cycle: order.cycle.join(' → ') });
    }
    for (const [i, name] of (entity.schema.required ?? []).entries()) {
      const field = entity.schema.properties[name];
      if (!field) report('required_unknown', `/schema/required/${i}`, { field: name });
      else if (field['x-forma'].type === 'formula') report('required_computed', `/schema/required/${i}`, { field: name });
    }
    const options = entity.schema['x-forma'] ?? {};
    if (options.displayField) checkFieldReference(entity, options.displayField, '/schema/x-forma/displayField', report);
    if (options.workflow) {
      const workflow = model.get(documentKey({ kind: 'workflow', name: options.workflow }));
      if (!workflow) report('document_unknown', '/schema/x-forma/workflow', { kind: 'workflow', name: options.workflow });
      else if (workflow.entity !== entity.name) {
        report('workflow_entity', '/schema/x-forma/workflow', { workflow: workflow.name, other: String(workflow.entity), entity: entity.name });
      }
    }
  }

  for (const doc of model.values()) {
    if (doc.kind === 'entity') continue;
    const source = sourceOf(doc.kind, doc.name);
    const report: Report = (code, path, params = {}) => problems.push(problem(code, path, params, source));
    if (doc.kind === 'workflow') checkWorkflow(doc, report);
    if (doc.kind === 'numbering') checkNumbering(doc, report);
    if (doc.kind === 'layout') checkLayout(doc, report);
    // A template whose sources do not compile, or whose page has no room, could never print.
    if (doc.kind === 'printTemplate') problems.push(...printTemplateProblems(doc as PrintTemplateDocument).map((p) => ({ ...p, source })));
    if (doc.kind === 'role' && doc.name === ADMIN_ROLE) report('role_name_reserved', '/name');
    for (const ref of documentReferences(doc)) {
      const report = (code: MessageCode, params: Record<string, unknown>) => problems.push(problem(code, ref.path, params, source));
      if (ref.kind !== 'entity') {
        if (!model.has(documentKey({ kind: ref.kind, name: ref.name }))) report('document_unknown', { kind: ref.kind, name: ref.name });
        continue;
      }
      const entity = model.get(documentKey({ kind: 'entity', name: ref.name })) as EntityDocument | undefined;
      // A missing or archived entity is reported once, where the document names it — except
      // that a document about an archived entity (its list views and layouts, a role's rights on
      // it) lies dormant with it, so archiving an entity needs no other change and restoring it
      // brings them back.
      const dormant = ref.path === '/entity' || ref.path.startsWith('/permissions/');
      if (!entity) { if (!ref.field) report('entity_unknown', { entity: ref.name }); }
      else if (isArchivedEntity(entity)) { if (!ref.field && !dormant) report('entity_archived', { entity: ref.name }); }
      else if (ref.field && !(queriesRecords(ref.path) && RECORD_SYSTEM_FIELDS.has(ref.field))) {
        const field = checkFieldPath(model, entity, ref.field, report);
        if (field && ref.path.startsWith('/defaultSort/') && !sortable(field)) {
          report('query_field_unsortable', { field: ref.field, type: field['x-forma'].type });
        }
      }
    }
  }
  checkModules(model, sources, lineParents, (code, path, params, key) => problems.push(problem(code, path, params, sourceOf(...key))));
  return problems;
}

/**
 * Module references (decision 0014). Once a model has module documents, the module of every
 * active entity and every module a role shows or hides must be one of them; a model without any
 * (a workspace from before modules were documents) keeps its names, which the menu shows as they
 * are. The entity order of a module is checked when the module is written: an entity moved to
 * another module since leaves a name the menu ignores rather than blocking the move.
 */
function checkModules(
  model: Model, written: ReadonlyMap<string, string>, lineParents: Map<string, string[]>,
  report: (code: MessageCode, path: string, params: Record<string, unknown>, source: [kind: string, name: string]) => void,
) {
  const modules = [...model.values()].filter((doc): doc is ModuleDocument => doc.kind === 'module');
  const names = new Set(modules.map((m) => m.name));
  if (names.size) {
    const known = [...names].sort().join(', ');
    for (const entity of entitiesOf(model)) {
      const module = entity.schema['x-forma']?.module;
      if (module && !isArchivedEntity(entity) && !names.has(module)) {
        report('module_unknown', '/schema/x-forma/module', { module, modules: known }, ['entity', entity.name]);
      }
    }
    for (const role of model.values()) {
      if (role.kind !== 'role') continue;
      for (const module of Object.keys((role.modules ?? {}) as Record<string, unknown>)) {
        if (!names.has(module)) report('module_unknown', `/modules/${escapePointer(module)}`, { module, modules: known }, ['role', role.name]);
      }
    }
  }
  for (const module of modules) {
    if (!written.has(documentKey(module))) continue;
    for (const [i, name] of (module.entities ?? []).entries()) {
      const entity = model.get(documentKey({ kind: 'entity', name })) as EntityDocument | undefined;
      const at = `/entities/${i}`;
      const source: [string, string] = ['module', module.name];
      const other = entity?.schema['x-forma']?.module;
      if (!entity) report('entity_unknown', at, { entity: name }, source);
      else if (isArchivedEntity(entity)) report('entity_archived', at, { entity: name }, source);
      else if (lineParents.has(name)) report('module_entity_lines', at, { entity: name }, source);
      else if (other !== module.name) report('module_entity_foreign', at, { entity: name, module: module.name, other: other ?? '—' }, source);
    }
  }
}

type Report = (code: MessageCode, path: string, params?: Record<string, unknown>) => void;

/**
 * A sequence that starts again every year, month or day repeats its numbers unless the pattern
 * carries that period: `SO{YYYY}{MM}-{####}` may reset monthly, `SO-{####}` may not.
 */
function checkNumbering(doc: MetadataDocument, report: Report) {
  const pattern = String(doc.pattern);
  const year = pattern.includes('{YYYY}') || pattern.includes('{YY}');
  const needs: Record<string, { ok: boolean; tokens: string; zh: string }> = {
    yearly: { ok: year, tokens: '{YYYY}', zh: '年' },
    monthly: { ok: year && pattern.includes('{MM}'), tokens: '{YYYY}{MM}', zh: '月' },
    daily: { ok: year && pattern.includes('{MM}') && pattern.includes('{DD}'), tokens: '{YYYY}{MM}{DD}', zh: '日' },
  };
  const rule = needs[String(doc.reset ?? 'never')];
  if (rule && !rule.ok) report('numbering_reset_tokens', '/pattern', { period: `${doc.reset} / ${rule.zh}`, tokens: rule.tokens });
}

/** What the workflow meta-schema cannot say: unique names, one initial state, transitions between known states. */
/**
 * A form layout's own consistency: each field placed once, section names unique, sections on
 * tabs that exist (all of them when there are tabs), conditions that are JSON Schema. Which
 * fields it names is checked with every other reference.
 */
function checkLayout(doc: MetadataDocument, report: Report) {
  type Item = string | { field: string; visibleWhen?: unknown; requiredWhen?: unknown };
  const sections = (doc.sections ?? []) as { name: string; tab?: string; fields: Item[] }[];
  const tabs = new Set(((doc.tabs ?? []) as { name: string }[]).map((tab) => tab.name));
  const sectionNames = new Set<string>();
  const placed = new Set<string>();
  for (const [i, section] of sections.entries()) {
    if (sectionNames.has(section.name)) report('name_duplicate', `/sections/${i}/name`, { name: section.name });
    sectionNames.add(section.name);
    if (section.tab !== undefined && !tabs.has(section.tab)) report('layout_tab_unknown', `/sections/${i}/tab`, { tab: section.tab });
    if (section.tab === undefined && tabs.size) report('layout_tab_missing', `/sections/${i}`, { section: section.name });
    for (const [j, item] of section.fields.entries()) {
      const field = typeof item === 'string' ? item : item.field;
      const at = `/sections/${i}/fields/${j}`;
      if (placed.has(field)) report('layout_field_repeated', typeof item === 'string' ? at : `${at}/field`, { field });
      placed.add(field);
      if (typeof item === 'string') continue;
      for (const key of ['visibleWhen', 'requiredWhen'] as const) {
        const error = item[key] === undefined ? undefined : conditionError(item[key]);
        if (error) report('layout_condition_invalid', `${at}/${key}`, { field, detail: error });
      }
    }
  }
}

function checkWorkflow(doc: MetadataDocument, report: Report) {
  const states = (doc.states ?? []) as { name: string; initial?: boolean }[];
  const transitions = (doc.transitions ?? []) as { name: string; from: string[]; to: string }[];
  const names = new Set(states.map((s) => s.name));
  for (const [list, items] of [['states', states], ['transitions', transitions]] as const) {
    const seen = new Set<string>();
    for (const [i, item] of items.entries()) {
      if (seen.has(item.name)) report('name_duplicate', `/${list}/${i}/name`, { name: item.name });
      seen.add(item.name);
    }
  }
  const initial = states.filter((s) => s.initial === true).length;
  if (initial !== 1) report('workflow_initial', '/states', { count: initial });
  for (const [i, transition] of transitions.entries()) {
    for (const [j, from] of transition.from.entries()) {
      if (!names.has(from)) report('workflow_state_unknown', `/transitions/${i}/from/${j}`, { state: from });
    }
    if (!names.has(transition.to)) report('workflow_state_unknown', `/transitions/${i}/to`, { state: transition.to });
  }
}

function checkCapabilities(field: FieldDefinition, at: string, report: Report) {
  const options = field['x-forma'];
  const type = fieldType(options.type);
  for (const capability of ['searchable', 'filterable', 'unique'] as const) {
    if (options[capability] && !type[capability]) {
      report('field_option_unsupported', `${at}/x-forma/${capability}`, { type: options.type, option: capability });
    }
  }
  const seen = new Set<string>();
  for (const [i, option] of (options.options ?? []).entries()) {
    if (seen.has(option.value)) report('option_duplicate', `${at}/x-forma/options/${i}/value`, { value: option.value });
    seen.add(option.value);
  }
}

function checkActiveField(
  model: Model, entity: EntityDocument, fieldName: string, field: FieldDefinition, at: string,
  lineParents: Map<string, string[]>, ajv: ReturnType<typeof createAjv>, report: Report,
) {
  const options = field['x-forma'];
  const entityRef = (name: string, where: string) => {
    const target = model.get(documentKey({ kind: 'entity', name })) as EntityDocument | undefined;
    if (!target) report('entity_unknown', where, { entity: name });
    else if (isArchivedEntity(target)) report('entity_archived', where, { entity: name });
    return target;
  };
  switch (options.type) {
    case 'lookup':
      entityRef(options.target!, `${at}/x-forma/target`);
      break;
    case 'lines': {
      const child = options.entity!;
      if (child === entity.name) report('lines_self', `${at}/x-forma/entity`, { entity: child });
      else if (entityRef(child, `${at}/x-forma/entity`)) {
        const parents = lineParents.get(child) ?? [];
        const self = `${entity.name}.${fieldName}`;
        if (parents.length > 1 && parents[0] !== self) {
          report('lines_shared', `${at}/x-forma/entity`, { entity: child, other: parents[0], parent: self });
        }
      }
      break;
    }
    case 'autonumber':
      if (!model.has(documentKey({ kind: 'numbering', name: options.numbering! }))) {
        report('document_unknown', `${at}/x-forma/numbering`, { kind: 'numbering', name: options.numbering });
      }
      break;
    case 'formula':
      checkFormula(model, entity, fieldName, options.expression!, `${at}/x-forma/expression`, report);
      break;
  }
  if ('default' in field && options.type !== 'lines' && options.type !== 'formula') {
    const { 'x-forma': _options, default: value, ...schema } = field;
    const validate = ajv.compile(schema);
    if (!validate(value)) {
      report('default_invalid', `${at}/default`, { field: fieldName, detail: validate.errors?.[0]?.message ?? '' });
    }
  }
}

function checkFormula(model: Model, entity: EntityDocument, fieldName: string, expression: string, at: string, report: Report) {
  const parsed = parseFormula(expression);
  if (!parsed.ok) {
    const p = parsed.problem;
    if (p.kind === 'syntax') report('formula_syntax', at, { index: p.index, detail: p.detail });
    else if (p.kind === 'unsupported') report('formula_unsupported', at, { detail: p.detail });
    else if (p.kind === 'function') report('formula_function', at, { name: p.name, functions: Object.keys(formulaFunctions).join(', ') });
    else report('formula_arity', at, { name: p.name, count: p.count });
    return;
  }
  const active = new Map(activeFields(entity));
  for (const ref of parsed.references) {
    if (!ref.lineField) {
      if (ref.field === fieldName) report('formula_self', at, { field: ref.field });
      else if (!active.has(ref.field) || active.get(ref.field)!['x-forma'].type === 'lines') report('formula_reference', at, { field: ref.field });
      continue;
    }
    const lines = active.get(ref.lineField);
    const child = lines?.['x-forma'].type === 'lines'
      ? (model.get(documentKey({ kind: 'entity', name: lines['x-forma'].entity! })) as EntityDocument | undefined)
      : undefined;
    const childField = child?.schema.properties[ref.field];
    if (!childField || isArchivedField(childField)) report('formula_reference', at, { field: `${ref.lineField}.${ref.field}` });
  }
}

/** The system fields a query may sort and filter by (the query engine's): a list view's default sort and filter may name them. */
const RECORD_SYSTEM_FIELDS: ReadonlySet<string> = new Set(['id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id']);

/** Whether a reference is part of a query of records (a list view's default sort or filter) rather than a place on a screen. */
function queriesRecords(path: string): boolean {
  return path.startsWith('/defaultSort/') || path.startsWith('/defaultFilter');
}

function checkFieldReference(entity: EntityDocument, name: string, at: string, report: Report) {
  const field = entity.schema.properties[name];
  if (!field) report('field_unknown', at, { entity: entity.name, field: name });
  else if (isArchivedField(field)) report('field_archived', at, { entity: entity.name, field: name });
}

/** `name`, or `customer.name`: a field one hop away through a lookup. Returns the field when it is there and active. */
function checkFieldPath(
  model: Model, entity: EntityDocument, path: string,
  report: (code: MessageCode, params: Record<string, unknown>) => void,
): FieldDefinition | undefined {
  const [first, second] = path.split('.') as [string, string | undefined];
  const field = entity.schema.properties[first];
  if (!field) return void report('field_unknown', { entity: entity.name, field: first });
  if (isArchivedField(field)) return void report('field_archived', { entity: entity.name, field: first });
  if (second === undefined) return field;
  const target = field['x-forma'].type === 'lookup'
    ? (model.get(documentKey({ kind: 'entity', name: field['x-forma'].target! })) as EntityDocument | undefined)
    : undefined;
  if (!target) return void report('field_unknown', { entity: entity.name, field: path });
  const far = target.schema.properties[second];
  if (!far) return void report('field_unknown', { entity: target.name, field: second });
  if (isArchivedField(far)) return void report('field_archived', { entity: target.name, field: second });
  return far;
}

/** Whether records can be sorted by the field (not by multiselects, attachments or long texts: see `unsortableKinds`). */
function sortable(field: FieldDefinition): boolean {
  const options = field['x-forma'];
  const column = fieldType(options.type).column(options);
  return column !== null && !unsortableKinds.has(valueKind(options.type, column));
}

/** Which `entity.field` lines fields hold the rows of each child entity. */
export function lineParentsOf(model: Model): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const entity of entitiesOf(model)) {
    if (isArchivedEntity(entity)) continue;
    for (const [name, field] of activeFields(entity)) {
      if (field['x-forma'].type !== 'lines') continue;
      const child = field['x-forma'].entity!;
      parents.set(child, [...(parents.get(child) ?? []), `${entity.name}.${name}`]);
    }
  }
  return parents;
}
