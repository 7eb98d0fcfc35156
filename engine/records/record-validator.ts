import type { ErrorObject, ValidateFunction } from 'ajv';
import { problem, type Problem } from '../errors.ts';
import { createAjv, escapePointer } from '../metadata/ajv.ts';
import localize from 'ajv-i18n';
import { activeFields, documentKey, type EntityDocument, type FieldDefinition, type Model } from '../metadata/model.ts';
import { fieldType } from '../field-types/registry.ts';
import { columnOverflow, databaseRefusal } from './column-input.ts';
import { regionRefusal } from '../regions/regions.ts';
import { requiredWhenRules } from './layout-rules.ts';

export type WriteMode = 'create' | 'update';

/**
 * Checks what a person or a client wants to write into an entity's records, against the
 * entity's JSON Schema: every problem at once, each at its JSON Pointer, named by the field's
 * label in zh-CN and en. Compiled once per metadata version (see runtime.ts).
 */
export interface RecordValidator {
  check(input: unknown, mode: WriteMode): Problem[];
  /**
   * What a whole record — as it will be stored: defaults, the patch and formulas applied, line
   * items included — must meet beyond its fields' own schemas: the form layout's `requiredWhen`
   * (layout-rules.ts). The write path runs it on every record it is about to store.
   */
  checkRecord(record: Record<string, unknown>): Problem[];
}

/** Fields written by Forma, never by a request: formulas, and numbers unless the rule lets staff type them. */
function isReadOnlyField(model: Model, field: FieldDefinition): boolean {
  const options = field['x-forma'];
  if (options.type === 'formula') return true;
  if (options.type !== 'autonumber') return false;
  const rule = model.get(documentKey({ kind: 'numbering', name: options.numbering! }));
  return rule?.allowManual !== true;
}

export function createRecordValidator(model: Model, entity: EntityDocument): RecordValidator {
  const ajv = createAjv();
  const compiled: Record<WriteMode, ValidateFunction> = {
    create: ajv.compile(writeSchema(model, entity, 'create')),
    update: ajv.compile(writeSchema(model, entity, 'update')),
  };
  const checkRecord = requiredWhenRules(model, entity, requiredWhenFields(model, entity)).check;
  return {
    checkRecord,
    check(input, mode) {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return [problem('document_not_object', '')];
      }
      const problems = unknownOrReadOnly(model, entity, input as Record<string, unknown>, '');
      const validate = compiled[mode];
      if (!validate(input)) problems.push(...labelledProblems(model, entity, validate.errors ?? []));
      else problems.push(...refusedByDatabase(model, entity, entity, input as Record<string, unknown>, ''));
      return problems;
    },
  };
}

/** A field a request may write, and whether a new record must have it. */
export interface WritableField {
  name: string;
  definition: FieldDefinition;
  requiredOnCreate: boolean;
  /** For a `lines` field: the child entity whose rows it holds. */
  lines?: string;
}

/**
 * The fields of an entity a request may write — active ones that Forma does not fill in itself
 * — and which a new record needs (required ones, except numbers the rule draws). The one
 * statement of these rules: the validator and the published API schemas are both built from it.
 */
export function writableFields(model: Model, entity: EntityDocument): WritableField[] {
  const required = new Set(entity.schema.required ?? []);
  return activeFields(entity)
    .filter(([, field]) => !isReadOnlyField(model, field))
    .map(([name, definition]) => {
      const options = definition['x-forma'];
      return {
        name, definition,
        requiredOnCreate: required.has(name) && options.type !== 'autonumber' && options.type !== 'lines',
        ...(options.type === 'lines' ? { lines: options.entity! } : {}),
      };
    });
}

/**
 * The fields a layout's `requiredWhen` can make required: those a request may write and a new
 * record need not have anyway (fields the entity requires are checked by `check`, once).
 */
export function requiredWhenFields(model: Model, entity: EntityDocument): Set<string> {
  return new Set(writableFields(model, entity).filter((w) => !w.requiredOnCreate).map((w) => w.name));
}

/** Empty fields are null in records and may be cleared with null. */
export function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  const type = schema.type;
  return {
    ...schema,
    ...(typeof type === 'string' ? { type: [type, 'null'] } : {}),
    ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}),
  };
}

/** The JSON Schema a write must satisfy: writable fields, nullable unless required, line items inlined. */
function writeSchema(model: Model, entity: EntityDocument, mode: WriteMode): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const mustHave: string[] = [];
  for (const { name, definition, requiredOnCreate, lines } of writableFields(model, entity)) {
    if (lines) {
      const child = model.get(documentKey({ kind: 'entity', name: lines })) as EntityDocument;
      const item = writeSchema(model, child, 'create');
      properties[name] = {
        type: 'array',
        maxItems: 1000,
        items: { ...item, properties: { id: { type: 'string', format: 'uuid' }, ...(item.properties as object) } },
      };
      continue;
    }
    const { 'x-forma': _options, readOnly: _readOnly, default: _default, ...schema } = definition;
    properties[name] = requiredOnCreate ? schema : nullable(schema);
    if (requiredOnCreate && mode === 'create') mustHave.push(name);
  }
  return { type: 'object', properties, ...(mustHave.length ? { required: mustHave } : {}) };
}

