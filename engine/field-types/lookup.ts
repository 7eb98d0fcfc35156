import type { FieldType } from './field-type.ts';

/** A reference to one record of the `target` entity (many-to-one), kept by a foreign key. */
export const lookup: FieldType = {
  name: 'lookup',
  fixedSchema: () => ({ type: 'string', format: 'uuid' }),
  column: () => ({ sql: 'uuid' }),
  filterable: true,
};
