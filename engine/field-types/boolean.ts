import type { FieldType } from './field-type.ts';

/** Yes or no. */
export const boolean: FieldType = {
  name: 'boolean',
  fixedSchema: () => ({ type: 'boolean' }),
  column: () => ({ sql: 'boolean' }),
  filterable: true,
};
