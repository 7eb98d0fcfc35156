import type { Problem } from '../../engine/errors.ts';
import { t, type Locale } from '../text/index.ts';
import { personalPointer, type FieldChoice, type FilterProblem, type FilterTree, type Operator } from './filter.ts';
import { opLabel } from './labels.ts';

/**
 * The engine's problems with a list's query, for people: those about the person's filter at
 * their place in it (pointers into the filter of the URL, for the builder to show under the
 * condition), the others as one text. Field names in the engine's messages become the labels
 * people see (`"credit_limit"` → `"信用额度"`), and an operator that does not fit its field says
 * so with the operators' names as the builder shows them.
 *
 * @param at where the person's filter sits in the query the engine checked (`/filter`, `/filter/and/0`…)
 */
export function readableProblems(
  problems: readonly Problem[], filter: FilterTree | undefined, at: string, fields: readonly FieldChoice[], locale: Locale,
): { problems: FilterProblem[]; others: string[] } {
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const named = (message: string) => message.replace(/"([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)"/g, (whole, path: string) => (byPath.has(path) ? `"${byPath.get(path)!.label}"` : whole));
  const result: { problems: FilterProblem[]; others: string[] } = { problems: [], others: [] };
  for (const p of problems) {
    const path = filter === undefined ? undefined : personalPointer(p.path, at);
    if (path === undefined) {
      result.others.push(named(p.message[locale]));
      continue;
    }
    let message = named(p.message[locale]);
    if (p.code === 'query_operator_unsupported' && path.endsWith('/op')) {
      const node = nodeAt(filter, path.slice(0, -'/op'.length)) as { field?: unknown; op?: unknown } | undefined;
      const field = typeof node?.field === 'string' ? byPath.get(node.field) : undefined;
      if (field && typeof node?.op === 'string') {
        message = t(locale, 'list_op_unsupported', {
          field: field.label, op: opLabel(locale, node.op as Operator, field.kind), ops: field.ops.map((op) => opLabel(locale, op, field.kind)).join('、'),
        });
      }
    }
    result.problems.push({ path, message });
  }
  return result;
}

/** The part of a JSON value a pointer names ('' is the whole). */
function nodeAt(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  return pointer.slice(1).split('/').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}
