import type { Problem } from '../errors.ts';
import { checkModel } from './check-model.ts';
import { documentKey, type MetadataDocument } from './model.ts';
import { readDocuments, type DocumentInput } from './read-documents.ts';

/**
 * Validates a set of metadata documents on their own (references resolve inside the set):
 * every document against its kind's meta-schema, then names, references, formulas and
 * defaults across the set. Returns the normalised documents and every problem at once.
 *
 * @example
 *   const { problems } = validateDocuments([{ document: customerJson, source: 'customer.json' }]);
 *   // problems: [{ code: 'entity_unknown', path: '/schema/properties/owner_team/x-forma/target', … }]
 */
export function validateDocuments(inputs: readonly DocumentInput[]): { documents: MetadataDocument[]; problems: Problem[] } {
  const { read, problems } = readDocuments(inputs);
  const model = new Map(read.map((r) => [documentKey(r.document), r.document]));
  const sources = new Map(read.map((r) => [documentKey(r.document), r.source]));
  problems.push(...checkModel(model, sources));
  return { documents: read.map((r) => r.document), problems };
}
