// The field editor's state and how it becomes a field definition of the entity document
// (client-safe: no server imports). The editor edits a FieldDraft; `entityWithField` puts it
// into the draft entity, leaving untouched fields byte for byte as they were.
import type { LocalizedText } from '../../../engine/i18n/text.ts';
import type { EntityDocument, FieldDefinition } from '../../../engine/metadata/model.ts';
import type { FieldOptions } from '../../../engine/field-types/field-type.ts';

/** What the editor needs to know about a field type (from the registry and the entity meta-schema; see entities.server.ts). */
export interface FieldTypeInfo {
  name: string;
  label: LocalizedText;
  searchable: boolean;
  filterable: boolean;
  unique: boolean;
  /** The `x-forma` options of this type besides the common ones (`scale`, `options`, `target`…). */
  options: string[];
  /** The allowed values of enumerated options (`resultType`, `level`). */
  enums: Record<string, string[]>;
  /** The maximum length the type gives when none is set (text-like types). */
  defaultMaxLength?: number;
  /** The decimal places the type stores when none are set, and the most it allows. */
  defaultScale?: number;
  maxScale?: number;
  /** What each choice of `options` may carry (`value`, `label`, `color`, `probability`, `closed`). */
  choiceFields: string[];
}

/** One choice of a select or multiselect field as the editor holds it. */
export interface OptionDraft {
  value: string;
  label: LocalizedText;
  color: string;
  closed: boolean;
  probability: string;
}

/** A field as the editor holds it: every control's value as typed. */
export interface FieldDraft {
  name: string;
  type: string;
  label: LocalizedText;
  help: LocalizedText;
  required: boolean;
  unique: boolean;
  searchable: boolean;
  filterable: boolean;
  /** The default of a one-value field as typed ('' for none; 'true'/'false' for yes/no). */
  defaultValue: string;
  /** The default of a multiselect. */
  defaultValues: string[];
  maxLength: string;
  scale: string;
  currency: string;
  options: OptionDraft[];
  target: string;
  entity: string;
  numbering: string;
  expression: string;
  resultType: string;
  level: string;
  multiple: boolean;
  maxSizeMb: string;
}

/**
 * The field an edit starts from: as applied (its definition, whether it is required, and the
 * schema keywords its type implies, which the engine fills in again), or as first drafted for a
 * field new in this draft (nothing implied).
 */
export interface FieldOrigin {
  name: string;
  field: FieldDefinition;
  required: boolean;
  implied: string[];
}

/** Types whose default the editor sets, and how it reads the typed text. */
const defaultKinds: Record<string, 'text' | 'integer' | 'number' | 'boolean' | 'date' | 'choice' | 'choices'> = {
  text: 'text', textarea: 'text', email: 'text', phone: 'text', url: 'text',
  integer: 'integer', decimal: 'number', money: 'number', percent: 'number',
  boolean: 'boolean', date: 'date', select: 'choice', multiselect: 'choices',
};

/** How the editor asks for a default of this type, or undefined when it does not (lookups, formulas, files…). */
export function defaultKind(type: string) {
  return defaultKinds[type];
}

/** Types never marked required (computed by the system). */
export function mayBeRequired(type: string): boolean {
  return type !== 'formula' && type !== 'autonumber';
}

/** An empty draft for a new field: a text field with nothing filled in yet. */
export function newFieldDraft(): FieldDraft {
  return {
    name: '', type: 'text', label: { 'zh-CN': '', en: '' }, help: { 'zh-CN': '', en: '' },
    required: false, unique: false, searchable: false, filterable: false, defaultValue: '', defaultValues: [],
    maxLength: '', scale: '', currency: '', options: [], target: '', entity: '', numbering: '', expression: '', resultType: 'decimal',
    level: '', multiple: false, maxSizeMb: '',
  };
}

/** An empty choice, added at the end of the options. */
export function newOptionDraft(): OptionDraft {
  return { value: '', label: { 'zh-CN': '', en: '' }, color: '', closed: false, probability: '' };
}

/**
 * The editor's draft of an existing field. Keywords the editor does not manage (a pattern, a
 * minimum…) stay in the definition and come back through `fieldDefinitionOf`.
 */
