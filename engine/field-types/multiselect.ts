import type { FieldType } from './field-type.ts';

/** Any number of the field's `options` (preferences, hobbies), stored as a text array. */
export const multiselect: FieldType = {
  name: 'multiselect',
  fixedSchema: (o) => ({
    type: 'array',
    items: { type: 'string', enum: (o.options ?? []).map((option) => option.value) },
    uniqueItems: true,
  }),
  column: () => ({ sql: 'text[]' }),
  filterable: true,
};
