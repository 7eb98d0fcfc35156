import { PassThrough, Readable } from 'node:stream';
import { contentDisposition } from '../api/content-disposition.server.ts';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { parseJson } from '../../engine/metadata/load-documents.ts';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import { documentKey, type EntityDocument, type FieldDefinition } from '../../engine/metadata/model.ts';
import { DEFAULT_TIME_ZONE } from '../../engine/records/context.ts';
import { exportRecords } from '../../engine/records/export.ts';
import type { FilterTree, SortKey } from '../../engine/records/query/index.ts';
import { accessOf, type Access } from '../../engine/security/access.ts';
import { userNames } from '../../engine/security/users.ts';
import { ApiError, apiError } from '../api/errors.server.ts';
import { endpoint, queryParameters } from '../api/http.server.ts';
import { preferredLocale } from '../api/locale.server.ts';
import { formatCell } from '../format.server.ts';
import { label, LOCALES, t, type Locale } from '../text/index.ts';

/** The formats an export comes in. */
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One column of an export: a field of the entity (or a system column) and its header. */
export interface ExportColumn {
  field: string;
  header: string;
  definition: FieldDefinition;
}

/** System columns an export ends with, as the fields they are shown as. */
const SYSTEM_COLUMNS = [
  { field: 'created_at', text: 'created_at', type: 'datetime' },
  { field: 'updated_at', text: 'updated_at', type: 'datetime' },
] as const;

/**
 * `GET /api/v1/records/:entity/export?format=xlsx|csv&filter=<JSON>&sort=-code,name&fields=a,b`:
 * every record the filter matches (all of them without one), in the sort, as an Excel workbook
 * or a CSV file (UTF-8 with a byte order mark, so Excel reads Chinese right), with the fields
 * the person may see (or those asked for) under headers in their language (the language they
 * chose in the app, else `Accept-Language`), values formatted as the screens show them. Needs
 * the `export` right (403 otherwise). Streamed: records are read page by page through cursors
 * as the client takes the file, never all at once. Logged as `export` with the count.
 */
