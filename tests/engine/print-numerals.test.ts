// Capital-numeral amounts (大写金额) and the money, number, percent and date formats of printed
// documents (engine/print/numerals.ts, engine/print/format.ts).
//
// The rules the table follows:
// - 财政部《会计基础工作规范》(1996, amended 2019) 第五十二条 (三)–(五): capital digits 零壹贰叁肆伍陆柒捌玖
//   拾佰仟万亿; "大写金额数字到元或者角为止的，在'元'或者'角'字之后应当写'整'字或者'正'字；大写金额
//   数字有分的，分字后面不写'整'或者'正'字"; the currency name (人民币) directly before the amount.
// - 中国人民银行《支付结算办法》(1997) 附件一《正确填写票据和结算凭证的基本规定》: a zero between digits
//   is written 零 (¥1,409.50 → 壹仟肆佰零玖元伍角); several zeros in a row one 零 (¥6,007.14 → 陆仟零柒元
//   壹角肆分); where 万位 or 元位 is 0 but 千位 / 角位 is not, one 零 or none may be written
//   (¥107,000.53 → 壹拾万柒仟元零伍角叁分 or 壹拾万零柒仟元伍角叁分 — Forma writes neither extra
//   零: 壹拾万柒仟元伍角叁分, as the cases 105000 and 100.5 below require); 角位 0 and 分位 not 0 →
//   零 after 元 (¥16,309.02 → 壹万陆仟叁佰零玖元零贰分); 壹拾 rather than a bare 拾 at the start, so
//   nothing can be added in front.
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { FormaError } from '../../engine/errors.ts';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../../engine/print/format.ts';
import { capitalAmount } from '../../engine/print/numerals.ts';
import { refusal } from '../support/refusal.ts';

const refused = (fn: () => unknown) => refusal(Promise.resolve().then(fn));

