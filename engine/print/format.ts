import Decimal from 'decimal.js';
import { FormaError } from '../errors.ts';
import type { Locale } from '../i18n/text.ts';
import { DEFAULT_TIME_ZONE } from '../records/context.ts';
import { toDecimal, type Amount } from './numerals.ts';

/** How printed documents write money: `formatMoney`. */
export interface MoneyFormat {
  /** Written before the digits, with no space. Default '¥'; '' for none. */
  symbol?: string;
  /** Digits after the point, rounded half up. Default 2. */
  decimals?: number;
  /** Default 'zh-CN'. */
  locale?: Locale;
}

/**
 * An amount of money with thousands separators, rounded half up exactly (decimal.js, never a
 * float): `formatMoney(100000)` → '¥100,000.00', `formatMoney('-1234.565', { symbol: '$' })` →
 * '-$1,234.57', `formatMoney(5, { symbol: '', decimals: 0 })` → '5'.
 */
export function formatMoney(value: Amount, { symbol = '¥', decimals = 2, locale = 'zh-CN' }: MoneyFormat = {}): string {
  const amount = toDecimal(value).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  const sign = amount.isNegative() && !amount.isZero() ? '-' : '';
  return `${sign}${symbol}${grouped(amount.abs(), locale, decimals)}`;
}

/** How printed documents write numbers and percentages. */
export interface NumberFormat {
  /** Digits after the point, rounded half up; default: exactly the digits the value has. */
  decimals?: number;
  /** Default 'zh-CN'. */
  locale?: Locale;
}

/**
 * A number with thousands separators, exact: `formatNumber('1234.50')` → '1,234.5',
 * `formatNumber(2, { decimals: 2 })` → '2.00', `formatNumber(1.005, { decimals: 2 })` → '1.01'.
 */
export function formatNumber(value: Amount, { decimals, locale = 'zh-CN' }: NumberFormat = {}): string {
  const number = decimals === undefined ? toDecimal(value) : toDecimal(value).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  const sign = number.isNegative() && !number.isZero() ? '-' : '';
  return sign + grouped(number.abs(), locale, decimals);
}

/**
 * A percentage given in points, as Forma's `percent` fields hold them (13 means 13 %):
 * `formatPercent(13)` → '13%', `formatPercent('12.345', { decimals: 1 })` → '12.3%'.
 */
export function formatPercent(value: Amount, format: NumberFormat = {}): string {
  return `${formatNumber(value, format)}%`;
}

/** Digits of a non-negative decimal with the locale's separators; `decimals` fixed, or all it has. */
function grouped(value: Decimal, locale: Locale, decimals: number | undefined): string {
  const places = decimals ?? Math.min(value.decimalPlaces(), 20);
  const formatter = cached(numberFormats, `${locale}|${places}`, () =>
    new Intl.NumberFormat(locale, { minimumFractionDigits: places, maximumFractionDigits: places }));
  // Intl formats decimal text exactly (no float on the way): Intl.NumberFormat v3, Node ≥ 19.
  return formatter.format(value.toFixed(places) as `${number}`);
}

/** How `formatDate` writes a date (examples for 2026-11-23 09:30 in zh-CN / en). */
export type DateStyle =
  /** 2026年11月23日 / November 23, 2026 */
  | 'long'
  /** 2026/11/23 / 11/23/2026 */
  | 'short'
  /** 2026-11-23 in every locale */
  | 'iso'
  /** 2026年11月23日 09:30 / November 23, 2026 at 9:30 AM */
  | 'datetime';

export const DATE_STYLES: readonly DateStyle[] = ['long', 'short', 'iso', 'datetime'];

export interface DateFormat {
  /** Default 'long'. */
  format?: DateStyle;
  /** Default 'zh-CN'. */
  locale?: Locale;
  /** Whose wall clock moments are shown on; default the workspace's (Asia/Shanghai). */
  timeZone?: string;
}

const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  long: { year: 'numeric', month: 'long', day: 'numeric' },
  short: { year: 'numeric', month: '2-digit', day: '2-digit' },
  iso: { year: 'numeric', month: '2-digit', day: '2-digit' },
  datetime: { dateStyle: 'long', timeStyle: 'short', hourCycle: 'h23' },
};

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date or a moment as the locale writes it: `formatDate('2026-11-23')` → '2026年11月23日',
 * `formatDate('2026-11-23', { locale: 'en', format: 'short' })` → '11/23/2026'. A calendar date
 * ('YYYY-MM-DD', a `date` field) names a day and no time zone moves it; a moment (an ISO
 * timestamp or a Date, a `datetime` field) is shown on the workspace's wall clock.
 */
export function formatDate(value: string | Date, { format = 'long', locale = 'zh-CN', timeZone = DEFAULT_TIME_ZONE }: DateFormat = {}): string {
  const day = typeof value === 'string' && CALENDAR_DATE.test(value);
  const at = day ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(at.getTime())) throw new FormaError('print_date_invalid', { value: String(value) });
  const zone = day ? 'UTC' : timeZone;
  // en-CA writes dates as YYYY-MM-DD.
  const formatLocale = format === 'iso' ? 'en-CA' : locale;
  const formatter = cached(dateFormats, `${formatLocale}|${format}|${zone}`, () =>
    new Intl.DateTimeFormat(formatLocale, { ...DATE_OPTIONS[format], timeZone: zone }));
  return formatter.format(at);
}

// Intl formatters are costly to make and cheap to use: one per shape (see docs/decisions/0012).
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
