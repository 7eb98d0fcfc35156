import type { ErrorSchema } from '@rjsf/utils';
import type { Locale } from '../text/index.ts';
import type { FieldSpec, FormSpec, FormValues } from './types.ts';

/**
 * Pure helpers of record forms, shared by the page, its widgets and the tests: the values a
 * form starts with, what it sends (a whole record to create, only the changes to patch), and
 * where the server's problems go.
 */

let counter = 0;

/** A drag identity for a line row that has no id yet. */
export function rowKey(): string {
  counter += 1;
  return `new-${Date.now().toString(36)}-${counter}`;
}

/** A new line row: the child fields' defaults, as the engine would fill them in. */
export function newRow(fields: FieldSpec[]): FormValues {
  const row: FormValues = { _key: rowKey() };
  for (const f of fields) if (f.default !== undefined) row[f.name] = structuredClone(f.default);
  return row;
}

/**
 * What a form starts with. A new record: the defaults of the fields the person may write, then
 * what the page was opened with (`?customer=<id>` from a customer's related list). An existing
 * record: its values, line rows keyed by their id.
 */
export function initialValues(spec: FormSpec, record: FormValues | undefined, prefill: FormValues = {}): FormValues {
  const values: FormValues = {};
  for (const f of Object.values(spec.fields)) {
    if (record) {
      const value = record[f.name];
      if (f.type === 'lines') values[f.name] = (Array.isArray(value) ? value : []).map((row: FormValues) => ({ ...row, _key: row.id ?? rowKey() }));
      else if (value !== undefined && value !== null) values[f.name] = value;
      continue;
    }
    if (f.type === 'lines') values[f.name] = [];
    else if (!f.readOnly && f.default !== undefined) values[f.name] = structuredClone(f.default);
  }
  if (!record) for (const [name, value] of Object.entries(prefill)) if (spec.fields[name] && !spec.fields[name]!.readOnly) values[name] = value;
  return values;
}

/** Empty as a record holds it: nothing typed, or cleared. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A line row as the API takes it: its id (rows kept), the child fields the person may write. */
function rowPayload(fields: FieldSpec[], row: FormValues, keepEmpty: boolean): FormValues {
  const out: FormValues = {};
  if (typeof row.id === 'string') out.id = row.id;
  for (const f of fields) {
    if (f.readOnly) continue;
    const value = row[f.name];
    if (!isEmpty(value)) out[f.name] = value;
    else if (keepEmpty && row.id !== undefined) out[f.name] = null;
  }
  return out;
}

function linesPayload(spec: FieldSpec, rows: unknown, keepEmpty: boolean): FormValues[] {
  return (Array.isArray(rows) ? (rows as FormValues[]) : []).map((row) => rowPayload(spec.lines?.fields ?? [], row, keepEmpty));
}

/** The body of `POST /api/v1/records/:entity`: the writable fields that have a value. */
export function createPayload(spec: FormSpec, values: FormValues): FormValues {
  const body: FormValues = {};
  for (const f of Object.values(spec.fields)) {
    if (f.readOnly) continue;
    if (f.type === 'lines') {
      const rows = linesPayload(f, values[f.name], false);
      if (rows.length) body[f.name] = rows;
      continue;
    }
    if (!isEmpty(values[f.name])) body[f.name] = values[f.name];
  }
  return body;
}

/**
 * The fields changed since the record was read, as `PATCH` takes them: a cleared field as null,
 * a changed `lines` field as all its rows (kept rows with their id; the engine replaces the
 * rows with these). Read-only fields are never sent.
 */
export function changesOf(spec: FormSpec, original: FormValues, values: FormValues): FormValues {
  const changes: FormValues = {};
  for (const f of Object.values(spec.fields)) {
    if (f.readOnly) continue;
    if (f.type === 'lines') {
      const before = linesPayload(f, original[f.name], true);
      const after = linesPayload(f, values[f.name], true);
      if (JSON.stringify(before) !== JSON.stringify(after)) changes[f.name] = after;
      continue;
    }
    const before = isEmpty(original[f.name]) ? null : original[f.name];
    const after = isEmpty(values[f.name]) ? null : values[f.name];
    if (JSON.stringify(before) !== JSON.stringify(after)) changes[f.name] = after;
  }
  return changes;
}

