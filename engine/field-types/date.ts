import type { FieldType } from './field-type.ts';

/** A calendar date (birthday, expected close), without time or zone. */
export const date: FieldType = {
  name: 'date',
  fixedSchema: () => ({ type: 'string', format: 'date' }),
  column: () => ({ sql: 'date' }),
  filterable: true,
  unique: true,
};
