import Decimal from 'decimal.js';
import { toSVG } from 'bwip-js/node';
import Handlebars from 'handlebars';
import { FormaError, isFormaError, problem, type Problem } from '../errors.ts';
import type { Locale } from '../i18n/text.ts';
import { DATE_STYLES, formatDate, formatMoney, formatNumber, formatPercent, type DateStyle } from './format.ts';
import { capitalAmount, isAmount, toDecimal, type Amount } from './numerals.ts';

/** A problem in a print template, with where it is: line and column, both counted from 1. */
export type TemplateProblem = Problem & { line: number; column: number };

/** Options of a compiled template's rendering. */
export interface RenderOptions {
  /** The language of money, numbers and dates. Default 'zh-CN'. */
  locale?: Locale;
}

/** A compiled print template: the data (record, lines, lookups, company…) in, HTML out. */
export type PrintTemplate = (data: unknown, options?: RenderOptions) => string;

type HelperBody = (params: unknown[], hash: Record<string, unknown>, locale: Locale) => unknown;

/** Empty field values print as nothing rather than failing: an empty money field is no error. */
const isBlank = (value: unknown) => value === null || value === undefined || value === '';

/** Truth as Handlebars' `#if` sees it: false, 0, '', null, undefined and empty lists are false. */
const truthy = (value: unknown) => (Array.isArray(value) ? value.length > 0 : Boolean(value));

/** Amounts (numbers, numeric texts as numeric columns come back, Decimals) compare as numbers, other texts as texts. */
function compare(a: unknown, b: unknown): number | undefined {
  if (isAmount(a) && isAmount(b)) return toDecimal(a).comparedTo(toDecimal(b));
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

const equal = (a: unknown, b: unknown) => a === b || compare(a, b) === 0;

/** The `decimals=` of a helper, when given. */
function decimals(hash: Record<string, unknown>): { decimals?: number } {
  return hash.decimals !== undefined ? { decimals: Number(hash.decimals) } : {};
}

/** Code 128 holds printable ASCII; anything else would scan as garbage. */
const CODE_128_TEXT = /^[\x20-\x7e]+$/;

/** bwip-js draws `scale` SVG units per PostScript point (1/72 in). */
const BWIP_SCALE = 2;
const MM_PER_UNIT = 25.4 / 72 / BWIP_SCALE;

/** A bwip-js SVG with a physical size: its natural size (true module width), or `size` mm square. */
function sizedSvg(svg: string, size?: number): Handlebars.SafeString {
  const [, width = '0', height = '0'] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg) ?? [];
  const w = size ?? Number(width) * MM_PER_UNIT;
  const h = size ?? Number(height) * MM_PER_UNIT;
  return new Handlebars.SafeString(svg.replace('<svg ', `<svg width="${w.toFixed(2)}mm" height="${h.toFixed(2)}mm" `));
}

