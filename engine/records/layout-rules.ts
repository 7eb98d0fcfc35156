import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { conditionError, createConditionAjv } from '../metadata/layout-conditions.ts';
import { problem, type Problem } from '../errors.ts';
import { escapePointer } from '../metadata/ajv.ts';
import { activeFields, type EntityDocument, type MetadataDocument, type Model } from '../metadata/model.ts';

/**
 * The rules an entity's form layout adds to its records. A layout's conditions are JSON Schema
 * on the record (ARCHITECTURE §1: no second expression language), so the engine can hold every
 * write to them, not only the form: a field placed with `requiredWhen` must have a value
 * whenever the record — as it will be stored, after the patch — satisfies that schema. The form
 * marks such fields required as people type (app/forms/layout.ts); the API refuses the write
 * with the same problem a missing required field gets.
 */

type Json = Record<string, unknown>;

/** The form layout of an entity, if an admin made one (one form per entity). */
export function formLayoutOf(model: Model, entity: string): MetadataDocument | undefined {
  return [...model.values()].find((doc) => doc.kind === 'layout' && doc.entity === entity && (doc.type ?? 'form') === 'form');
}

/** Empty as a record holds it: no value, an empty text, no options chosen, no rows or files. */
export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

interface RequiredWhen {
  field: string;
  label: { 'zh-CN': string; en: string };
  holds: ValidateFunction;
}

/** A field's `requiredWhen` in a layout, with the JSON Pointer of the condition in the layout document. */
export interface RequiredWhenPlacement {
  condition: unknown;
  path: string;
}

/**
 * The `requiredWhen` conditions a layout places, by field: a field placed twice counts once,
 * where it is first placed, as in the form.
 */
export function requiredWhenPlacements(layout: MetadataDocument | undefined): Map<string, RequiredWhenPlacement> {
  const found = new Map<string, RequiredWhenPlacement>();
  const placed = new Set<string>();
  const sections = Array.isArray(layout?.sections) ? (layout.sections as Json[]) : [];
  for (const [i, section] of sections.entries()) {
    for (const [j, item] of (Array.isArray(section.fields) ? (section.fields as unknown[]) : []).entries()) {
      const { field, requiredWhen } = (typeof item === 'string' ? { field: item } : item ?? {}) as { field?: string; requiredWhen?: unknown };
      if (typeof field !== 'string' || placed.has(field)) continue;
      placed.add(field);
      if (requiredWhen !== undefined) found.set(field, { condition: requiredWhen, path: `/sections/${i}/fields/${j}/requiredWhen` });
    }
  }
  return found;
}

/** An entity's compiled `requiredWhen` rules: the fields they make required, and the check of a whole record. */
export interface RequiredWhenRules {
  fields: readonly string[];
  /** One problem at `/<field>` for each field whose condition the record satisfies while the field is empty. */
  check(record: Json): Problem[];
}

/**
 * The `requiredWhen` rules of an entity's form layout, compiled once (the records runtime keeps
 * them with the model's validator): each active field the layout places with a condition that
 * compiles and that is among `fields` (those a request may write and the entity does not
 * require anyway). A condition that does not compile is refused when the layout is validated;
 * one that slipped into an older version is left out here rather than refusing every write to
 * the entity.
 *
 * @example requiredWhenRules(model, opportunity, new Set(['lost_reason'])).check({ stage: 'lost', lost_reason: null }) // [problem at /lost_reason]
 */
export function requiredWhenRules(model: Model, entity: EntityDocument, fields: ReadonlySet<string>): RequiredWhenRules {
  const active = new Map(activeFields(entity));
  const rules: RequiredWhen[] = [];
  let ajv: Ajv2020 | undefined;
  for (const [field, { condition }] of requiredWhenPlacements(formLayoutOf(model, entity.name))) {
    const definition = active.get(field);
    if (!definition || !fields.has(field) || conditionError(condition) !== undefined) continue;
    const { 'zh-CN': zh, en } = definition['x-forma'].label;
    rules.push({ field, label: { 'zh-CN': zh ?? field, en: en ?? field }, holds: (ajv ??= createConditionAjv()).compile(condition as Json) });
  }
  return {
    fields: rules.map((rule) => rule.field),
    check: (record) => rules
      .filter((rule) => isEmptyValue(record[rule.field]) && rule.holds(record))
      .map((rule) => problem('field_value_invalid', `/${escapePointer(rule.field)}`, {
        labelZh: rule.label['zh-CN'], labelEn: rule.label.en, zh: '按表单布局的条件，此项必填', en: 'required by a condition of the form layout',
      })),
  };
}
