/**
 * LIKE patterns from what a person typed: `%`, `_` and `\` stand for themselves (a search for
 * "50%" finds "50%", not everything starting with 50). Bind the result as a parameter.
 *
 * @example containsPattern('50%_off') // '%50\\%\\_off%'
 */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

export function startsWithPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
