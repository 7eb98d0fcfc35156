import type { LocalizedText } from '../i18n/text.ts';
import type { FieldOptions } from '../field-types/field-type.ts';

/** Any metadata document: the envelope every kind shares, then its body. */
export interface MetadataDocument {
  kind: string;
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  [body: string]: unknown;
}

/** A field: JSON Schema keywords of its value plus Forma's options under `x-forma`. */
export interface FieldDefinition {
  'x-forma': FieldOptions;
  [keyword: string]: unknown;
}

export interface EntityOptions {
  module?: string;
  icon?: string;
  displayField?: string;
  workflow?: string;
  archived?: boolean;
}

/** The JSON Schema of an entity's records. */
export interface RecordSchema {
  $schema?: string;
  type: 'object';
  title?: string;
  description?: string;
  properties: Record<string, FieldDefinition>;
  required?: string[];
  additionalProperties?: false;
  'x-forma'?: EntityOptions;
}

export interface EntityDocument extends MetadataDocument {
  kind: 'entity';
  schema: RecordSchema;
}

/** All documents of a workspace at one version, by `kind:name`. */
export type Model = ReadonlyMap<string, MetadataDocument>;

export function documentKey(doc: { kind: string; name: string }): string {
  return `${doc.kind}:${doc.name}`;
}

export function isEntity(doc: MetadataDocument): doc is EntityDocument {
  return doc.kind === 'entity';
}

export function entitiesOf(model: Model): EntityDocument[] {
  return [...model.values()].filter(isEntity);
}

export function isArchivedEntity(entity: EntityDocument): boolean {
  return entity.schema['x-forma']?.archived === true;
}

export function isArchivedField(field: FieldDefinition): boolean {
  return field['x-forma'].archived === true;
}

/** The fields of an entity that are in use (not archived), by name. */
export function activeFields(entity: EntityDocument): [string, FieldDefinition][] {
  return Object.entries(entity.schema.properties).filter(([, f]) => !isArchivedField(f));
}
