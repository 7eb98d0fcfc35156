import { FormaError } from '../errors.ts';
import { fieldType } from '../field-types/registry.ts';
import type { ColumnType } from '../field-types/field-type.ts';
import { documentKey, isArchivedEntity, isArchivedField, type EntityDocument, type FieldDefinition, type Model } from '../metadata/model.ts';
import { workspaceSchema } from '../schema/physical.ts';

/** A field that has a column: its name in records, its column, its definition and column type. */
export interface ColumnField {
  name: string;
  column: string;
  definition: FieldDefinition;
  type: ColumnType;
}

/**
 * Where an entity's records live and which of its fields are in use: the one place that maps
 * field names (what records and requests say) to physical columns (what SQL says). Archived
 * fields are not in `fields`: they are invisible to records, queries and the API.
 */
export interface EntityTable {
  entity: EntityDocument;
  schema: string;
  table: string;
  fields: ReadonlyMap<string, ColumnField>;
  /** `lines` fields, by name, with their child entity. */
  lines: ReadonlyMap<string, string>;
}

/** System columns every record has, as records show them. */
export const systemFields = ['id', 'created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', 'version', 'deleted_at'] as const;

/**
 * The table of an active entity in a workspace, or a structured `entity_unknown` error.
 *
 * @example const customers = entityTable(model, 'main', 'customer'); customers.fields.get('phone')?.column
 */
export function entityTable(model: Model, workspace: string, name: string): EntityTable {
  const entity = model.get(documentKey({ kind: 'entity', name })) as EntityDocument | undefined;
  if (!entity || isArchivedEntity(entity)) throw new FormaError('entity_unknown', { entity: name });
  const fields = new Map<string, ColumnField>();
  const lines = new Map<string, string>();
  for (const [fieldName, definition] of Object.entries(entity.schema.properties)) {
    if (isArchivedField(definition)) continue;
    const options = definition['x-forma'];
    if (options.type === 'lines') lines.set(fieldName, options.entity!);
    const type = fieldType(options.type).column(options);
    if (type) fields.set(fieldName, { name: fieldName, column: options.column ?? fieldName, definition, type });
  }
  return { entity, schema: workspaceSchema(workspace), table: entity.name, fields, lines };
}