export function fieldDraftOf(name: string, field: FieldDefinition, required: boolean, info: FieldTypeInfo | undefined): FieldDraft {
  const o = field['x-forma'];
  const text = (value: unknown) => (value === undefined ? '' : String(value));
  const kind = defaultKind(o.type);
  const maxLength = typeof field.maxLength === 'number' && field.maxLength !== info?.defaultMaxLength ? String(field.maxLength) : '';
  return {
    name,
    type: o.type,
    label: { 'zh-CN': o.label['zh-CN'] ?? '', en: o.label.en ?? '' },
    help: { 'zh-CN': o.help?.['zh-CN'] ?? '', en: o.help?.en ?? '' },
    required,
    unique: o.unique === true,
    searchable: o.searchable === true,
    filterable: o.filterable === true,
    defaultValue: kind && kind !== 'choices' ? text(field.default) : '',
    defaultValues: kind === 'choices' && Array.isArray(field.default) ? field.default.map(String) : [],
    maxLength,
    scale: text(o.scale),
    currency: o.currency ?? '',
    options: (o.options ?? []).map((option) => ({
      value: option.value,
      label: { 'zh-CN': option.label['zh-CN'] ?? '', en: option.label.en ?? '' },
      color: option.color ?? '',
      closed: option.closed === true,
      probability: text(option.probability),
    })),
    target: o.target ?? '',
    entity: o.entity ?? '',
    numbering: o.numbering ?? '',
    expression: o.expression ?? '',
    resultType: o.resultType ?? 'decimal',
    level: o.level ?? '',
    multiple: o.multiple === true,
    maxSizeMb: text(o.maxSizeMb),
  };
}

/**
 * The field definition a draft stands for. Of the field it edits, it keeps the column (which
 * never changes) and the JSON Schema keywords the editor does not manage; the keywords its type
 * implies are left for the engine to fill in again (a changed type or new options imply others).
 * When the type changes only `title` and `description` are kept: the rest belonged to the old type.
 */
export function fieldDefinitionOf(draft: FieldDraft, origin: FieldOrigin | undefined, info: FieldTypeInfo | undefined): FieldDefinition {
  const has = (option: string) => info?.options.includes(option) ?? false;
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text.trim()));
  const options: FieldOptions = { type: draft.type, label: trimmed(draft.label) };
  if (draft.help['zh-CN'].trim() || draft.help.en.trim()) options.help = trimmed(draft.help);
  if (origin?.field['x-forma'].column !== undefined) options.column = origin.field['x-forma'].column;
  if (has('scale') && number(draft.scale) !== undefined) options.scale = number(draft.scale);
  if (has('currency') && draft.currency.trim()) options.currency = draft.currency.trim();
  if (has('options')) options.options = draft.options.map((o) => optionOf(o, info?.choiceFields ?? []));
  if (has('target')) options.target = draft.target;
  if (has('entity')) options.entity = draft.entity;
  if (has('numbering')) options.numbering = draft.numbering;
  if (has('expression')) options.expression = draft.expression;
  if (has('resultType')) options.resultType = draft.resultType;
  if (has('level') && draft.level) options.level = draft.level;
  if (has('multiple') && draft.multiple) options.multiple = true;
  if (has('maxSizeMb') && number(draft.maxSizeMb) !== undefined) options.maxSizeMb = number(draft.maxSizeMb);
  if (draft.searchable && info?.searchable) options.searchable = true;
  if (draft.filterable && info?.filterable) options.filterable = true;
  if (draft.unique && info?.unique) options.unique = true;

  const definition: FieldDefinition = { 'x-forma': options };
  const sameType = origin?.field['x-forma'].type === draft.type;
  const managed = new Set(['x-forma', 'default', 'maxLength', ...(origin?.implied ?? [])]);
  for (const [keyword, value] of Object.entries(origin?.field ?? {})) {
    if (sameType ? !managed.has(keyword) : keyword === 'title' || keyword === 'description') definition[keyword] = value;
  }
  if (info?.defaultMaxLength !== undefined && number(draft.maxLength) !== undefined) definition.maxLength = number(draft.maxLength);
  const value = defaultOf(draft);
  if (value !== undefined) definition.default = value;
  else if (sameType && !defaultKind(draft.type) && origin && 'default' in origin.field) definition.default = origin.field.default;
  return definition;
}

