import { NUMERIC_PRECISION, type ColumnType } from '../field-types/field-type.ts';
import type { LocalizedText } from '../i18n/text.ts';

const plainUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const zoneOffset = /([+-])(\d{2}):?(\d{2})$/;

/**
 * Why PostgreSQL would refuse to read a value that JSON Schema accepts, or undefined when it
 * reads it. The formats are broader than the column types: `format: uuid` allows a
 * `urn:uuid:` prefix, `date` allows year 0000, `date-time` zone offsets up to ±23:59, and no
 * text column holds U+0000. Left unchecked, each would be an SQL error instead of a problem.
 *
 * @example databaseRefusal({ sql: 'date' }, '0000-01-01') // { 'zh-CN': '年份必须在 0001 到 9999 之间', … }
 */
export function databaseRefusal(type: ColumnType, value: unknown): LocalizedText | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes('\u0000')) return { 'zh-CN': '文本不能包含空字符 (U+0000)', en: 'text cannot contain the NUL character (U+0000)' };
  switch (type.sql) {
    case 'uuid':
      return plainUuid.test(value) ? undefined : { 'zh-CN': '必须是不带前缀的 UUID', en: 'must be a plain UUID (no urn:uuid: prefix)' };
    case 'date':
    case 'timestamptz': {
      if (value.startsWith('0000')) return { 'zh-CN': '年份必须在 0001 到 9999 之间', en: 'the year must be between 0001 and 9999' };
      const offset = type.sql === 'timestamptz' ? zoneOffset.exec(value) : null;
      if (offset && Number(offset[2]) > 15) return { 'zh-CN': '时区偏移不能超过 ±15:59', en: 'the zone offset must be within ±15:59' };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Why a number cannot be stored in its column: numeric(18, s) keeps 18 − s digits before the
 * point, bigint (and JSON) only whole numbers up to 2^53 − 1 exactly. Only writes ask: a filter
 * may compare with any number.
 */
export function columnOverflow(type: ColumnType, value: unknown): LocalizedText | undefined {
  if (typeof value !== 'number') return undefined;
  if (type.sql === 'numeric') {
    const digits = NUMERIC_PRECISION - type.scale;
    if (Math.abs(value) < 10 ** digits) return undefined;
    return { 'zh-CN': `整数部分不能超过 ${digits} 位`, en: `must have at most ${digits} digits before the decimal point` };
  }
  if (type.sql === 'bigint' && !Number.isSafeInteger(value)) {
    return { 'zh-CN': '必须是 ±9007199254740991 以内的整数', en: 'must be a whole number within ±9007199254740991' };
  }
  return undefined;
}
