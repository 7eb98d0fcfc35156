// The simple conditions of the layout designer (client-safe, pure): the common cases an admin
// picks from lists — a yes/no field is ticked, a choice is one of some values, a field is filled
// in — as the JSON Schema on the record that a layout stores (`visibleWhen`, `requiredWhen`),
// and back. Anything else is edited as JSON Schema ("advanced").
import { canonical, type Condition, type FieldInfo } from './draft.ts';

/** The operators of a simple condition. */
export type ConditionOperator = 'checked' | 'oneOf' | 'filled';

export interface SimpleCondition {
  field: string;
  operator: ConditionOperator;
  /** oneOf: the option values, at least one. */
  values?: string[];
}

/** What counts as empty in a record: the engine's and the form's `isEmpty`, as JSON Schema values. */
const EMPTY = [null, '', []];

/** The operators a field offers: ticked for yes/no fields, one of the options for choices, filled in for every field. */
export function operatorsOf(field: FieldInfo | undefined): ConditionOperator[] {
  if (!field) return [];
  if (field.type === 'boolean') return ['checked', 'filled'];
  if (field.type === 'select') return ['oneOf', 'filled'];
  return ['filled'];
}

/**
 * The JSON Schema of a simple condition, or undefined while it is incomplete (no value chosen).
 *
 * @example conditionSchema({ field: 'needs_invoice', operator: 'checked' })
 *   // { properties: { needs_invoice: { const: true } }, required: ['needs_invoice'] }
 */
export function conditionSchema(condition: SimpleCondition): Condition | undefined {
  const { field, operator, values = [] } = condition;
  switch (operator) {
    case 'checked':
      return { properties: { [field]: { const: true } }, required: [field] };
    case 'oneOf':
      if (!values.length) return undefined;
      return { properties: { [field]: values.length === 1 ? { const: values[0] } : { enum: values } }, required: [field] };
    case 'filled':
      return { properties: { [field]: { not: { enum: EMPTY } } }, required: [field] };
  }
}

/**
 * The simple condition a JSON Schema is, when it is exactly one of the shapes `conditionSchema`
 * makes (for the fields given), so the designer can show it as lists again; undefined otherwise.
 */
export function simpleCondition(schema: Condition, fields: ReadonlyMap<string, FieldInfo>): SimpleCondition | undefined {
  const keys = Object.keys(schema).sort().join(',');
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  const required = schema.required as unknown[] | undefined;
  if (keys !== 'properties,required' || !properties || !Array.isArray(required) || required.length !== 1) return undefined;
  const field = String(required[0]);
  const rule = properties[field];
  const info = fields.get(field);
  if (Object.keys(properties).length !== 1 || !rule || !info) return undefined;
  const candidates: SimpleCondition[] = operatorsOf(info).map((operator) => {
    if (operator !== 'oneOf') return { field, operator };
    const values = 'const' in rule ? [rule.const] : Array.isArray(rule.enum) ? rule.enum : [];
    return { field, operator, values: values.map(String) };
  });
  return candidates.find((c) => canonical(conditionSchema(c)) === canonical(schema));
}


/** The fields a condition names at its top level (`properties`, `required`): each must be a field of the entity. */
export function conditionFields(schema: Condition): string[] {
  const named = [
    ...Object.keys((schema.properties ?? {}) as Record<string, unknown>),
    ...(Array.isArray(schema.required) ? schema.required.map(String) : []),
  ];
  return [...new Set(named)];
}