/**
 * "Keep mine" after a conflict: my changes (mine against the version I read, `base`) applied on
 * the record as it is now (`theirs`), field by field — and in a `lines` field row by row and
 * cell by cell, rows matched by id: a cell I changed takes my value, every other cell keeps
 * theirs; rows I added stay, rows I removed go, rows they added are kept after mine, a row they
 * removed comes back only if I changed it (as a new row).
 */
export function rebase(spec: FormSpec, base: FormValues, mine: FormValues, theirs: FormValues): FormValues {
  const next: FormValues = { ...theirs };
  for (const f of Object.values(spec.fields)) {
    if (f.readOnly) continue;
    if (f.type === 'lines') {
      next[f.name] = rebaseRows(f, rowsOf(base[f.name]), rowsOf(mine[f.name]), rowsOf(theirs[f.name]));
      continue;
    }
    if (JSON.stringify(base[f.name] ?? null) !== JSON.stringify(mine[f.name] ?? null)) next[f.name] = mine[f.name];
  }
  return next;
}

function rowsOf(value: unknown): FormValues[] {
  return Array.isArray(value) ? (value as FormValues[]) : [];
}

function rebaseRows(spec: FieldSpec, base: FormValues[], mine: FormValues[], theirs: FormValues[]): FormValues[] {
  const cells = (spec.lines?.fields ?? []).filter((c) => !c.readOnly).map((c) => c.name);
  const baseById = new Map(base.filter((r) => r.id).map((r) => [r.id as string, r]));
  const theirsById = new Map(theirs.filter((r) => r.id).map((r) => [r.id as string, r]));
  const mineIds = new Set(mine.filter((r) => r.id).map((r) => r.id as string));
  const rows: FormValues[] = [];
  for (const row of mine) {
    const id = row.id as string | undefined;
    if (!id) {
      rows.push(row);
      continue;
    }
    const before = baseById.get(id) ?? {};
    const changed = cells.filter((c) => JSON.stringify(before[c] ?? null) !== JSON.stringify(row[c] ?? null));
    const now = theirsById.get(id);
    if (now) rows.push({ ...now, ...Object.fromEntries(changed.map((c) => [c, row[c]])), _key: row._key ?? id });
    else if (changed.length) rows.push({ ...Object.fromEntries(Object.entries(row).filter(([k]) => k !== 'id')), _key: rowKey() });
  }
  for (const row of theirs) if (row.id && !baseById.has(row.id as string) && !mineIds.has(row.id as string)) rows.push({ ...row, _key: row.id });
  return rows;
}

/** A problem as the API answers it. */
export interface ApiProblem {
  code: string;
  path: string;
  message: Record<string, string>;
}

/** JSON Pointer segments (`/lines/2/qty` → ['lines', '2', 'qty']). */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Codes whose message is "<field label>：<what is wrong>": beside the field, the label is left out. */
const LABELLED = new Set(['field_value_invalid', 'number_taken', 'value_taken']);

function besideField(problem: ApiProblem, locale: Locale): string {
  const text = problem.message[locale] ?? problem.message['zh-CN'] ?? problem.message.en ?? problem.code;
  if (!LABELLED.has(problem.code)) return text;
  const cut = locale === 'en' ? text.indexOf(': ') : text.indexOf('：');
  return cut > 0 ? text.slice(cut + (locale === 'en' ? 2 : 1)) : text;
}

/**
 * The server's problems as rjsf `extraErrors`, each beside its field (`/name`) or line cell
 * (`/lines/2/qty` → row 3's qty), in the person's language; problems about no field the form
 * shows (the whole record, a hidden field) are returned as `general`, to show above the form.
 */
