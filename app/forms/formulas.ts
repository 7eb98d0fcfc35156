import type jsep from 'jsep';
import { coerceFormulaResult, evaluateFormula, type FormulaScope } from '../../engine/formula/evaluate.ts';
import { parseFormula } from '../../engine/formula/expression.ts';
import { formulaOrder } from '../../engine/formula/order.ts';
import type { FieldSpec, FormSpec, FormValues } from './types.ts';

type ResultType = Parameters<typeof coerceFormulaResult>[1];

interface Compiled {
  field: string;
  tree: jsep.Expression;
  resultType: ResultType;
  scale: number;
}

/** The formulas a form computes as you type: the entity's live ones, in order, and each lines field's. */
export interface LiveFormulas {
  record: Compiled[];
  lines: Map<string, Compiled[]>;
}

/**
 * Compiles the form's live formulas with the engine's own parser and ordering, so the browser
 * computes exactly what the engine will store (engine/records/write.ts `computeFormulas`).
 */
export function compileFormulas(spec: FormSpec): LiveFormulas {
  const lines = new Map<string, Compiled[]>();
  for (const f of Object.values(spec.fields)) {
    if (f.type === 'lines' && f.lines) lines.set(f.name, compile(f.lines.fields));
  }
  return { record: compile(Object.values(spec.fields)), lines };
}

function compile(fields: FieldSpec[]): Compiled[] {
  const formulas = fields.filter((f) => f.type === 'formula' && f.live && f.expression);
  const order = formulaOrder(Object.fromEntries(formulas.map((f) => [f.name, { 'x-forma': { type: 'formula', expression: f.expression } }])));
  const byName = new Map(formulas.map((f) => [f.name, f]));
  return (order.ok ? order.order : []).flatMap((name) => {
    const f = byName.get(name)!;
    const parsed = parseFormula(f.expression!);
    return parsed.ok ? [{ field: name, tree: parsed.tree, resultType: (f.resultType ?? 'text') as ResultType, scale: f.scale ?? 2 }] : [];
  });
}

/**
 * The values with every live formula computed again — each line row's first, then the
 * record's, which may sum the rows (`sum(lines.amount)`) — the same steps as the engine on
 * save. `today` is the workspace's calendar date. Returns `values` itself when nothing changed.
 */
export function recompute(live: LiveFormulas, values: FormValues, today: string): FormValues {
  if (!live.record.length && ![...live.lines.values()].some((l) => l.length)) return values;
  let changed = false;
  const next: FormValues = { ...values };
  const lines = new Map<string, FormValues[]>();
  for (const [field, formulas] of live.lines) {
    const rows = Array.isArray(values[field]) ? (values[field] as FormValues[]) : [];
    const computed = rows.map((row) => {
      if (!formulas.length) return row;
      const out = { ...row };
      let rowChanged = false;
      for (const f of formulas) {
        const value = coerceFormulaResult(evaluateFormula(f.tree, scopeOf(out, new Map(), today)), f.resultType, f.scale);
        if (!same(out[f.field], value)) {
          out[f.field] = value;
          rowChanged = true;
        }
      }
      return rowChanged ? out : row;
    });
    if (computed.some((row, i) => row !== rows[i])) {
      next[field] = computed;
      changed = true;
    }
    lines.set(field, computed);
  }
  for (const f of live.record) {
    const value = coerceFormulaResult(evaluateFormula(f.tree, scopeOf(next, lines, today)), f.resultType, f.scale);
    if (!same(next[f.field], value)) {
      next[f.field] = value;
      changed = true;
    }
  }
  return changed ? next : values;
}

function scopeOf(values: FormValues, lines: Map<string, FormValues[]>, today: string): FormulaScope {
  return {
    value: (field) => values[field],
    lines: (field) => (lines.get(field) ?? []).map((row) => scopeOf(row, new Map(), today)),
    today,
  };
}

/** A stored number (5249.97) and the computed text ('5249.97') are the same value. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string') && a !== '' && b !== '') {
    return Number(a) === Number(b);
  }
  return false;
}
