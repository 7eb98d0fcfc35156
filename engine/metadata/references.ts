import { escapePointer } from './ajv.ts';
import type { MetadataDocument } from './model.ts';

/** A document's reference to another document, or to a field of an entity (`field` may be one hop: `customer.name`). */
export interface DocumentReference {
  path: string;
  kind: string;
  name: string;
  field?: string;
}

type Json = Record<string, unknown>;
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/**
 * Every reference a non-entity document makes, with the JSON Pointer where it makes it, so the
 * model check can refuse a layout naming an archived field or a list view on a missing entity.
 */
export function documentReferences(doc: MetadataDocument): DocumentReference[] {
  const entity = typeof doc.entity === 'string' ? doc.entity : undefined;
  const refs: DocumentReference[] = entity ? [{ path: '/entity', kind: 'entity', name: entity }] : [];
  const field = (path: string, name: unknown) => {
    if (entity && typeof name === 'string') refs.push({ path, kind: 'entity', name: entity, field: name });
  };
  switch (doc.kind) {
    case 'layout':
      for (const [s, section] of list(doc.sections).entries()) {
        for (const [f, item] of (Array.isArray(section.fields) ? section.fields : []).entries()) {
          const name = typeof item === 'string' ? item : (item as Json).field;
          field(`/sections/${s}/fields/${f}${typeof item === 'string' ? '' : '/field'}`, name);
        }
      }
      break;
    case 'listView':
      for (const [i, column] of list(doc.columns).entries()) field(`/columns/${i}/field`, column.field);
      for (const [i, sort] of list(doc.defaultSort).entries()) field(`/defaultSort/${i}/field`, sort.field);
      filterFields(doc.defaultFilter, '/defaultFilter', field);
      if (doc.kanban) {
        const kanban = doc.kanban as Json;
        field('/kanban/groupBy', kanban.groupBy);
        for (const [i, name] of (Array.isArray(kanban.cardFields) ? kanban.cardFields : []).entries()) field(`/kanban/cardFields/${i}`, name);
      }
      break;
    case 'report':
      for (const [i, d] of list(doc.dimensions).entries()) field(`/dimensions/${i}/field`, d.field);
      for (const [i, m] of list(doc.measures).entries()) field(`/measures/${i}/field`, m.field);
      filterFields(doc.filter, '/filter', field);
      break;
    case 'automation':
      for (const [i, action] of list(doc.actions).entries()) {
        if (action.type === 'createRecord' && typeof action.entity === 'string') {
          refs.push({ path: `/actions/${i}/entity`, kind: 'entity', name: action.entity });
        } else field(`/actions/${i}/field`, action.field);
      }
      field('/trigger/schedule/field', ((doc.trigger as Json | undefined)?.schedule as Json | undefined)?.field);
      break;
    case 'role':
      for (const [name, permission] of Object.entries((doc.permissions ?? {}) as Record<string, Json>)) {
        const at = `/permissions/${escapePointer(name)}`;
        refs.push({ path: at, kind: 'entity', name });
        for (const fieldName of Object.keys((permission.fields ?? {}) as Json)) {
          refs.push({ path: `${at}/fields/${escapePointer(fieldName)}`, kind: 'entity', name, field: fieldName });
        }
      }
      break;
  }
  return refs;
}

function filterFields(tree: unknown, path: string, field: (path: string, name: unknown) => void) {
  if (!tree || typeof tree !== 'object') return;
  const node = tree as Json;
  for (const junction of ['and', 'or'] as const) {
    for (const [i, child] of list(node[junction]).entries()) filterFields(child, `${path}/${junction}/${i}`, field);
  }
  if (node.not) filterFields(node.not, `${path}/not`, field);
  if (typeof node.field === 'string') field(`${path}/field`, node.field);
}
