import type { FieldType } from './field-type.ts';

/** A moment in time (visit time, reminder), stored with its zone. */
export const datetime: FieldType = {
  name: 'datetime',
  fixedSchema: () => ({ type: 'string', format: 'date-time' }),
  column: () => ({ sql: 'timestamptz' }),
  filterable: true,
  unique: true,
};
