import type { FieldType } from './field-type.ts';

/**
 * Child rows saved with their parent (quote lines): the rows live in the table of the child
 * `entity`, which gets a `parent_id` and a `position`. The field has no column of its own; its
 * items are records of the child entity, referenced relative to `https://forma.dev/records/`.
 */
export const lines: FieldType = {
  name: 'lines',
  fixedSchema: (o) => ({ type: 'array', items: { $ref: o.entity } }),
  column: () => null,
};
