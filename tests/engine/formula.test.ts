import Decimal from 'decimal.js';
import type jsep from 'jsep';
import { describe, expect, it } from 'vitest';
import { coerceFormulaResult, evaluateFormula, type FormulaScope, type FormulaValue } from '../../engine/formula/evaluate.ts';
import { parseFormula } from '../../engine/formula/expression.ts';
import { formulaOrder } from '../../engine/formula/order.ts';

type Row = Record<string, unknown>;
type Lines = Record<string, Row[]>;

function scope(values: Row, lines: Lines = {}, today = '2024-06-30'): FormulaScope {
  return { value: (f) => values[f], lines: (f) => (lines[f] ?? []).map((row) => scope(row)), today };
}

function run(expression: string, values: Row = {}, lines: Lines = {}, today?: string): FormulaValue {
  const parsed = parseFormula(expression);
  if (!parsed.ok) throw new Error(`${expression}: ${JSON.stringify(parsed.problem)}`);
  return evaluateFormula(parsed.tree, scope(values, lines, today));
}

/** Decimals compared by value in plain notation (`n:0.3`), everything else as it is. */
const shown = (value: FormulaValue) => (value instanceof Decimal ? `n:${value.toFixed()}` : value);
const n = (text: string) => `n:${text}`;

const rows: Lines = { lines: [{ amount: '100.50' }, { amount: null }, { amount: 200 }, {}, { amount: '' }] };

