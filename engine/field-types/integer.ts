import type { FieldType } from './field-type.ts';

/** A whole number, stored as bigint; limited to what a JSON number holds exactly. */
export const integer: FieldType = {
  name: 'integer',
  fixedSchema: () => ({ type: 'integer' }),
  defaultSchema: () => ({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
  column: () => ({ sql: 'bigint' }),
  filterable: true,
  unique: true,
};
