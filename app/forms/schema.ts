import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import type { FieldSpec, FormSpec } from './types.ts';

/**
 * The react-jsonschema-form schema of a form: the JSON Schema of the values the person sees
 * (`null` allowed: records hold empty fields as null), titled with their labels, read-only fields
 * marked `readOnly`. The server stays the judge of what is valid (the form posts to the REST
 * API, which checks every value against the entity's own schema and answers each problem at its
 * place); this schema drives the widgets and the required marks.
 */
export function formJsonSchema(spec: FormSpec): RJSFSchema {
  const fields = Object.values(spec.fields);
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return {
    type: 'object',
    title: spec.entityLabel,
    properties: Object.fromEntries(fields.map((f) => [f.name, valueSchema(f)])),
    ...(required.length ? { required } : {}),
  };
}

function valueSchema(f: FieldSpec): RJSFSchema {
  const base: RJSFSchema = { title: f.label, ...(f.readOnly ? { readOnly: true } : {}) };
  switch (f.type) {
    case 'integer':
      return { ...base, type: 'integer', ...bounds(f) };
    case 'decimal':
    case 'money':
    case 'percent':
      return { ...base, type: 'number', ...bounds(f) };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'select':
      return { ...base, type: 'string', enum: (f.choices ?? []).map((c) => c.value) };
    case 'multiselect':
      return { ...base, type: 'array', items: { type: 'string', enum: (f.choices ?? []).map((c) => c.value) }, uniqueItems: true };
    case 'lookup':
    case 'user':
      return { ...base, type: 'string', format: 'uuid' };
    case 'formula':
      return { ...base, type: formulaType(f.resultType), readOnly: true };
    case 'file':
      return { ...base, type: 'array', items: { type: 'object' } };
    case 'lines':
      return {
        ...base, type: 'array',
        items: { type: 'object', properties: Object.fromEntries((f.lines?.fields ?? []).map((c) => [c.name, valueSchema(c)])) },
      };
    default:
      return { ...base, type: 'string', ...(f.maxLength ? { maxLength: f.maxLength } : {}) };
  }
}

function bounds(f: FieldSpec): RJSFSchema {
  return { ...(f.minimum !== undefined ? { minimum: f.minimum } : {}), ...(f.maximum !== undefined ? { maximum: f.maximum } : {}) };
}

function formulaType(resultType: string | undefined): 'string' | 'integer' | 'number' | 'boolean' {
  switch (resultType) {
    case 'integer':
      return 'integer';
    case 'decimal':
    case 'money':
    case 'percent':
      // Formulas store numbers as exact text ('5249.97'): either reads back.
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'string';
  }
}

/** The widget (or, for `lines` and `file`, the field component) of each Forma field type. */
export function widgetOf(type: string): { widget?: string; field?: string } {
  switch (type) {
    case 'lines':
      return { field: 'lines' };
    case 'file':
      return { field: 'attachments' };
    case 'multiselect':
      return { widget: 'choices' };
    case 'select':
      return { widget: 'choice' };
    case 'boolean':
      return { widget: 'checkbox' };
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'money':
      return { widget: 'number' };
    case 'date':
    case 'datetime':
    case 'lookup':
    case 'user':
    case 'region':
    case 'autonumber':
    case 'formula':
    case 'richtext':
    case 'textarea':
      return { widget: type };
    default:
      return { widget: 'text' };
  }
}

/**
 * The uiSchema of a form: each field's widget, help and read-only state, its FieldSpec in
 * `ui:options.spec` for the Forma widgets, and on the root the layout (`ui:options.layout`:
 * sections with their columns and spans, tabs) that the root ObjectFieldTemplate lays out.
 * Select labels are also given as `ui:enumNames` (rjsf 6's way to title enum values).
 */
export function formUiSchema(spec: FormSpec): UiSchema {
  const ui: UiSchema = {
    'ui:order': [...spec.sections.flatMap((s) => s.fields.map((f) => f.name)), '*'],
    'ui:options': { layout: { sections: spec.sections, tabs: spec.tabs } },
    'ui:submitButtonOptions': { norender: true },
  };
  const layoutReadOnly = new Set(spec.sections.flatMap((s) => s.fields.filter((f) => f.readOnly).map((f) => f.name)));
  for (const f of Object.values(spec.fields)) ui[f.name] = fieldUiSchema(f, layoutReadOnly.has(f.name));
  return ui;
}

function fieldUiSchema(f: FieldSpec, layoutReadOnly: boolean): UiSchema {
  const { widget, field } = widgetOf(f.type);
  return {
    ...(widget ? { 'ui:widget': widget } : {}),
    ...(field ? { 'ui:field': field } : {}),
    ...(f.help ? { 'ui:help': f.help } : {}),
    ...(f.readOnly || layoutReadOnly ? { 'ui:readonly': true } : {}),
    ...(f.choices && f.type === 'select' ? { 'ui:enumNames': f.choices.map((c) => c.label) } : {}),
    ...(f.choices && f.type === 'multiselect' ? { items: { 'ui:enumNames': f.choices.map((c) => c.label) } } : {}),
    'ui:options': { spec: f },
  };
}