export function problemsToErrors(problems: ApiProblem[], spec: FormSpec, locale: Locale): { errorSchema: ErrorSchema; general: string[] } {
  const errorSchema: ErrorSchema = {};
  const general: string[] = [];
  for (const problem of problems) {
    const [field, index, child] = pointerSegments(problem.path);
    const f = field === undefined ? undefined : spec.fields[field];
    let at: string[] | undefined;
    if (f && f.type === 'lines' && index !== undefined && /^[0-9]+$/.test(index)) {
      at = child !== undefined && f.lines?.fields.some((c) => c.name === child) ? [field!, index, child] : [field!];
    } else if (f) {
      at = [field!];
    }
    if (!at) {
      general.push(problem.message[locale] ?? problem.message['zh-CN'] ?? problem.code);
      continue;
    }
    let node = errorSchema as Record<string, unknown>;
    for (const segment of at) node = (node[segment] ??= {}) as Record<string, unknown>;
    // Beside its own field or cell the label is left out; a problem deeper than where it is shown keeps it ("line 3 qty: …").
    const deeper = pointerSegments(problem.path).length > at.length;
    ((node.__errors ??= []) as string[]).push(deeper ? problem.message[locale] ?? problem.code : besideField(problem, locale));
  }
  return { errorSchema, general };
}

/** extraErrors without the errors of fields the person has changed since (they are about the old value). */
export function withoutErrorsOf(errorSchema: ErrorSchema, before: FormValues, after: FormValues): ErrorSchema {
  let changed = false;
  const next: Record<string, unknown> = { ...errorSchema };
  for (const key of Object.keys(errorSchema)) {
    if (key === '__errors') continue;
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    const rowsBefore = before[key];
    const rowsAfter = after[key];
    if (Array.isArray(rowsBefore) && Array.isArray(rowsAfter) && rowsBefore.length === rowsAfter.length) {
      // A line grid: drop only the errors of the cells that changed.
      const grid = { ...(errorSchema[key] as Record<string, Record<string, unknown>>) };
      for (const index of Object.keys(grid)) {
        if (!/^[0-9]+$/.test(index)) continue;
        const cells = { ...grid[index] };
        for (const cell of Object.keys(cells)) {
          if (JSON.stringify((rowsBefore[Number(index)] as FormValues)?.[cell]) !== JSON.stringify((rowsAfter[Number(index)] as FormValues)?.[cell])) delete cells[cell];
        }
        grid[index] = cells;
      }
      next[key] = grid;
    } else {
      delete next[key];
    }
    changed = true;
  }
  return changed ? (next as ErrorSchema) : errorSchema;
}

/**
 * A moment (ISO 8601) as a `datetime-local` input shows it in the workspace's time zone:
 * '2026-11-23T01:30:00.000Z' in Asia/Shanghai → '2026-11-23T09:30'.
 */
export function isoToZonedLocal(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The moment a `datetime-local` value names in the workspace's time zone, as ISO 8601 (UTC). */
export function zonedLocalToIso(local: string, timeZone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as number[];
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  // The zone's offset at that moment, found from the wall time it shows (twice, around DST changes).
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const shown = isoToZonedLocal(new Date(guess).toISOString(), timeZone);
    const [, sy, smo, sd, sh, smi] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(shown)!.map(Number) as number[];
    guess += wall - Date.UTC(sy!, smo! - 1, sd!, sh!, smi!);
  }
  return new Date(guess).toISOString();
}

/** The symbol a currency is written with in the person's language (¥, CN¥, US$…). */
export function currencySymbol(currency: string, locale: Locale): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

/** A number as the form shows a computed or read-only value: money with its currency, percent with %. */
export function formatNumber(value: unknown, locale: Locale, options: { type?: string; currency?: string; scale?: number }): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (Number.isNaN(n)) return String(value);
  const scale = options.scale ?? 2;
  if (options.type === 'money') {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: options.currency ?? 'CNY', minimumFractionDigits: scale, maximumFractionDigits: scale }).format(n);
  }
  const text = new Intl.NumberFormat(locale, { maximumFractionDigits: options.type === 'integer' ? 0 : scale }).format(n);
  return options.type === 'percent' ? `${text}%` : text;
}