const helpers: Record<string, HelperBody> = {
  /** `{{money total}}` → ¥100,000.00; `symbol="$"`, `decimals=0`. */
  money: ([value], hash, locale) => isBlank(value) ? '' : formatMoney(value as Amount, {
    locale, ...(hash.symbol !== undefined ? { symbol: String(hash.symbol) } : {}), ...decimals(hash),
  }),
  /** `{{capital total prefix="人民币"}}` → 人民币壹拾万元整. */
  capital: ([value], hash) => isBlank(value) ? '' : capitalAmount(value as Amount, hash.prefix !== undefined ? { prefix: String(hash.prefix) } : {}),
  /** `{{number quantity decimals=2}}` → 1,234.50. */
  number: ([value], hash, locale) => isBlank(value) ? '' : formatNumber(value as Amount, { locale, ...decimals(hash) }),
  /** `{{percent discount}}` → 13% (points, as percent fields hold them). */
  percent: ([value], hash, locale) => isBlank(value) ? '' : formatPercent(value as Amount, { locale, ...decimals(hash) }),
  /** `{{date signed_on format="short"}}`: long (default), short, iso, datetime. */
  date: ([value], hash, locale) => {
    if (isBlank(value)) return '';
    const format = (hash.format ?? 'long') as DateStyle;
    if (!DATE_STYLES.includes(format)) throw new Error(`format must be one of ${DATE_STYLES.join(', ')}`);
    return formatDate(value as string | Date, { locale, format });
  },
  eq: ([a, b]) => equal(a, b),
  ne: ([a, b]) => !equal(a, b),
  gt: ([a, b]) => compare(a, b) === 1,
  lt: ([a, b]) => compare(a, b) === -1,
  and: (values) => values.every(truthy),
  or: (values) => values.some(truthy),
  not: ([value]) => !truthy(value),
  /** `{{money (add subtotal freight)}}`: exact decimal sums (blank values count as 0), for totals a document works out. */
  add: (values) => values.reduce<Decimal>((sum, v) => (isBlank(v) ? sum : sum.plus(toDecimal(v as Amount))), new Decimal(0)).toString(),
  /** `{{money (sub ordered received)}}`: the first amount less the others, exactly (a statement's balance). */
  sub: ([first, ...rest]) => rest.reduce<Decimal>((left, v) => (isBlank(v) ? left : left.minus(toDecimal(v as Amount))), isBlank(first) ? new Decimal(0) : toDecimal(first as Amount)).toString(),
  /** `{{index1 @index}}`: line numbers counted from 1. */
  index1: ([index]) => Number(index) + 1,
  /** `{{barcode number}}`: a Code 128 bar code with its text, `height` mm of bars (default 10), `text=false` to leave the text out. */
  barcode: ([value], hash) => {
    if (isBlank(value)) return '';
    const text = String(value);
    if (!CODE_128_TEXT.test(text)) throw new FormaError('print_barcode_invalid', { value: text });
    return sizedSvg(toSVG({
      bcid: 'code128', text, scale: BWIP_SCALE, height: Number(hash.height ?? 10), includetext: hash.text !== false, textxalign: 'center',
    }));
  },
  /** `{{qrcode url size=25}}`: a QR code (UTF-8, error correction M), `size` mm square (default 25). */
  qrcode: ([value], hash) => {
    if (isBlank(value)) return '';
    // `eclevel` is a BWIPP option bwip-js's types do not list.
    const options: Parameters<typeof toSVG>[0] & { eclevel: string } = { bcid: 'qrcode', text: String(value), scale: BWIP_SCALE, eclevel: 'M' };
    return sizedSvg(toSVG(options), Number(hash.size ?? 25));
  },
};

/** The helpers print templates may use, besides Handlebars' own `if`, `unless`, `each`, `with` and `lookup`. */
export const PRINT_HELPERS: readonly string[] = Object.keys(helpers);

/**
 * The isolated Handlebars of print templates: only Forma's helpers are registered in it (other
 * code using Handlebars is not affected), and `log` is removed — a template cannot write to the
 * server's log. A helper failing for another reason than a FormaError becomes `print_helper_failed`.
 */
