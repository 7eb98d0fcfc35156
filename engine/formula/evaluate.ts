import Decimal from 'decimal.js';
import type jsep from 'jsep';
import { NUMERIC_PRECISION } from '../field-types/field-type.ts';
import { formulaFunctions } from './expression.ts';

/** What a formula computes: a number (always exact), text, a yes/no, or no value. */
export type FormulaValue = Decimal | string | boolean | null;

/**
 * The record a formula reads. `value` returns a field's value as the records engine holds it: a
 * JS number, a numeric string ("5000.00", how PostgreSQL returns numeric), a boolean, text, a
 * date as 'YYYY-MM-DD', or null/undefined. `lines` returns the rows of a lines field, each read
 * the same way. `today` is passed in so that the same record always computes the same values.
 */
export interface FormulaScope {
  value(field: string): unknown;
  lines(lineField: string): FormulaScope[];
  today: string;
}

/**
 * Formula arithmetic is decimal, never binary floating point. 40 significant digits hold the
 * product of two numeric(18, s) values exactly, so only division (1 / 3) and avg ever round
 * before the stored result is rounded to its scale. A clone, so Forma's settings do not change
 * the `Decimal` other modules import; its instances are still `instanceof Decimal`.
 */
const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** How PostgreSQL writes numeric, plus exponents; not hex, 'NaN' or 'Infinity', which Decimal would take. */
const numericText = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const dateText = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

/** Where a node is evaluated: the record, and inside an aggregate the line row being read. */
interface Context {
  scope: FormulaScope;
  row?: { lineField: string; scope: FormulaScope };
}

/**
 * Computes a formula field from the tree `parseFormula` returns. Product rules, chosen so that a
 * formula never stops anyone saving a record:
 *
 * - Numbers are exact decimals. JS numbers and numeric strings ('5000.00') are numbers wherever
 *   a number is expected (arithmetic, comparisons, truthiness); number literals are read from
 *   their source text, so `12345678901234567.89` is not squeezed through a double.
 * - Empty text is no value: '' and undefined read as null, from fields and literals alike.
 * - `+ - * / %` and unary `-`/`+`: any operand null → null (an unknown quantity makes an unknown
 *   amount); division or `%` by zero → null; an operand that is not a number ('abc' * 2, a
 *   boolean, a list) → null. `%` keeps the dividend's sign, like JS: -7 % 3 = -1. There is no
 *   string `+`: join text with `concat`.
 * - `== !=`: numbers by value ('5000.00' == 5000), other values by identity, null == null.
 *   `< <= > >=`: numbers by value, texts and 'YYYY-MM-DD' dates by code point (lexically); with a
 *   null operand → false; anything else (a number against a non-numeric text, booleans) → null.
 * - `&& || !` and `c ? a : b` use truthiness: null, zero (also '0.00') and false are false;
 *   `&&`, `||` and `!` give true or false.
 * - `sum min max avg count(arg)` evaluate `arg` on each row of the one lines field it reads
 *   (`sum(lines.qty * lines.unit_price)` works; plain names in it read the record) and skip
 *   null results: sum of no rows = 0, avg/min/max of none = null, count = non-null values.
 *   min/max also take texts and dates. An argument reading no lines field or two → null.
 * - `round(x, n = 0)` rounds half away from zero (四舍五入, ROUND_HALF_UP in decimal.js, like
 *   Excel's ROUND): 2.675 → 2.68, -2.675 → -2.68; n is a whole number from -100 to 100
 *   (round(1234, -2) = 1200), anything else → null. `abs(x)`. `coalesce(a, b, …)`: the first
 *   value that is not null. `concat(…)`: numbers in plain notation (never 1e-7), booleans as
 *   'true'/'false', null as ''.
 * - `today()` is `scope.today`; `days_between(a, b)` is the whole days from date a to date b
 *   (b − a, negative when b is earlier); null unless both are valid 'YYYY-MM-DD' dates.
 *
 * Field values of other kinds (a multiselect's list, an attachment list, a JS Date) are not
 * formula values and read as null. A node type the parser refuses throws: that is a bug.
 *
 * @example
 * const parsed = parseFormula('qty * unit_price * (1 - discount / 100)');
 * if (parsed.ok) evaluateFormula(parsed.tree, { value: (f) => ({ qty: 20, unit_price: '5000.00', discount: 0 })[f], lines: () => [], today: '2025-01-31' });
 * // → Decimal 100000
 */