// [expression, field values, expected (n('…') for a number), lines?]
const cases: [string, Row, FormulaValue | string, Lines?][] = [
  // exact decimal arithmetic
  ['0.1 + 0.2', {}, n('0.3')],
  ['0.1 + 0.2 == 0.3', {}, true],
  ['a + b == 0.3', { a: 0.1, b: 0.2 }, true],
  ['a + b', { a: '0.1', b: '0.2' }, n('0.3')],
  ['12345678901234567.89 + 0.01', {}, n('12345678901234567.9')],
  ['2 + 3 * 4', {}, n('14')],
  ['(2 + 3) * 4', {}, n('20')],
  ['10 / 4', {}, n('2.5')],
  // Division rounds at 40 significant digits; the stored value is rounded to the column's scale.
  ['1 / 3 * 3', {}, n(`0.${'9'.repeat(40)}`)],
  ['7 % 3', {}, n('1')],
  ['-7 % 3', {}, n('-1')],
  ['7.5 % 2', {}, n('1.5')],
  ['-x', { x: '5' }, n('-5')],
  ['+x', { x: '5.50' }, n('5.5')],
  ['qty * unit_price * (1 - discount / 100)', { qty: 20, unit_price: '5000.00', discount: 0 }, n('100000')],
  ['qty * unit_price * (1 - discount / 100)', { qty: 3, unit_price: 1999.99, discount: 12.5 }, n('5249.97375')],
  // division by zero, null propagation, type errors: null, never an exception
  ['1 / 0', {}, null],
  ['qty / discount', { qty: 5, discount: '0.00' }, null],
  ['5 % 0', {}, null],
  ['qty * price', { qty: null, price: 10 }, null],
  ['qty * price', { price: 10 }, null],
  ['qty * price', { qty: '', price: 10 }, null],
  ['-qty', { qty: null }, null],
  ['(qty * price) + 1', { qty: 1 }, null],
  ["'abc' * 2", {}, null],
  ['flag + 1', { flag: true }, null],
  ["'a' + 'b'", {}, null],
  ['tags * 2', { tags: ['x'] }, null],
  ['d + 1', { d: new Date('2024-01-01') }, null],
  ["x * 2", { x: 'NaN' }, null],
  ["x * 2", { x: '0x10' }, null],
  ['x * 2', { x: Number.POSITIVE_INFINITY }, null],
  // comparisons
  ['2 < 10', {}, true],
  ['a < b', { a: '9.50', b: '10.00' }, true],
  ['price == 5000', { price: '5000.00' }, true],
  ['price != 5000', { price: '5000.00' }, false],
  ["'apple' < 'banana'", {}, true],
  ["name == '张三'", { name: '张三' }, true],
  ['close_date < today()', { close_date: '2024-06-29' }, true],
  ['close_date >= today()', { close_date: '2024-07-01' }, true],
  ['a == b', { a: null, b: null }, true],
  ['a != b', { a: null, b: null }, false],
  ['a == 1', { a: null }, false],
  ['a != 1', { a: null }, true],
  ["a == ''", { a: null }, true],
  ['a < 1', { a: null }, false],
  ['a >= 1', { a: null }, false],
  ['1 > a', { a: null }, false],
  ["'abc' == 5", {}, false],
  ["'abc' < 5", {}, null],
  ['flag == true', { flag: true }, true],
  ['flag < true', { flag: false }, null],
  // truthiness and conditions
  ['a && b', { a: 1, b: 'x' }, true],
  ['a && b', { a: 1, b: 0 }, false],
  ['a || b', { a: null, b: '' }, false],
  ['a || b', { a: 0, b: 'x' }, true],
  ['!a', { a: null }, true],
  ['!paid', { paid: '0.00' }, true],
  ['!0', {}, true],
  ['qty > 10 ? 5 : 0', { qty: 20 }, n('5')],
  ['qty > 10 ? 5 : 0', { qty: 2 }, n('0')],
  ['flag ? 1 : 2', { flag: null }, n('2')],
  ['vip ? price * 0.9 : price', { vip: true, price: '100.00' }, n('90')],
  // aggregates over lines rows, skipping nulls
  ['sum(lines.amount)', {}, n('300.5'), rows],
  ['count(lines.amount)', {}, n('2'), rows],
  ['avg(lines.amount)', {}, n('150.25'), rows],
  ['min(lines.amount)', {}, '100.50', rows],
  ['max(lines.amount)', {}, n('200'), rows],
  ['sum(lines.amount)', {}, n('0'), { lines: [] }],
  ['count(lines.amount)', {}, n('0'), { lines: [] }],
  ['avg(lines.amount)', {}, null, { lines: [{ amount: null }] }],
  ['min(lines.amount)', {}, null, { lines: [] }],
  ['max(lines.amount)', {}, null, { lines: [] }],
  ['sum(lines.amount) * (1 + tax_rate / 100)', { tax_rate: 13 }, n('339.565'), rows],
  ['sum(lines.qty * lines.unit_price)', {}, n('10099.95'), { lines: [{ qty: 5, unit_price: '1999.99' }, { qty: 1, unit_price: 100 }, { qty: null, unit_price: 7 }] }],
  ['sum(lines.amount * rate)', { rate: 2 }, n('601'), rows],
  ['max(lines.delivery_date)', {}, '2024-07-02', { lines: [{ delivery_date: '2024-06-30' }, { delivery_date: '2024-07-02' }, { delivery_date: null }] }],
  ['sum(lines.name)', {}, null, { lines: [{ name: '螺丝' }] }],
  ['max(lines.x)', {}, null, { lines: [{ x: 1 }, { x: 'abc' }] }],
  // functions
  ['round(2.675, 2)', {}, n('2.68')],
  ['round(-2.675, 2)', {}, n('-2.68')],
  ['round(x, 2)', { x: 2.675 }, n('2.68')],
  ['round(2.5)', {}, n('3')],
  ['round(-2.5)', {}, n('-3')],
  ['round(2.4999)', {}, n('2')],
  ['round(1250, -2)', {}, n('1300')],
  ['round(x, 1.5)', { x: 1 }, null],
  ['round(x, 2)', { x: null }, null],
  ['round(x, p)', { x: 1, p: null }, null],
  ['abs(-3.5)', {}, n('3.5')],
  ['abs(x)', { x: 'abc' }, null],
  ['coalesce(discount, 0)', { discount: null }, n('0')],
  ['coalesce(a, b, 3)', { a: '', b: 2 }, n('2')],
  ['coalesce(a, b)', {}, null],
  ["concat('客户：', name, '，金额 ', amount, ' 元')", { name: '上海某某贸易有限公司', amount: '5249.97' }, '客户：上海某某贸易有限公司，金额 5249.97 元'],
  ["concat('备注', note, '。')", { note: null }, '备注。'],
  ['concat(x, y)', { x: 0.0000001, y: 1e21 }, '0.00000011000000000000000000000'],
  ['concat(qty * price)', { qty: 20, price: '5000.00' }, '100000'],
  ['concat(flag)', { flag: true }, 'true'],
  ['concat(a, b)', { a: null }, null],
  ['today()', {}, '2024-06-30'],
  ['days_between(today(), due)', { due: '2024-07-01' }, n('1')],
  ["days_between('2024-01-31', '2024-03-01')", {}, n('30')],
  ["days_between('2028-02-28', '2028-03-01')", {}, n('2')],
  ["days_between('2027-02-28', '2027-03-01')", {}, n('1')],
  ["days_between('2024-12-31', '2025-01-01')", {}, n('1')],
  ["days_between('2024-03-01', '2024-02-28')", {}, n('-2')],
  ['days_between(a, today())', { a: null }, null],
  ["days_between('2023-02-29', today())", {}, null],
  ["days_between('2024-06-01T00:00:00Z', today())", {}, null],
  ['days_between(a, today())', { a: 20240601 }, null],
];

