import { parseFormula } from './expression.ts';

export type FormulaOrder = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * The order in which to compute an entity's formula fields so that each comes after the
 * formula fields it reads (a record is computed in one pass on write), or the first cycle found,
 * which can never be computed. Only plain names count: `lines.amount` reads the child entity,
 * whose formulas are computed on the rows before the parent reads them. Formulas are taken in the
 * order they are declared, and keep it where nothing forces otherwise. A formula that does not
 * parse is left out (validation reports it).
 *
 * @example
 * formulaOrder({
 *   total: { 'x-forma': { type: 'formula', expression: 'subtotal + tax' } },
 *   tax: { 'x-forma': { type: 'formula', expression: 'subtotal * 0.13' } },
 *   subtotal: { 'x-forma': { type: 'formula', expression: 'sum(lines.amount)' } },
 * }) // → { ok: true, order: ['subtotal', 'tax', 'total'] }
 * // a = b + 1, b = a * 2 → { ok: false, cycle: ['a', 'b', 'a'] }
 */
export function formulaOrder(fields: Record<string, { 'x-forma': { type: string; expression?: string } }>): FormulaOrder {
  const reads = new Map<string, string[]>();
  for (const [name, field] of Object.entries(fields)) {
    if (field['x-forma'].type !== 'formula') continue;
    const parsed = parseFormula(field['x-forma'].expression ?? '');
    if (parsed.ok) reads.set(name, parsed.references.filter((ref) => !ref.lineField).map((ref) => ref.field));
  }

  const order: string[] = [];
  const placed = new Set<string>();
  const path: string[] = [];
  // Depth first: a formula is placed once everything it reads is; meeting a formula that is
  // still on the path means going round in a circle.
  const place = (name: string): string[] | undefined => {
    if (placed.has(name)) return undefined;
    const start = path.indexOf(name);
    if (start >= 0) return [...path.slice(start), name];
    path.push(name);
    for (const field of reads.get(name)!) {
      const cycle = reads.has(field) ? place(field) : undefined;
      if (cycle) return cycle;
    }
    path.pop();
    placed.add(name);
    order.push(name);
    return undefined;
  };
  for (const name of reads.keys()) {
    const cycle = place(name);
    if (cycle) return { ok: false, cycle };
  }
  return { ok: true, order };
}