export function evaluateFormula(tree: jsep.Expression, scope: FormulaScope): FormulaValue {
  return evaluate(tree, { scope });
}

/**
 * What a formula field stores, for its `resultType` (and `scale`, the column's decimals):
 * decimal/money/percent as text with exactly `scale` decimals rounded half away from zero (text
 * keeps every digit for PostgreSQL numeric; null when it would not fit numeric(18, scale), so an
 * overflow never blocks saving); integer rounded the same way as a JS number (null beyond
 * Number.MAX_SAFE_INTEGER); text as in `concat`; date only if it is a valid 'YYYY-MM-DD'; boolean
 * by truthiness (null is false). A value of the wrong kind becomes null.
 *
 * @example coerceFormulaResult(new Decimal('5249.97375'), 'money') // → '5249.97'
 */
export function coerceFormulaResult(
  value: FormulaValue,
  resultType: 'text' | 'integer' | 'decimal' | 'money' | 'percent' | 'date' | 'boolean',
  scale = 2,
): string | number | boolean | null {
  switch (resultType) {
    case 'text':
      return value === null ? null : text(value);
    case 'boolean':
      return truthy(value);
    case 'date':
      return dayNumber(value) === null ? null : (value as string);
    case 'integer': {
      const whole = numberOf(value)?.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
      // `+ 0` turns -0 (from rounding -0.4) into 0.
      return whole && whole.abs().lte(Number.MAX_SAFE_INTEGER) ? whole.toNumber() + 0 : null;
    }
    case 'decimal':
    case 'money':
    case 'percent': {
      const rounded = numberOf(value)?.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP);
      if (!rounded || rounded.abs().gte(new Exact(10).pow(NUMERIC_PRECISION - scale))) return null;
      return plain(rounded, scale);
    }
  }
}

function evaluate(node: jsep.Expression, at: Context): FormulaValue {
  switch (node.type) {
    case 'Literal': {
      const { value, raw } = node as jsep.Literal;
      return typeof value === 'number' ? numberOf(raw) : read(value);
    }
    case 'Identifier':
      return read(at.scope.value((node as jsep.Identifier).name));
    case 'MemberExpression': {
      const lineField = ((node as jsep.MemberExpression).object as jsep.Identifier).name;
      // Aggregates only evaluate their argument once they know its one lines field (rowsOf).
      if (at.row?.lineField !== lineField) throw new Error(`formula: ${lineField}.… read outside its rows`);
      return read(at.row.scope.value(((node as jsep.MemberExpression).property as jsep.Identifier).name));
    }
    case 'UnaryExpression': {
      const { operator, argument } = node as jsep.UnaryExpression;
      const value = evaluate(argument, at);
      if (operator === '!') return !truthy(value);
      const number = numberOf(value);
      return operator === '-' ? number && number.negated() : number;
    }
    case 'BinaryExpression': {
      const { operator, left, right } = node as jsep.BinaryExpression;
      if (operator === '&&') return truthy(evaluate(left, at)) && truthy(evaluate(right, at));
      if (operator === '||') return truthy(evaluate(left, at)) || truthy(evaluate(right, at));
      return binary(operator, evaluate(left, at), evaluate(right, at));
    }
    case 'ConditionalExpression': {
      const { test, consequent, alternate } = node as jsep.ConditionalExpression;
      return evaluate(truthy(evaluate(test, at)) ? consequent : alternate, at);
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const name = (call.callee as jsep.Identifier).name as keyof typeof formulaFunctions;
      if (!Object.hasOwn(functions, name)) throw new Error(`formula: unknown function ${name}`);
      return functions[name](call.arguments, at);
    }
    default:
      throw new Error(`formula: node type ${node.type} is not part of the formula language`);
  }
}