const env = Handlebars.create();
env.unregisterHelper('log');
for (const [name, body] of Object.entries(helpers)) {
  env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Handlebars.HelperOptions & { loc?: unknown };
    // `{{number}}` alone prints the field `number` (a quote's 报价单号), as if no helper had its name.
    if (args.length === 0) return fieldOf(this, name, options.loc);
    try {
      return body(args, options.hash, (options.data as { locale?: Locale } | undefined)?.locale ?? 'zh-CN');
    } catch (error) {
      if (isFormaError(error)) throw error;
      throw new FormaError('print_helper_failed', { helper: name, detail: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** A field of the context, missing as in strict mode: the error Handlebars gives, at the mustache's place. */
function fieldOf(context: unknown, name: string, loc: unknown): unknown {
  if (typeof context === 'object' && context !== null && Object.hasOwn(context, name)) return (context as Record<string, unknown>)[name];
  throw new env.Exception(`"${name}" not defined in ${String(context)}`, { loc } as unknown as hbs.AST.Node);
}

/**
 * `strict`: a field the data lacks is an error when rendering, not an empty space on a quote
 * sent to a customer (helper arguments stay lenient: `{{money discount}}` of a missing field is
 * empty). `knownHelpersOnly`: a misspelt helper is an error when the template is compiled.
 */
const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  knownHelpersOnly: true,
  knownHelpers: { ...Object.fromEntries(PRINT_HELPERS.map((name) => [name, true])), log: false },
};

/**
 * Compiles a print template (the Handlebars HTML of a printTemplate's `source`, `header` or
 * `footer`). Errors are found now, not when a customer's quote is printed: a syntax error or an
 * unknown helper is thrown as `print_template_invalid` with one problem at `path` giving the
 * line and column (from 1). Rendering the result throws `print_render_failed`: a field missing
 * from the data (`print_field_missing`, with line and column) or a helper that failed.
 *
 * @example
 *   const quote = compileTemplate('<h1>{{company.name}}</h1><p>{{capital total prefix="人民币"}}</p>');
 *   quote({ company: { name: '新时代网络公司' }, total: '100000' }, { locale: 'zh-CN' });
 *   // '<h1>新时代网络公司</h1><p>人民币壹拾万元整</p>'
 */
export function compileTemplate(source: string, { path = '/source' }: { path?: string } = {}): PrintTemplate {
  try {
    // Handlebars compiles lazily on the first render: precompiling reports every error now.
    env.precompile(source, COMPILE_OPTIONS);
  } catch (error) {
    throw new FormaError('print_template_invalid', {}, [compileProblem(error, path)]);
  }
  const template = env.compile(source, COMPILE_OPTIONS);
  return (data, { locale = 'zh-CN' } = {}) => {
    try {
      return template(data, { data: { locale } });
    } catch (error) {
      throw new FormaError('print_render_failed', {}, [renderProblem(error, path)]);
    }
  };
}

/** What Handlebars tells of where an error is: `lineNumber`/`column` (column from 0) on its Exceptions. */
interface HandlebarsError extends Error {
  lineNumber?: number;
  column?: number;
}

/** The part of a Handlebars message that is about the template: without its " - line:column" suffix. */
const detailOf = (error: HandlebarsError) => error.message.replace(/ - \d+:\d+$/, '');

function compileProblem(error: unknown, path: string): TemplateProblem {
  const e = error as HandlebarsError;
  const unknownHelper = /unknown helper (\S+)/.exec(e.message);
  if (unknownHelper && e.lineNumber !== undefined) {
    const at = { line: e.lineNumber, column: (e.column ?? 0) + 1 };
    return { ...problem('print_helper_unknown', path, { helper: unknownHelper[1], ...at }), ...at };
  }
  const at = e.lineNumber !== undefined ? { line: e.lineNumber, column: (e.column ?? 0) + 1 } : parseErrorPosition(e);
  // A parse error's message shows an excerpt and a caret over several lines: its last line says what was expected.
  const detail = e.lineNumber !== undefined ? detailOf(e) : e.message.split('\n').at(-1) ?? e.message;
  return { ...problem('print_syntax_error', path, { detail, ...at }), ...at };
}

/**
 * Where a parse error is. Its message says only "Parse error on line N"; the column comes from
 * the token the (shared, synchronous) Handlebars lexer stopped at, when it is on that line.
 */
function parseErrorPosition(error: Error): { line: number; column: number } {
  const line = Number(/Parse error on line (\d+)/.exec(error.message)?.[1] ?? 1);
  const lexer = (env as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } }).Parser?.lexer;
  const at = lexer?.yylloc;
  return { line, column: at && at.first_line === line ? at.first_column + 1 : 1 };
}

function renderProblem(error: unknown, path: string): Problem {
  if (isFormaError(error)) return { code: error.code, message: error.text, path };
  const e = error as HandlebarsError;
  const missing = /^"(.+)" not defined in/.exec(e.message);
  if (missing && e.lineNumber !== undefined) {
    const at = { line: e.lineNumber, column: (e.column ?? 0) + 1 };
    return { ...problem('print_field_missing', path, { field: missing[1], ...at }), ...at };
  }
  return problem('print_render_error', path, { detail: e instanceof Error ? detailOf(e) : String(error) });
}
