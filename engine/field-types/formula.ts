import type { FieldOptions, FieldType } from './field-type.ts';

const resultSchemas: Record<string, Record<string, unknown>> = {
  text: { type: 'string' },
  integer: { type: 'integer' },
  decimal: { type: 'number' },
  money: { type: 'number' },
  percent: { type: 'number' },
  date: { type: 'string', format: 'date' },
  boolean: { type: 'boolean' },
};

function resultColumn(o: FieldOptions) {
  switch (o.resultType) {
    case 'integer':
      return { sql: 'bigint' } as const;
    case 'decimal':
    case 'money':
    case 'percent':
      return { sql: 'numeric', scale: o.scale ?? 2 } as const;
    case 'date':
      return { sql: 'date' } as const;
    case 'boolean':
      return { sql: 'boolean' } as const;
    default:
      return { sql: 'text' } as const;
  }
}

/**
 * A value computed from the record's other fields by an `expression` (line amount, totals),
 * evaluated on write and stored, so lists can sort and filter on it. Read-only for people.
 */
export const formula: FieldType = {
  name: 'formula',
  fixedSchema: (o) => ({ ...(resultSchemas[o.resultType ?? 'text'] ?? {}), readOnly: true }),
  column: resultColumn,
  filterable: true,
};
