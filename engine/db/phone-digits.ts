import { sql, type RawBuilder } from 'kysely';

/**
 * A phone number's digits only ('021-6888 1234' → '02168881234'): the expression of the index
 * every phone field gets, and of every query meant to use it — both must spell it identically,
 * so both come from here. The pattern is a constant of this module, never input.
 */
export function phoneDigits(column: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`regexp_replace(${column}, ${sql.lit('[^0-9]')}, ${sql.lit('')}, ${sql.lit('g')})`;
}

/**
 * The digit strings a caller's number may be stored as: as dialled, without China's +86 / 0086
 * prefix, and with it (a mobile stored as '+86 138 0013 8000' is still found for 13800138000).
 *
 * @example phoneVariants('+86 138-0013-8000') // ['8613800138000', '13800138000']
 */
export function phoneVariants(number: string): string[] {
  const digits = number.replace(/[^0-9]/g, '');
  const national = digits.replace(/^(0086|86)(?=1\d{10}$)/, '');
  return [...new Set([digits, national, ...(/^1\d{10}$/.test(national) ? [`86${national}`] : [])])].filter(Boolean);
}