describe('capitalAmount (大写金额)', () => {
  const cases: [string | number | Decimal, string][] = [
    [100000, '壹拾万元整'],
    ['1005.30', '壹仟零伍元叁角整'],
    [0, '零元整'],
    [0.05, '伍分'],
    ['0.50', '伍角整'],
    [10.05, '壹拾元零伍分'],
    [100.5, '壹佰元伍角整'],
    ['1000000.01', '壹佰万元零壹分'],
    [10000, '壹万元整'],
    [100010, '壹拾万零壹拾元整'],
    [1010, '壹仟零壹拾元整'],
    [105000, '壹拾万伍仟元整'],
    [100000000, '壹亿元整'],
    ['1000000000.00', '壹拾亿元整'],
    ['20.00', '贰拾元整'],
    [12.34, '壹拾贰元叁角肆分'],
    [-100, '负壹佰元整'],
    // The examples of the PBOC rules.
    [1409.5, '壹仟肆佰零玖元伍角整'],
    [6007.14, '陆仟零柒元壹角肆分'],
    [16309.02, '壹万陆仟叁佰零玖元零贰分'],
    [107000.53, '壹拾万柒仟元伍角叁分'],
    [1680.32, '壹仟陆佰捌拾元叁角贰分'],
    // 壹拾 at the start and inside; zeros across groups of four.
    [10, '壹拾元整'],
    [11, '壹拾壹元整'],
    [1, '壹元整'],
    [110, '壹佰壹拾元整'],
    [1100000, '壹佰壹拾万元整'],
    [100010001, '壹亿零壹万零壹元整'],
    [100001000, '壹亿零壹仟元整'],
    ['1000000001', '壹拾亿零壹元整'],
    [60036.04, '陆万零叁拾陆元零肆分'],
    [new Decimal('98765.40'), '玖万捌仟柒佰陆拾伍元肆角整'],
    ['1234567890123456.78', '壹仟贰佰叁拾肆万亿伍仟陆佰柒拾捌亿玖仟零壹拾贰万叁仟肆佰伍拾陆元柒角捌分'],
    // Half up to 分, exactly (0.005 and 1.005 are not exact as floats).
    ['0.005', '壹分'],
    [1.005, '壹元零壹分'],
    ['2.994', '贰元玖角玖分'],
    ['2.995', '叁元整'],
    ['-0.004', '零元整'],
    ['-1005.3', '负壹仟零伍元叁角整'],
    [' 42 ', '肆拾贰元整'],
    ['1e4', '壹万元整'],
  ];
  it.each(cases)('%s → %s', (value, expected) => {
    expect(capitalAmount(value)).toBe(expected);
  });

  it('writes a currency name before the amount (and before 负) with no space', () => {
    expect(capitalAmount(100000, { prefix: '人民币' })).toBe('人民币壹拾万元整');
    expect(capitalAmount('-0.5', { prefix: '人民币' })).toBe('人民币负伍角整');
  });

  it('refuses what is not an amount, and amounts past 千万亿', async () => {
    for (const value of ['abc', '', '100,000', '0x10', 'NaN', 'Infinity', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect((await refused(() => capitalAmount(value))).code, String(value)).toBe('print_amount_invalid');
    }
    const error = await refused(() => capitalAmount('10000000000000000'));
    expect(error.code).toBe('print_amount_too_large');
    expect(error.text['zh-CN']).toContain('10000000000000000');
    expect(capitalAmount('9999999999999999.99')).toMatch(/^玖仟玖佰玖拾玖万亿.*玖角玖分$/);
  });
});

describe('money, numbers, percentages and dates', () => {
  it('formats money with thousands separators, exactly, rounded half up', () => {
    expect(formatMoney(100000)).toBe('¥100,000.00');
    expect(formatMoney('1234567.895')).toBe('¥1,234,567.90');
    expect(formatMoney('12345678901234567.895')).toBe('¥12,345,678,901,234,567.90');
    expect(formatMoney(1.005)).toBe('¥1.01');
    expect(formatMoney('-1234.565', { symbol: '$', locale: 'en' })).toBe('-$1,234.57');
    expect(formatMoney('-0.001')).toBe('¥0.00');
    expect(formatMoney(5, { symbol: '', decimals: 0 })).toBe('5');
    expect(formatMoney(new Decimal('99.5'), { symbol: 'US$', decimals: 0 })).toBe('US$100');
  });

  it('formats numbers and percentages (in points) per locale', () => {
    expect(formatNumber('1234.50')).toBe('1,234.5');
    expect(formatNumber(2, { decimals: 2, locale: 'en' })).toBe('2.00');
    expect(formatNumber('-1234567.125', { decimals: 2 })).toBe('-1,234,567.13');
    expect(formatNumber(0)).toBe('0');
    expect(formatPercent(13)).toBe('13%');
    expect(formatPercent('12.345', { decimals: 1, locale: 'en' })).toBe('12.3%');
  });

  it('formats calendar dates as the day they name and moments on the Shanghai clock', () => {
    expect(formatDate('2026-11-23')).toBe('2026年11月23日');
    expect(formatDate('2026-11-23', { locale: 'en' })).toBe('November 23, 2026');
    expect(formatDate('2026-11-23', { format: 'short' })).toBe('2026/11/23');
    expect(formatDate('2026-11-23', { format: 'short', locale: 'en' })).toBe('11/23/2026');
    expect(formatDate('2026-11-23', { format: 'iso', locale: 'en' })).toBe('2026-11-23');
    // 20:30 UTC on the 22nd is 04:30 on the 23rd in Shanghai.
    expect(formatDate('2026-11-22T20:30:00Z', { format: 'datetime' })).toBe('2026年11月23日 04:30');
    expect(formatDate(new Date('2026-11-22T20:30:00Z'), { format: 'iso' })).toBe('2026-11-23');
    expect(formatDate('2026-11-22T20:30:00Z', { format: 'iso', timeZone: 'UTC' })).toBe('2026-11-22');
  });

  it('refuses what is not a number or a date', async () => {
    expect((await refused(() => formatMoney('12元'))).code).toBe('print_amount_invalid');
    expect((await refused(() => formatNumber('1,000'))).code).toBe('print_amount_invalid');
    const error = await refused(() => formatDate('not a date'));
    expect(error).toBeInstanceOf(FormaError);
    expect(error.code).toBe('print_date_invalid');
  });
});
