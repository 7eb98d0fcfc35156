import type { FieldType } from './field-type.ts';

const attachment = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', maxLength: 255 },
    size: { type: 'integer', minimum: 0 },
    contentType: { type: 'string', maxLength: 255 },
  },
  additionalProperties: false,
};

/** Attached files (one, or several when `multiple`): references to stored files, kept as JSON. */
export const file: FieldType = {
  name: 'file',
  fixedSchema: (o) => ({ type: 'array', items: attachment, ...(o.multiple ? {} : { maxItems: 1 }) }),
  column: () => ({ sql: 'jsonb' }),
};