export const recordExport = endpoint({
  GET: async ({ request, params, deps, actor, address }) => {
    const parameters = queryParameters(request, ['format', 'filter', 'sort', 'fields']);
    const format = parameters.get('format');
    if (!EXPORT_FORMATS.includes(format as ExportFormat)) {
      throw apiError(400, 'parameter_invalid', { name: 'format', expectedZh: 'xlsx 或 csv', expectedEn: 'xlsx or csv' });
    }
    const entityName = params.entity ?? '';
    const filter = parameters.has('filter') ? jsonParameter(parameters.get('filter')!, 'filter') as FilterTree : undefined;
    const sort = parameters.has('sort') ? sortOf(parameters.get('sort')!) : undefined;
    const asked = parameters.get('fields')?.split(',').map((f) => f.trim()).filter(Boolean);
    const locale = requestLocale(request);
    const ctx = { db: deps.db, workspace: deps.workspace };

    const started = await exportRecords(ctx, actor, entityName, {
      ...(filter !== undefined ? { filter } : {}), ...(sort ? { sort } : {}), ...(asked ? { fields: asked } : {}),
    }, { format: format!, ...(address ? { address } : {}) });
    // The export right and the query passed: the entity exists for the person and they may read it.
    const { model } = await cachedModel(deps.db, deps.workspace);
    const access = await accessOf(deps.db, deps.workspace, actor, model);
    const entity = model.get(documentKey({ kind: 'entity', name: entityName })) as EntityDocument;
    const columns = exportColumns(entity, access, locale, asked);
    const title = label(entity.label, locale);
    const rows = formattedRows(started.pages, columns, deps.db, locale);
    const body = format === 'csv' ? csvStream(columns, rows) : xlsxStream(columns, rows, title);
    return new Response(body, {
      headers: {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': contentDisposition('attachment', `${title}-${stamp(new Date())}.${format}`),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  },
});

/**
 * The columns of an export: the fields asked for, in that order, or every field of the entity
 * the person may see (without line items), then created and updated times.
 */
export function exportColumns(entity: EntityDocument, access: Access, locale: Locale, fields?: string[]): ExportColumn[] {
  const hidden = access.entity(entity.name)?.hidden ?? new Set<string>();
  const own = (name: string): ExportColumn | undefined => {
    const definition = entity.schema.properties[name];
    if (!definition || definition['x-forma'].archived || definition['x-forma'].type === 'lines' || hidden.has(name)) return undefined;
    return { field: name, header: label(definition['x-forma'].label, locale), definition };
  };
  if (fields) return fields.map(own).filter((c): c is ExportColumn => c !== undefined);
  return [
    ...Object.keys(entity.schema.properties).map(own).filter((c): c is ExportColumn => c !== undefined),
    ...SYSTEM_COLUMNS.map((s) => ({
      field: s.field, header: t(locale, s.text),
      definition: { 'x-forma': { type: s.type, label: { 'zh-CN': t('zh-CN', s.text), en: t('en', s.text) } } } as FieldDefinition,
    })),
  ];
}

/** A value as an export cell: its formatted text, and for Excel a typed value with its number format. */
interface ExportCell {
  text: string;
  value: string | number | Date | null;
  numFmt?: string;
}

/**
 * The records of each page as rows of cells: lookups and users by their names (user names read
 * once per page for the ids not seen before), everything else as `formatCell` shows it.
 */
async function* formattedRows(
  pages: AsyncIterable<Record<string, unknown>[]>, columns: ExportColumn[], db: Parameters<typeof userNames>[0], locale: Locale,
): AsyncGenerator<ExportCell[][]> {
  const users = new Map<string, string>();
  const userFields = columns.filter((c) => c.definition['x-forma'].type === 'user').map((c) => c.field);
  for await (const records of pages) {
    const unknown = records.flatMap((r) => userFields.map((f) => r[f] as string | null)).filter((id): id is string => Boolean(id) && !users.has(id!));
    if (unknown.length) for (const [id, name] of await userNames(db, unknown)) users.set(id, name);
    yield records.map((record) => columns.map((column) => {
      const value = record[column.field];
      const lookupLabel = (record._labels as Record<string, string | null> | undefined)?.[column.field];
      const text = quickText(column.definition, value, locale) ?? formatCell(column.definition, value, { locale, users, lookupLabel }).text;
      return { text, ...typedValue(column.definition, value, text) };
    }));
  }
}

/** Numbers stay numbers in Excel (so they add up), dates stay dates; everything else is its text. */
function typedValue(definition: FieldDefinition, value: unknown, text: string): Pick<ExportCell, 'value' | 'numFmt'> {
  if (value === null || value === undefined || value === '') return { value: null };
  const options = definition['x-forma'];
  const type = options.type === 'formula' ? (options.resultType ?? 'text') : options.type;
  const decimals = (scale: number) => (scale > 0 ? `.${'0'.repeat(scale)}` : '');
  switch (type) {
    case 'money': {
      const scale = options.scale ?? 2;
      const currency = options.currency ?? 'CNY';
      const symbol = currency === 'CNY' ? '¥' : currency === 'USD' ? '$' : currency === 'EUR' ? '€' : `${currency} `;
      return { value: Number(value), numFmt: `"${symbol}"#,##0${decimals(scale)};-"${symbol}"#,##0${decimals(scale)}` };
    }
    case 'integer':
      return { value: Number(value), numFmt: '0' };
    case 'decimal':
      return { value: Number(value), numFmt: `#,##0${decimals(options.scale ?? 2)}` };
    case 'percent':
      return { value: Number(value), numFmt: `0${decimals(options.scale ?? 2)}"%"` };
    case 'date':
      return { value: new Date(`${String(value).slice(0, 10)}T00:00:00Z`), numFmt: 'yyyy-mm-dd' };
    case 'datetime':
      return { value: wallClock(new Date(String(value))), numFmt: 'yyyy-mm-dd hh:mm' };
    default:
      return { value: text };
  }
}

/**
 * Intl formatters, made once per set of options: making one costs ~0.05–0.1 ms, and an export
 * formats several values per row, a million rows at a time.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n${locale}${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.NumberFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d${locale}${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/**
 * The text of numbers, money, dates and moments exactly as `formatCell` (app/format.server.ts)
 * writes it — the same Intl options — with formatters made once (tests/app/lists-export-format.test.ts
 * holds the two equal); undefined for the other types, which `formatCell` formats.
 */
export function quickText(definition: FieldDefinition, value: unknown, locale: Locale): string | undefined {
  if (value === null || value === undefined || value === '') return '';
  const options = definition['x-forma'];
  const type = options.type === 'formula' ? (options.resultType ?? 'text') : options.type;
  switch (type) {
    case 'money': {
      const scale = options.scale ?? 2;
      return numberFormat(locale, { style: 'currency', currency: options.currency ?? 'CNY', minimumFractionDigits: scale, maximumFractionDigits: scale }).format(Number(value));
    }
    case 'integer':
    case 'decimal':
      return numberFormat(locale, { maximumFractionDigits: options.scale ?? 2 }).format(Number(value));
    case 'percent':
      return `${numberFormat(locale, { maximumFractionDigits: options.scale ?? 2 }).format(Number(value))}%`;
    case 'date':
      return dateFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).format(new Date(`${String(value).slice(0, 10)}T00:00:00Z`));
    case 'datetime':
      return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: DEFAULT_TIME_ZONE }).format(new Date(String(value)));
    default:
      return undefined;
  }
}

/** A moment as the clock on the wall shows it in the workspace's time zone, as a UTC Date (Excel has no time zones). */
function wallClock(moment: Date): Date {
  const parts = Object.fromEntries(dateFormat('en-GB', {
    timeZone: DEFAULT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(moment).map((p) => [p.type, p.value]));
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)));
}

