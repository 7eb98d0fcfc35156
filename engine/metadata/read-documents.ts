import { isDeepStrictEqual } from 'node:util';
import { problem, type Problem } from '../errors.ts';
import { fieldType } from '../field-types/registry.ts';
import { escapePointer, schemaProblems } from './ajv.ts';
import { isKind, kinds, metaSchemaValidator } from './kinds.ts';
import { documentKey, type EntityDocument, type FieldDefinition, type MetadataDocument } from './model.ts';

/** A document as it arrives (parsed JSON), and where it came from (a file path) for messages. */
export interface DocumentInput {
  document: unknown;
  source?: string;
}

/** A document that passed its meta-schema, normalised, with where it came from. */
export interface ReadDocument {
  document: MetadataDocument;
  source: string;
}

/**
 * Checks each document against the meta-schema of its kind and normalises entities (fills in
 * the JSON Schema keywords their field types imply). Reports every problem of every document;
 * returns only the documents that passed, so later checks do not repeat the same mistake.
 */
export function readDocuments(inputs: readonly DocumentInput[]): { read: ReadDocument[]; problems: Problem[] } {
  const read: ReadDocument[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const [index, input] of inputs.entries()) {
    const doc = input.document;
    const fallbackSource = input.source ?? `#${index}`;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      problems.push(problem('document_not_object', '', {}, fallbackSource));
      continue;
    }
    const { kind, name } = doc as Record<string, unknown>;
    const source = input.source ?? (typeof name === 'string' ? `${String(kind)}:${name}` : fallbackSource);
    if (!isKind(kind)) {
      problems.push(problem('kind_unknown', '/kind', { kind: String(kind), kinds: kinds.join(', ') }, source));
      continue;
    }
    const validate = metaSchemaValidator(kind);
    if (!validate(doc)) {
      problems.push(...schemaProblems(validate.errors, source));
      continue;
    }
    const document = kind === 'entity' ? normalizeEntity(doc as EntityDocument, source, problems) : (doc as MetadataDocument);
    if (!document) continue;
    const key = documentKey(document);
    if (seen.has(key)) {
      problems.push(problem('document_duplicate', '/name', { kind, name: document.name }, source));
      continue;
    }
    seen.set(key, source);
    read.push({ document, source });
  }
  return { read, problems };
}

/**
 * Gives every field the keywords its type implies: fills in the missing ones, refuses the
 * contradicting ones. Records are closed (`additionalProperties: false`) and archived fields are
 * never required. Idempotent: normalising a normalised entity changes nothing.
 */
function normalizeEntity(doc: EntityDocument, source: string, problems: Problem[]): EntityDocument | undefined {
  const before = problems.length;
  const properties: Record<string, FieldDefinition> = {};
  for (const [fieldName, field] of Object.entries(doc.schema.properties)) {
    const options = field['x-forma'];
    const type = fieldType(options.type);
    const normalized: FieldDefinition = { ...field };
    for (const [keyword, expected] of Object.entries(type.fixedSchema(options))) {
      if (!(keyword in field)) normalized[keyword] = expected;
      else if (!isDeepStrictEqual(field[keyword], expected)) {
        problems.push(
          problem(
            'field_schema_conflict',
            `/schema/properties/${escapePointer(fieldName)}/${keyword}`,
            { type: options.type, keyword, expected: JSON.stringify(expected) },
            source,
          ),
        );
      }
    }
    for (const [keyword, value] of Object.entries(type.defaultSchema?.(options) ?? {})) {
      if (!(keyword in field)) normalized[keyword] = value;
    }
    properties[fieldName] = normalized;
  }
  if (problems.length > before) return undefined;
  // Keys keep their places, so normalising a normalised document gives the same text back.
  const schema = { ...doc.schema, properties, additionalProperties: false as const };
  const required = (doc.schema.required ?? []).filter((name) => properties[name]?.['x-forma'].archived !== true);
  if (required.length) schema.required = required;
  else delete schema.required;
  return { ...doc, schema };
}
