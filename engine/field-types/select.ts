import type { FieldType } from './field-type.ts';

/** One value out of the field's `options` (level A/B/C, opportunity stage with its win rate). */
export const select: FieldType = {
  name: 'select',
  fixedSchema: (o) => ({ type: 'string', enum: (o.options ?? []).map((option) => option.value) }),
  column: () => ({ sql: 'text' }),
  filterable: true,
};