const encoder = new TextEncoder();

/**
 * CSV in UTF-8 with a byte order mark (Excel takes a file without one for the local code page
 * and shows Chinese as mojibake), CRLF line ends, one chunk per page, made when the client
 * asks for more (`pull`), so a slow client slows the reading down instead of filling memory.
 * A text starting with = + - @ (or a tab or CR) is prefixed with ' so a spreadsheet does not run it as a formula.
 */
function csvStream(columns: ExportColumn[], rows: AsyncGenerator<ExportCell[][]>): ReadableStream<Uint8Array> {
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`\uFEFF${stringify([columns.map((c) => c.header)], { record_delimiter: 'windows' })}`));
          return;
        }
        const next = await rows.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(stringify(next.value.map((row) => row.map(csvText)), { record_delimiter: 'windows' })));
      } catch (error) {
        console.error('Forma: export failed while streaming', error);
        controller.error(error);
      }
    },
    async cancel() {
      await rows.return(undefined);
    },
  }, { highWaterMark: 1 });
}

function csvText(cell: ExportCell): string {
  return /^[=+\-@\t\r]/.test(cell.text) && typeof cell.value === 'string' ? `'${cell.text}` : cell.text;
}

/** Rows per worksheet besides the header: Excel's limit is 1,048,576 rows. */
const SHEET_ROWS = 1_048_575;

/**
 * An Excel workbook written by exceljs's streaming writer: each page's rows are committed (turned
 * into XML and zipped) as they come, and the next page is read only once the response has taken
 * what was written (the stream drained). A workbook over Excel's row limit continues on another sheet.
 */
function xlsxStream(columns: ExportColumn[], rows: AsyncGenerator<ExportCell[][]>, title: string): ReadableStream<Uint8Array> {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Forma';
  const name = sheetName(title);
  const widths = columns.map((c) => Math.min(60, Math.max(10, width(c.header) + 2)));
  let sheets = 0;
  const newSheet = () => {
    sheets += 1;
    const sheet = workbook.addWorksheet(sheets === 1 ? name : `${name.slice(0, 26)} (${sheets})`, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = columns.map((c, i) => ({ header: c.header, key: c.field, width: widths[i] }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    return sheet;
  };
  (async () => {
    let sheet = newSheet();
    let inSheet = 0;
    // Leaving the loop early (the client went away) ends the export's reading, which logs it as incomplete.
    for await (const page of rows) {
      if (out.destroyed) break;
      for (const cells of page) {
        if (inSheet === SHEET_ROWS) {
          sheet.commit();
          sheet = newSheet();
          inSheet = 0;
        }
        const row = sheet.addRow(cells.map((c) => c.value));
        cells.forEach((c, i) => {
          if (c.numFmt) row.getCell(i + 1).numFmt = c.numFmt;
        });
        row.commit();
        inSheet += 1;
      }
      if (out.writableNeedDrain && !out.destroyed) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    }
    if (out.destroyed) return;
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => {
    console.error('Forma: export failed while streaming', error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ */
function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
}

/** Roughly how many character widths a text takes (CJK characters count two). */
function width(text: string): number {
  return [...text].reduce((n, ch) => n + (/[\u2E80-\uFFFF]/.test(ch) ? 2 : 1), 0);
}

/** 20261122-1530 in the workspace's time zone. */
function stamp(at: Date): string {
  const w = wallClock(at).toISOString();
  return `${w.slice(0, 10).replace(/-/g, '')}-${w.slice(11, 16).replace(':', '')}`;
}

/** The person's language: the one they chose in the app (cookie), else the request's Accept-Language. */
export function requestLocale(request: Request): Locale {
  const chosen = /(?:^|;\s*)forma_locale=([^;]+)/.exec(request.headers.get('Cookie') ?? '')?.[1];
  return LOCALES.find((l) => l === chosen) ?? preferredLocale(request.headers.get('Accept-Language'));
}

/** `-code,name` → sort keys, as the list API reads them. */
export function sortOf(text: string): SortKey[] {
  return text.split(',').map((key) => key.trim()).filter(Boolean).map((key) =>
    key.startsWith('-') ? { field: key.slice(1), direction: 'desc' as const } : { field: key, direction: 'asc' as const });
}

function jsonParameter(text: string, name: string): unknown {
  const parsed = parseJson(text, name);
  if ('problem' in parsed) throw new ApiError(400, 'json_malformed', parsed.problem.message, [parsed.problem]);
  return parsed.value;
}
