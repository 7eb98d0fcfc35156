import type { FieldType } from './field-type.ts';

/** A Forma user (owner, assignee). */
export const user: FieldType = {
  name: 'user',
  fixedSchema: () => ({ type: 'string', format: 'uuid' }),
  column: () => ({ sql: 'uuid' }),
  filterable: true,
};
