import type { FieldTypeInfo } from './field-draft.ts';

/** Everything the entity designer offers to choose from, in the admin's language (entities.server.ts reads it from the model). */
export interface DesignerChoices {
  fieldTypes: FieldTypeInfo[];
  /** Every entity (archived ones marked), for lookup targets and line-item entities. */
  entities: { name: string; label: string; archived: boolean }[];
  numberings: { name: string; label: string; pattern: string }[];
  modules: { name: string; label: string }[];
  /** Entity names, archived ones included: a new entity may take none of them. */
  takenEntityNames: string[];
}
