import type { FieldType } from './field-type.ts';

/** A number drawn from a `numbering` rule (`SO202611-0042`); unique by construction and by index. */
export const autonumber: FieldType = {
  name: 'autonumber',
  fixedSchema: () => ({ type: 'string' }),
  defaultSchema: () => ({ maxLength: 64 }),
  column: () => ({ sql: 'text' }),
  searchable: true,
  filterable: true,
};