describe('evaluateFormula', () => {
  it.each(cases)('%s with %j → %j', (expression, values, expected, lines) => {
    expect(shown(run(expression, values, lines))).toEqual(expected);
  });

  it('gives today() from the scope, so a record computes the same way whenever it is recomputed', () => {
    expect(shown(run('days_between(start, today())', { start: '2028-02-28' }, {}, '2028-03-01'))).toBe(n('2'));
  });

  it('returns decimals that are instances of the Decimal other modules import', () => {
    expect(Decimal.isDecimal(run('1 + 1'))).toBe(true);
  });

  it.each(['sum(qty)', 'sum(a.x + b.y)', 'sum(lines.amount * max(lines.amount))'])(
    'never sees %s: an aggregate must read the rows of exactly one lines field',
    (expression) => {
      expect(parseFormula(expression)).toMatchObject({ ok: false, problem: { kind: 'unsupported' } });
    },
  );

  it('throws on a node type the parser refuses: that is a bug, not a formula error', () => {
    const tree = { type: 'ThisExpression' } as jsep.Expression;
    expect(() => evaluateFormula(tree, scope({}))).toThrow(/ThisExpression/);
  });
});

// [value, resultType, scale, stored]
const coercions: [FormulaValue, Parameters<typeof coerceFormulaResult>[1], number | undefined, ReturnType<typeof coerceFormulaResult>][] = [
  [new Decimal('100000'), 'money', undefined, '100000.00'],
  [new Decimal('5249.97375'), 'money', undefined, '5249.97'],
  [new Decimal('2.675'), 'money', 2, '2.68'],
  [new Decimal('-2.675'), 'money', 2, '-2.68'],
  [new Decimal('-0.001'), 'money', 2, '0.00'],
  [new Decimal('1').dividedBy(3), 'decimal', 4, '0.3333'],
  [new Decimal('1e-7'), 'decimal', 10, '0.0000001000'],
  ['12.5', 'percent', undefined, '12.50'],
  [new Decimal('9999999999999999.994'), 'money', 2, '9999999999999999.99'],
  [new Decimal('9999999999999999.995'), 'money', 2, null], // rounds to 10^16: beyond numeric(18, 2)
  [null, 'money', 2, null],
  [true, 'money', 2, null],
  ['abc', 'decimal', 2, null],
  [new Decimal('2.5'), 'integer', undefined, 3],
  [new Decimal('-2.5'), 'integer', undefined, -3],
  [new Decimal('-0.4'), 'integer', undefined, 0],
  ['42', 'integer', undefined, 42],
  [new Decimal(Number.MAX_SAFE_INTEGER), 'integer', undefined, Number.MAX_SAFE_INTEGER],
  [new Decimal(Number.MAX_SAFE_INTEGER).plus(1), 'integer', undefined, null],
  [null, 'integer', undefined, null],
  ['张三', 'text', undefined, '张三'],
  [new Decimal('100000.50'), 'text', undefined, '100000.5'],
  [false, 'text', undefined, 'false'],
  [null, 'text', undefined, null],
  ['2024-02-29', 'date', undefined, '2024-02-29'],
  ['2023-02-29', 'date', undefined, null],
  ['hello', 'date', undefined, null],
  [new Decimal(20240229), 'date', undefined, null],
  [null, 'boolean', undefined, false],
  [new Decimal(0), 'boolean', undefined, false],
  ['0.00', 'boolean', undefined, false],
  ['x', 'boolean', undefined, true],
  [true, 'boolean', undefined, true],
];

