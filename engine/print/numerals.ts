import Decimal from 'decimal.js';
import { FormaError } from '../errors.ts';

/** What an amount may be given as: a number, the text of one ('1005.30', as numeric columns come back), or a Decimal. */
export type Amount = string | number | Decimal;

/** Plain decimal text: an optional sign, digits with an optional fraction, an optional exponent. No separators, no hex. */
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Whether a value is an amount `toDecimal` takes: a finite number or Decimal, or a text in plain
 * decimal notation ('100000', ' -12.5 ', '1e6'; not '100,000', '0x10' or 'NaN').
 */
export function isAmount(value: unknown): value is Amount {
  if (Decimal.isDecimal(value)) return value.isFinite();
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && DECIMAL_TEXT.test(value.trim());
}

/** An amount as an exact Decimal (see `isAmount`); anything else is refused with `print_amount_invalid`. */
export function toDecimal(value: Amount): Decimal {
  if (!isAmount(value)) throw new FormaError('print_amount_invalid', { value: String(value) });
  return Decimal.isDecimal(value) ? value : new Decimal(typeof value === 'string' ? value.trim() : value);
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
/** Places inside a group of four digits, from the right. */
const PLACES = ['', '拾', '佰', '仟'];
/** Units of the groups of four digits, from the right: up to 千万亿 (16 integer digits). */
const GROUP_UNITS = ['', '万', '亿', '万亿'];
const MAX_INTEGER_DIGITS = GROUP_UNITS.length * 4;

export interface CapitalOptions {
  /** Written before the amount (and before 负), with no space: '人民币' gives 人民币壹拾万元整. Default none. */
  prefix?: string;
}

/**
 * An amount in Chinese capital numerals as written on invoices, cheques and contracts (大写金额):
 * `capitalAmount(100000)` → '壹拾万元整', `capitalAmount('1005.30')` → '壹仟零伍元叁角整',
 * `capitalAmount(10.05)` → '壹拾元零伍分', `capitalAmount(-100)` → '负壹佰元整',
 * `capitalAmount(100000, { prefix: '人民币' })` → '人民币壹拾万元整'.
 *
 * Computed exactly (decimal.js) and rounded half up to 分 (四舍五入). The rules, from 财政部
 * 《会计基础工作规范》第五十二条 and 中国人民银行《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》:
 * - 元 after the integer part; 整 after 元 or 角 when there is no 分, never after 分;
 * - a run of zeros between digits is one 零 (1005 → 壹仟零伍, 100010 → 壹拾万零壹拾);
 *   zeros at the end of a group before 万/亿 need none (105000 → 壹拾万伍仟);
 * - 零 between 元 and 分 when 角 is 0 and there is an integer part (10.05 → 壹拾元零伍分);
 *   where the rules allow 零 or not (元位 0 with 角 non-zero: 100.5) none is written: 壹佰元伍角整;
 * - no 零元 for amounts below one yuan (0.05 → 伍分); zero is 零元整;
 * - 壹拾, never a bare 拾, also at the start (10 → 壹拾元整), so nothing can be written in front;
 * - a negative amount starts with 负 (after the prefix).
 * At most 16 integer digits (千万亿): larger amounts are refused with `print_amount_too_large`;
 * anything not an amount with `print_amount_invalid`.
 */
export function capitalAmount(value: Amount, options: CapitalOptions = {}): string {
  const amount = toDecimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const [integer = '0', fraction = '00'] = amount.abs().toFixed(2).split('.');
  if (integer.length > MAX_INTEGER_DIGITS) throw new FormaError('print_amount_too_large', { value: String(value) });
  const jiao = Number(fraction[0]);
  const fen = Number(fraction[1]);

  let text = integer === '0' ? '' : `${integerCapital(integer)}元`;
  if (jiao) text += `${DIGITS[jiao]}角`;
  else if (fen && text) text += '零';
  if (fen) text += `${DIGITS[fen]}分`;
  if (!text) text = '零元';
  if (!fen) text += '整';
  return `${options.prefix ?? ''}${amount.isNegative() && !amount.isZero() ? '负' : ''}${text}`;
}

/** A positive integer (decimal digits, no leading zero) in capital numerals, group of four by group of four. */
function integerCapital(digits: string): string {
  const groups = Math.ceil(digits.length / 4);
  const padded = digits.padStart(groups * 4, '0');
  let text = '';
  let zeroBefore = false;
  for (let g = 0; g < groups; g++) {
    const group = padded.slice(g * 4, g * 4 + 4);
    if (group === '0000') {
      zeroBefore = text !== '';
      continue;
    }
    // 零 when zeros separate this group from the digits written before it.
    if (text && (zeroBefore || group[0] === '0')) text += '零';
    text += groupCapital(group) + GROUP_UNITS[groups - 1 - g];
    zeroBefore = false;
  }
  return text;
}

/** Four digits, not all zero, in capital numerals: leading and trailing zeros are silent, inner runs one 零. */
function groupCapital(group: string): string {
  let text = '';
  let zeroPending = false;
  for (let i = 0; i < 4; i++) {
    const digit = Number(group[i]);
    if (digit === 0) {
      zeroPending = text !== '';
      continue;
    }
    if (zeroPending) text += '零';
    text += DIGITS[digit]! + PLACES[3 - i]!;
    zeroPending = false;
  }
  return text;
}