/** Keys that are not fields of the entity (or of its line items), and fields Forma fills in itself. */
function unknownOrReadOnly(model: Model, entity: EntityDocument, input: Record<string, unknown>, at: string): Problem[] {
  const problems: Problem[] = [];
  const fields = new Map(activeFields(entity));
  for (const [key, value] of Object.entries(input)) {
    const path = `${at}/${escapePointer(key)}`;
    const field = fields.get(key);
    if (!field) {
      if (!(at && key === 'id')) problems.push(problem('field_not_in_entity', path, { entity: entity.name, field: key }));
      continue;
    }
    if (isReadOnlyField(model, field)) problems.push(problem('field_read_only', path, { field: key }));
    if (field['x-forma'].type === 'lines' && Array.isArray(value)) {
      const child = model.get(documentKey({ kind: 'entity', name: field['x-forma'].entity! })) as EntityDocument;
      value.forEach((item, i) => {
        if (item && typeof item === 'object' && !Array.isArray(item)) {
          problems.push(...unknownOrReadOnly(model, child, item as Record<string, unknown>, `${path}/${i}`));
        }
      });
    }
  }
  return problems;
}

/**
 * Values JSON Schema accepts but their column would not (year 0000, `urn:uuid:`, NUL), and region
 * codes that name no area at the field's level, as field problems.
 */
function refusedByDatabase(model: Model, root: EntityDocument, entity: EntityDocument, input: Record<string, unknown>, at: string): Problem[] {
  const problems: Problem[] = [];
  for (const [name, field] of activeFields(entity)) {
    if (!(name in input)) continue;
    const options = field['x-forma'];
    const path = `${at}/${escapePointer(name)}`;
    if (options.type === 'lines') {
      const child = model.get(documentKey({ kind: 'entity', name: options.entity! })) as EntityDocument;
      (input[name] as Record<string, unknown>[] | null ?? []).forEach((row, i) => problems.push(...refusedByDatabase(model, root, child, row, `${path}/${i}`)));
      continue;
    }
    const column = fieldType(options.type).column(options);
    const values = Array.isArray(input[name]) ? (input[name] as unknown[]) : [input[name]];
    const refusal = column && values.map((v) => databaseRefusal(column, v) ?? columnOverflow(column, v)
      ?? (options.type === 'region' && typeof v === 'string' ? regionRefusal(v, options.level) : undefined)).find(Boolean);
    if (refusal) {
      const label = labelAt(model, root, path);
      problems.push(problem('field_value_invalid', path, { labelZh: label['zh-CN'], labelEn: label.en, zh: refusal['zh-CN'], en: refusal.en }));
    }
  }
  return problems;
}

/** ajv's errors as problems named by the field's label: "客户名称：不应多于 200 个字符". */
function labelledProblems(model: Model, entity: EntityDocument, errors: ErrorObject[]): Problem[] {
  const chinese = structuredClone(errors);
  localize.zh(chinese);
  return errors.map((error, i) => {
    const missing = (error.params as { missingProperty?: string }).missingProperty;
    const path = missing ? `${error.instancePath}/${escapePointer(missing)}` : error.instancePath;
    const label = labelAt(model, entity, path);
    const friendly = error.keyword === 'pattern' ? fieldAt(model, entity, path)?.patternMessage : undefined;
    return problem('field_value_invalid', path, {
      labelZh: label['zh-CN'], labelEn: label.en,
      zh: friendly?.['zh-CN'] ?? chinese[i]?.message ?? error.message, en: friendly?.en ?? error.message,
    });
  });
}

/** The field type of the field a JSON Pointer lands in, when its pattern is the type's own. */
function fieldAt(model: Model, entity: EntityDocument, path: string) {
  const [first, , second] = path.split('/').slice(1);
  const field = first === undefined ? undefined : entity.schema.properties[first];
  if (!field) return undefined;
  const target = field['x-forma'].type === 'lines' && second !== undefined
    ? (model.get(documentKey({ kind: 'entity', name: field['x-forma'].entity! })) as EntityDocument).schema.properties[second]
    : field;
  if (!target) return undefined;
  const type = fieldType(target['x-forma'].type);
  // An admin's own pattern on a plain text field is not the type's: its regex stays in the message.
  return target.pattern === type.fixedSchema(target['x-forma']).pattern ? type : undefined;
}

/** The label of the field a JSON Pointer lands in (`/lines/2/qty` → the line item's qty). */
function labelAt(model: Model, entity: EntityDocument, path: string): { 'zh-CN': string; en: string } {
  const [first, index, second] = path.split('/').slice(1);
  const field = first === undefined ? undefined : entity.schema.properties[first];
  if (!field) return { 'zh-CN': entity.label['zh-CN'], en: entity.label.en };
  if (field['x-forma'].type === 'lines' && index !== undefined && second !== undefined) {
    const child = model.get(documentKey({ kind: 'entity', name: field['x-forma'].entity! })) as EntityDocument;
    const childField = child.schema.properties[second];
    if (childField) return { 'zh-CN': `${field['x-forma'].label['zh-CN']}第 ${Number(index) + 1} 行 ${childField['x-forma'].label['zh-CN']}`, en: `${field['x-forma'].label.en} line ${Number(index) + 1} ${childField['x-forma'].label.en}` };
  }
  return { 'zh-CN': field['x-forma'].label['zh-CN']!, en: field['x-forma'].label.en! };
}
