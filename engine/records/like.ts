/**
 * A LIKE pattern from what a person typed: `%`, `_` and `\` stand for themselves (a search for
 * "50%" finds "50%", not everything starting with 50). Bind the result as a parameter.
 *
 * @example likePattern('50%_off', 'contains') // '%50\\%\\_off%'
 */
export function likePattern(value: string, op: 'contains' | 'starts_with'): string {
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  return op === 'contains' ? `%${escaped}%` : `${escaped}%`;
}
