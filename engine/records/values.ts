import type { ColumnType } from '../field-types/field-type.ts';

/**
 * A column value as a record shows it (JSON): numeric columns as numbers (Forma's numeric is
 * numeric(18, scale), exact in a double up to 15 significant digits), dates as 'YYYY-MM-DD',
 * moments as ISO 8601 text, arrays and attachment lists as they are, null for no value.
 *
 * @example recordValue({ sql: 'numeric', scale: 2 }, '5000.00') // 5000
 */
export function recordValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type.sql) {
    case 'numeric':
    case 'bigint':
      return Number(value);
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
    case 'jsonb':
      return typeof value === 'string' ? JSON.parse(value) : value;
    default:
      return value;
  }
}

/**
 * A record value as its column takes it (a bound parameter): numbers as exact text for numeric
 * columns, attachment lists as JSON text for jsonb. Validation has run before: the value fits.
 */
export function columnValue(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type.sql) {
    case 'numeric':
      return typeof value === 'number' ? value.toString() : value;
    case 'jsonb':
      return JSON.stringify(value);
    default:
      return value;
  }
}