function binary(operator: string, a: FormulaValue, b: FormulaValue): FormulaValue {
  switch (operator) {
    case '==':
      return equal(a, b);
    case '!=':
      return !equal(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (a === null || b === null) return false;
      const order = ordering(a, b);
      if (order === null) return null;
      return operator === '<' ? order < 0 : operator === '<=' ? order <= 0 : operator === '>' ? order > 0 : order >= 0;
    }
  }
  const x = numberOf(a);
  const y = numberOf(b);
  if (!x || !y) return null;
  switch (operator) {
    case '+':
      return finite(x.plus(y));
    case '-':
      return finite(x.minus(y));
    case '*':
      return finite(x.times(y));
    case '/':
      return y.isZero() ? null : finite(x.dividedBy(y));
    case '%':
      return y.isZero() ? null : finite(x.modulo(y));
  }
  throw new Error(`formula: operator ${operator} is not part of the formula language`);
}

type FormulaFunction = (args: jsep.Expression[], at: Context) => FormulaValue;

/** One entry per function the parser allows: the compiler keeps the two lists in step. */
const functions: Record<keyof typeof formulaFunctions, FormulaFunction> = {
  sum: (args, at) => {
    const numbers = numbersOf(rowsOf(args[0]!, at));
    return numbers && total(numbers);
  },
  avg: (args, at) => {
    const numbers = numbersOf(rowsOf(args[0]!, at));
    return numbers && numbers.length > 0 ? total(numbers).dividedBy(numbers.length) : null;
  },
  count: (args, at) => {
    const values = rowsOf(args[0]!, at);
    return values && new Exact(values.length);
  },
  min: (args, at) => extreme(rowsOf(args[0]!, at), -1),
  max: (args, at) => extreme(rowsOf(args[0]!, at), 1),
  round: (args, at) => {
    const [x, places = new Exact(0)] = args.map((arg) => numberOf(evaluate(arg, at)));
    if (!x || !places || !places.isInteger() || places.abs().gt(100)) return null;
    const n = places.toNumber();
    if (n >= 0) return x.toDecimalPlaces(n, Decimal.ROUND_HALF_UP);
    const unit = new Exact(10).pow(-n);
    return x.dividedBy(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(unit);
  },
  abs: (args, at) => numberOf(evaluate(args[0]!, at))?.abs() ?? null,
  coalesce: (args, at) => {
    for (const arg of args) {
      const value = evaluate(arg, at);
      if (value !== null) return value;
    }
    return null;
  },
  concat: (args, at) => read(args.map((arg) => {
    const value = evaluate(arg, at);
    return value === null ? '' : text(value);
  }).join('')),
  today: (_args, at) => read(at.scope.today),
  days_between: (args, at) => {
    const from = dayNumber(evaluate(args[0]!, at));
    const to = dayNumber(evaluate(args[1]!, at));
    return from === null || to === null ? null : new Exact(to - from);
  },
};

/**
 * The non-null values of an aggregate's argument, one per row of the lines field it reads; null
 * when it reads no lines field or several, since then there are no rows to go over.
 */
function rowsOf(arg: jsep.Expression, at: Context): FormulaValue[] | null {
  const lineFields = [...lineFieldsRead(arg, new Set())];
  if (lineFields.length !== 1) return null;
  const lineField = lineFields[0]!;
  return at.scope.lines(lineField)
    .map((row) => evaluate(arg, { scope: at.scope, row: { lineField, scope: row } }))
    .filter((value) => value !== null);
}

/** The lines fields an aggregate's argument reads, leaving out nested aggregates: they read their own rows. */
function lineFieldsRead(node: jsep.Expression, found: Set<string>): Set<string> {
  switch (node.type) {
    case 'MemberExpression':
      found.add(((node as jsep.MemberExpression).object as jsep.Identifier).name);
      break;
    case 'UnaryExpression':
      lineFieldsRead((node as jsep.UnaryExpression).argument, found);
      break;
    case 'BinaryExpression':
      lineFieldsRead((node as jsep.BinaryExpression).left, found);
      lineFieldsRead((node as jsep.BinaryExpression).right, found);
      break;
    case 'ConditionalExpression': {
      const c = node as jsep.ConditionalExpression;
      for (const child of [c.test, c.consequent, c.alternate]) lineFieldsRead(child, found);
      break;
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const name = (call.callee as jsep.Identifier).name as keyof typeof formulaFunctions;
      if (!formulaFunctions[name]?.aggregate) for (const child of call.arguments) lineFieldsRead(child, found);
      break;
    }
  }
  return found;
}

/** The values as numbers, or null if one of them is not a number (sum of names). */
function numbersOf(values: FormulaValue[] | null): Decimal[] | null {
  const numbers = values?.map(numberOf) ?? null;
  return numbers && numbers.every((n) => n !== null) ? (numbers as Decimal[]) : null;
}

function total(numbers: Decimal[]): Decimal {
  return numbers.reduce((sum, n) => sum.plus(n), new Exact(0));
}

/** The least (sign -1) or greatest (sign 1) value; null for none or values that do not compare. */
function extreme(values: FormulaValue[] | null, sign: 1 | -1): FormulaValue {
  if (!values || values.length === 0) return null;
  let best: FormulaValue = values[0]!;
  for (const value of values.slice(1)) {
    const order = ordering(value, best);
    if (order === null) return null;
    if (order * sign > 0) best = value;
  }
  return best;
}

/** A field value or literal as a formula value: empty text and anything unknown are no value. */
function read(value: unknown): FormulaValue {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' || typeof value === 'bigint' || Decimal.isDecimal(value)) return numberOf(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return null;
}

/** A value as an exact number, or null when it is not one (null, text, a boolean, NaN, ∞). */
function numberOf(value: unknown): Decimal | null {
  if (Decimal.isDecimal(value)) return finite(value as Decimal);
  if (typeof value === 'number') return Number.isFinite(value) ? new Exact(value) : null;
  if (typeof value === 'bigint') return new Exact(value.toString());
  if (typeof value === 'string' && numericText.test(value)) return finite(new Exact(value));
  return null;
}

/** Only an exponent beyond decimal.js's range makes ±Infinity; that is no usable amount. */
function finite(value: Decimal): Decimal | null {
  return value.isFinite() ? value : null;
}

function truthy(value: FormulaValue): boolean {
  if (value === null || typeof value === 'boolean') return value === true;
  const number = numberOf(value);
  return number ? !number.isZero() : value !== '';
}

function equal(a: FormulaValue, b: FormulaValue): boolean {
  const x = numberOf(a);
  const y = numberOf(b);
  return x && y ? x.equals(y) : a === b;
}

/** Negative, zero or positive as a is before, equal to or after b; null when they do not compare. */
function ordering(a: FormulaValue, b: FormulaValue): number | null {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x && y) return x.comparedTo(y);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function text(value: Exclude<FormulaValue, null>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return plain(value);
}

/** Plain notation, never exponential, and never '-0.00' (what decimal.js gives for -0.001 at 2 places). */
function plain(value: Decimal, places?: number): string {
  const written = places === undefined ? value.toFixed() : value.toFixed(places);
  return /^-0(\.0*)?$/.test(written) ? written.slice(1) : written;
}

/** Days since 1970-01-01 of a valid 'YYYY-MM-DD' date; null for anything else (2023-02-29, a moment). */
function dayNumber(value: FormulaValue): number | null {
  const match = typeof value === 'string' ? dateText.exec(value) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02-30 over into March (and years 0–99 into the 1900s): a round trip catches both.
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date.getTime() / dayMs : null;
}
