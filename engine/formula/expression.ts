import jsep from 'jsep';

/**
 * Formula fields use a small expression language: numbers, strings, field names, `+ - * / %`,
 * comparisons, `&& || !`, `cond ? a : b`, and the functions below. `lines.amount` (a `lines`
 * field, then a field of its rows) may appear only inside an aggregate. It is parsed by jsep into
 * a tree that Forma walks itself: admin input is never handed to `eval` or `new Function`.
 */
export const formulaFunctions = {
  sum: { aggregate: true, args: [1, 1] },
  count: { aggregate: true, args: [1, 1] },
  min: { aggregate: true, args: [1, 1] },
  max: { aggregate: true, args: [1, 1] },
  avg: { aggregate: true, args: [1, 1] },
  round: { aggregate: false, args: [1, 2] },
  abs: { aggregate: false, args: [1, 1] },
  coalesce: { aggregate: false, args: [2, 10] },
  concat: { aggregate: false, args: [1, 20] },
  today: { aggregate: false, args: [0, 0] },
  days_between: { aggregate: false, args: [2, 2] },
} as const satisfies Record<string, { aggregate: boolean; args: [number, number] }>;

const binaryOperators = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||']);
const unaryOperators = new Set(['-', '+', '!']);

/** A field the formula reads: `discount`, or `lines.amount` (field of a `lines` field's rows). */
export interface FormulaReference {
  field: string;
  lineField?: string;
}

export type FormulaProblem =
  | { kind: 'syntax'; detail: string; index: number }
  | { kind: 'unsupported'; detail: string }
  | { kind: 'function'; name: string }
  | { kind: 'arity'; name: string; count: number };

export type ParsedFormula =
  | { ok: true; tree: jsep.Expression; references: FormulaReference[] }
  | { ok: false; problem: FormulaProblem };

/**
 * Parses a formula and lists the fields it reads, or says what is wrong with it.
 *
 * @example parseFormula('qty * unit_price * (1 - discount / 100)')
 *   // → { ok: true, references: [{field:'qty'}, {field:'unit_price'}, {field:'discount'}], … }
 */
export function parseFormula(expression: string): ParsedFormula {
  let tree: jsep.Expression;
  try {
    tree = jsep(expression);
  } catch (error) {
    const e = error as Error & { index?: number; description?: string };
    return { ok: false, problem: { kind: 'syntax', detail: e.description ?? e.message, index: e.index ?? 0 } };
  }
  const references: FormulaReference[] = [];
  const problem = walk(tree, false, references);
  return problem ? { ok: false, problem } : { ok: true, tree, references };
}

function walk(node: jsep.Expression, inAggregate: boolean, refs: FormulaReference[]): FormulaProblem | undefined {
  const each = (nodes: jsep.Expression[], aggregate = inAggregate) => {
    for (const child of nodes) {
      const found = walk(child, aggregate, refs);
      if (found) return found;
    }
    return undefined;
  };
  switch (node.type) {
    case 'Literal':
      return typeof (node as jsep.Literal).value === 'object'
        ? { kind: 'unsupported', detail: String((node as jsep.Literal).raw) }
        : undefined;
    case 'Identifier':
      refs.push({ field: (node as jsep.Identifier).name });
      return undefined;
    case 'MemberExpression': {
      const m = node as jsep.MemberExpression;
      if (!inAggregate || m.computed || m.object.type !== 'Identifier' || m.property.type !== 'Identifier') {
        return { kind: 'unsupported', detail: 'a.b is only allowed as lines.field inside sum/count/min/max/avg' };
      }
      refs.push({ lineField: (m.object as jsep.Identifier).name, field: (m.property as jsep.Identifier).name });
      return undefined;
    }
    case 'BinaryExpression': {
      const b = node as jsep.BinaryExpression;
      if (!binaryOperators.has(b.operator)) return { kind: 'unsupported', detail: b.operator };
      return each([b.left, b.right]);
    }
    case 'UnaryExpression': {
      const u = node as jsep.UnaryExpression;
      if (!unaryOperators.has(u.operator)) return { kind: 'unsupported', detail: u.operator };
      return each([u.argument]);
    }
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      return each([c.test, c.consequent, c.alternate]);
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      if (call.callee.type !== 'Identifier') return { kind: 'unsupported', detail: 'call' };
      const name = (call.callee as jsep.Identifier).name;
      const fn = (formulaFunctions as Record<string, { aggregate: boolean; args: readonly number[] }>)[name];
      if (!fn || !Object.hasOwn(formulaFunctions, name)) return { kind: 'function', name };
      const [least, most] = fn.args as [number, number];
      if (call.arguments.length < least || call.arguments.length > most) {
        return { kind: 'arity', name, count: call.arguments.length };
      }
      if (!fn.aggregate) return each(call.arguments);
      // An aggregate runs its argument once per row of ONE lines field: sum(lines.qty * lines.price).
      if (inAggregate) return { kind: 'unsupported', detail: `${name}() inside another aggregate` };
      const inner: FormulaReference[] = [];
      const found = walk(call.arguments[0]!, true, inner);
      if (found) return found;
      const lineFields = new Set(inner.flatMap((r) => (r.lineField ? [r.lineField] : [])));
      if (lineFields.size !== 1) return { kind: 'unsupported', detail: `${name}() must read the rows of exactly one lines field, e.g. ${name}(lines.amount)` };
      refs.push(...inner);
      return undefined;
    }
    default:
      return { kind: 'unsupported', detail: node.type };
  }
}
