import { DEFAULT_FILE_LIMIT_MB, MAX_FILE_LIMIT_MB } from '../../engine/files/files.ts';
import { parseFormula } from '../../engine/formula/expression.ts';
import { formulaOrder } from '../../engine/formula/order.ts';
import { activeFields, documentKey, type EntityDocument, type FieldDefinition, type Model } from '../../engine/metadata/model.ts';
import { formLayoutOf } from '../../engine/records/layout-rules.ts';
import { writableFields } from '../../engine/records/record-validator.ts';
import { label, type Locale } from '../text/index.ts';
import { layoutSections } from './layout.ts';
import type { FieldSpec, FormSpec, RegionLevel } from './types.ts';

// The layout's half of a form, shared with the browser (the layout designer's preview).
export { layoutSections };

/** What a person's roles say about an entity's fields (`Access.entity(name)`, the part a form needs). */
export interface FieldRules {
  hidden: ReadonlySet<string>;
  readOnly: ReadonlySet<string>;
}

export type RulesOf = (entity: string) => FieldRules | undefined;

/**
 * The form of an entity for one person: every field they may see, in the entity's order — the
 * ones a request may write (`writableFields`, the engine's one statement of it) as inputs, the
 * rest (formulas, numbers the rule draws, fields their roles make read-only) shown read-only —
 * labels and help in their language, and the admin's layout (sections, columns, spans, tabs,
 * conditions). Fields hidden from them are not in it at all. Fields the layout does not place
 * (a field just added by an admin) get a section of their own at the end, so nothing new is
 * ever missing from the form.
 *
 * @example formSpec(model, customer, (e) => access.entity(e), 'zh-CN')
 */
export function formSpec(model: Model, entity: EntityDocument, rulesOf: RulesOf, locale: Locale): FormSpec {
  const fields = fieldSpecs(model, entity, rulesOf, locale);
  const layout = formLayoutOf(model, entity.name);
  const { sections, tabs } = layoutSections(layout, entity, fields, locale);
  const searchable = activeFields(entity)
    .filter(([name, f]) => fields[name] && (f['x-forma'].searchable === true || f['x-forma'].type === 'phone'))
    .map(([name]) => name);
  return { entity: entity.name, entityLabel: label(entity.label, locale), fields, sections, tabs, similarFields: searchable };
}

function fieldSpecs(model: Model, entity: EntityDocument, rulesOf: RulesOf, locale: Locale): Record<string, FieldSpec> {
  const rules = rulesOf(entity.name);
  const writable = new Map(writableFields(model, entity).map((w) => [w.name, w]));
  const specs: Record<string, FieldSpec> = {};
  for (const [name, definition] of activeFields(entity)) {
    if (rules?.hidden.has(name)) continue;
    const w = writable.get(name);
    const readOnly = !w || rules?.readOnly.has(name) === true;
    specs[name] = fieldSpec(model, name, definition, { readOnly, required: !readOnly && (w?.requiredOnCreate ?? false) }, rulesOf, locale);
  }
  markLiveFormulas(specs);
  return specs;
}

function fieldSpec(
  model: Model, name: string, definition: FieldDefinition, flags: { readOnly: boolean; required: boolean }, rulesOf: RulesOf, locale: Locale,
): FieldSpec {
  const o = definition['x-forma'];
  const spec: FieldSpec = { name, type: o.type, label: label(o.label, locale) || name, required: flags.required, readOnly: flags.readOnly };
  const help = label(o.help, locale);
  if (help) spec.help = help;
  if (definition.default !== undefined) spec.default = definition.default;
  if (typeof definition.maxLength === 'number') spec.maxLength = definition.maxLength;
  if (typeof definition.minimum === 'number') spec.minimum = definition.minimum;
  if (typeof definition.maximum === 'number') spec.maximum = definition.maximum;
  switch (o.type) {
    case 'select':
    case 'multiselect':
      spec.choices = (o.options ?? []).map((option) => ({
        value: option.value, label: label(option.label, locale) || option.value, ...(option.color ? { color: option.color } : {}),
      }));
      break;
    case 'money':
      spec.currency = o.currency ?? 'CNY';
      spec.scale = o.scale ?? 2;
      break;
    case 'decimal':
    case 'percent':
      spec.scale = o.scale ?? 2;
      break;
    case 'lookup':
      spec.target = o.target!;
      break;
    case 'region':
      spec.level = (['province', 'city', 'district'].includes(o.level ?? '') ? o.level : 'district') as RegionLevel;
      break;
    case 'autonumber': {
      const rule = model.get(documentKey({ kind: 'numbering', name: o.numbering! }));
      spec.manual = rule?.allowManual === true;
      break;
    }
    case 'formula':
      spec.expression = o.expression!;
      spec.resultType = o.resultType ?? 'text';
      spec.scale = o.scale ?? 2;
      if (o.resultType === 'money') spec.currency = o.currency ?? 'CNY';
      break;
    case 'file':
      spec.multiple = o.multiple === true;
      spec.maxSizeMb = Math.min(o.maxSizeMb ?? DEFAULT_FILE_LIMIT_MB, MAX_FILE_LIMIT_MB);
      break;
    case 'lines': {
      const child = model.get(documentKey({ kind: 'entity', name: o.entity! })) as EntityDocument;
      const childFields = fieldSpecs(model, child, rulesOf, locale);
      // A lines field the person may not write keeps its rows read-only, whatever the child's own rules say.
      if (flags.readOnly) for (const f of Object.values(childFields)) f.readOnly = true;
      spec.lines = { entity: child.name, label: label(child.label, locale), fields: Object.values(childFields) };
      break;
    }
  }
  return spec;
}

/**
 * Marks the formulas the browser can compute as the engine will: every field they read is in
 * the form (a formula reading a field hidden from the person would compute something else in
 * the browser than on the server), and so are the formulas they read.
 */
function markLiveFormulas(specs: Record<string, FieldSpec>): void {
  const order = formulaOrder(Object.fromEntries(Object.values(specs)
    .filter((s) => s.type === 'formula')
    .map((s) => [s.name, { 'x-forma': { type: 'formula', expression: s.expression } }])));
  for (const name of order.ok ? order.order : []) {
    const spec = specs[name]!;
    const parsed = parseFormula(spec.expression ?? '');
    spec.live = parsed.ok && parsed.references.every((ref) => {
      if (ref.lineField) {
        const rows = specs[ref.lineField]?.lines?.fields.find((f) => f.name === ref.field);
        return rows !== undefined && (rows.type !== 'formula' || rows.live === true);
      }
      const read = specs[ref.field];
      return read !== undefined && (read.type !== 'formula' || read.live === true);
    });
  }
}