describe('coerceFormulaResult', () => {
  it.each(coercions)('%j as %s (scale %s) → %j', (value, resultType, scale, stored) => {
    expect(coerceFormulaResult(value, resultType, scale)).toEqual(stored);
  });

  it('stores a quote line amount exactly as computed', () => {
    const amount = (values: Row) => coerceFormulaResult(run('qty * unit_price * (1 - discount / 100)', values), 'money');
    expect(amount({ qty: 20, unit_price: '5000.00', discount: 0 })).toBe('100000.00');
    expect(amount({ qty: 3, unit_price: 1999.99, discount: 12.5 })).toBe('5249.97');
    expect(amount({ qty: 3, unit_price: 1999.99, discount: null })).toBeNull();
    expect(coerceFormulaResult(run('1 / 3 * 3'), 'money')).toBe('1.00');
  });
});

describe('formulaOrder', () => {
  const formula = (expression: string) => ({ 'x-forma': { type: 'formula', expression } });
  const plain = (type: string) => ({ 'x-forma': { type } });

  it('puts each formula after the formulas it reads', () => {
    expect(formulaOrder({
      total: formula('subtotal + tax'),
      tax: formula('subtotal * tax_rate / 100'),
      tax_rate: plain('percent'),
      subtotal: formula('sum(lines.amount)'),
      lines: plain('lines'),
    })).toEqual({ ok: true, order: ['subtotal', 'tax', 'total'] });
  });

  it('keeps independent formulas in the order they are declared', () => {
    expect(formulaOrder({ b: formula('y * 2'), a: formula('x + 1'), x: plain('integer') }))
      .toEqual({ ok: true, order: ['b', 'a'] });
  });

  it('does not take lines.amount for the parent field of the same name', () => {
    expect(formulaOrder({ amount: formula('sum(lines.amount)') })).toEqual({ ok: true, order: ['amount'] });
  });

  it('reports a cycle', () => {
    expect(formulaOrder({ a: formula('b + 1'), b: formula('a * 2') })).toEqual({ ok: false, cycle: ['a', 'b', 'a'] });
  });

  it('reports a formula that reads itself through two others', () => {
    expect(formulaOrder({ x: formula('1'), a: formula('b'), b: formula('c + x'), c: formula('round(a, 2)') }))
      .toEqual({ ok: false, cycle: ['a', 'b', 'c', 'a'] });
  });

  it('reports a formula that reads itself directly', () => {
    expect(formulaOrder({ a: formula('a + 1') })).toEqual({ ok: false, cycle: ['a', 'a'] });
  });

  it('leaves out formulas that do not parse', () => {
    expect(formulaOrder({ broken: formula('a +'), a: formula('broken + 1'), none: plain('formula') }))
      .toEqual({ ok: true, order: ['a'] });
  });
});