/** The default a draft gives, as JSON: numbers as numbers (text that is no number stays text, for the engine to refuse). */
function defaultOf(draft: FieldDraft): unknown {
  const kind = defaultKind(draft.type);
  if (kind === 'choices') return draft.defaultValues.length ? draft.defaultValues : undefined;
  const text = draft.defaultValue.trim();
  if (!kind || text === '') return undefined;
  if (kind === 'boolean') return text === 'true';
  if (kind === 'integer' || kind === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  return kind === 'text' ? draft.defaultValue : text;
}

function optionOf(o: OptionDraft, fields: string[]): NonNullable<FieldOptions['options']>[number] {
  const option: NonNullable<FieldOptions['options']>[number] = { value: o.value.trim(), label: trimmed(o.label) };
  if (o.color && fields.includes('color')) option.color = o.color;
  if (o.probability.trim() !== '' && fields.includes('probability')) {
    const probability = Number(o.probability.trim());
    // Text that is no number goes as it is, for the engine to refuse at its place.
    option.probability = Number.isFinite(probability) ? probability : (o.probability as unknown as number);
  }
  if (o.closed && fields.includes('closed')) option.closed = true;
  return option;
}

/** The text without surrounding spaces, as `x-forma` holds labels (any language may be added there). */
function trimmed(text: LocalizedText): Record<string, string> {
  return { 'zh-CN': text['zh-CN'].trim(), en: text.en.trim() };
}

/** Whether two drafts say the same (an editor opened and closed without a change leaves the field as it was). */
export function sameDraft(a: FieldDraft, b: FieldDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The entity with the draft field in it: the field it edits replaced in its place — by the
 * origin's own definition when the draft says what the origin said, so a field edited and
 * edited back is as it was; renamed in place when it is new in this draft, whose name may still
 * change — or a new one added at the end; the required list follows.
 *
 * @example entityWithField(customer, { ...draft, label: { 'zh-CN': '微信号', en: 'WeChat' } }, origin, info)
 */
export function entityWithField(entity: EntityDocument, draft: FieldDraft, origin: FieldOrigin | undefined, info: FieldTypeInfo | undefined): EntityDocument {
  const unchanged = origin !== undefined && sameDraft(draft, fieldDraftOf(origin.name, origin.field, origin.required, info));
  const before = origin ? entity.schema.properties[origin.name] : undefined;
  // Archived or not is the draft entity's state of the field (archive / restore), not the editor's.
  const definition = withArchived(unchanged ? origin.field : fieldDefinitionOf(draft, origin, info), before?.['x-forma'].archived === true);
  const required = draft.required && mayBeRequired(draft.type) && !definition['x-forma'].archived;
  if (before === definition && (entity.schema.required ?? []).includes(draft.name) === required) return entity;
  const properties = origin
    ? Object.fromEntries(Object.entries(entity.schema.properties).map(([key, field]) => (key === origin.name ? [draft.name, definition] : [key, field])))
    : { ...entity.schema.properties, [draft.name]: definition };
  let schema: EntityDocument['schema'] = { ...entity.schema, properties };
  if (origin && origin.name !== draft.name) schema = withRequired(schema, origin.name, false);
  return { ...entity, schema: withRequired(schema, draft.name, required) };
}

/**
 * The entity with a field archived (hidden from forms and lists, column and data kept) or
 * restored. Archived fields are never required (the engine drops them from `required` too).
 */
export function entityWithFieldArchived(entity: EntityDocument, name: string, archived: boolean): EntityDocument {
  const field = entity.schema.properties[name];
  if (!field) return entity;
  const properties = { ...entity.schema.properties, [name]: withArchived(field, archived) };
  return { ...entity, schema: withRequired({ ...entity.schema, properties }, name, archived ? false : (entity.schema.required ?? []).includes(name)) };
}

function withArchived(field: FieldDefinition, archived: boolean): FieldDefinition {
  if ((field['x-forma'].archived === true) === archived) return field;
  const { archived: _was, ...options } = field['x-forma'];
  return { ...field, 'x-forma': archived ? { ...options, archived: true } : options };
}

/** The entity without a field that was added in this draft (never one that exists: those are archived). */
export function entityWithoutNewField(entity: EntityDocument, name: string): EntityDocument {
  const { [name]: _removed, ...properties } = entity.schema.properties;
  return { ...entity, schema: withRequired({ ...entity.schema, properties }, name, false) };
}

/** The schema with a field in or out of `required`, the list keeping its place among the keys. */
function withRequired(schema: EntityDocument['schema'], name: string, required: boolean): EntityDocument['schema'] {
  const list = schema.required ?? [];
  if (list.includes(name) === required) return schema;
  const next = required ? [...list, name] : list.filter((n) => n !== name);
  if (!next.length) {
    const { required: _old, ...rest } = schema;
    return rest;
  }
  return 'required' in schema ? Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'required' ? next : v])) as EntityDocument['schema'] : { ...schema, required: next };
}
