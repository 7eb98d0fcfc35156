import { Buffer } from 'node:buffer';
import { richTextPlain } from '../field-types/richtext.ts';
import Decimal from 'decimal.js';
import { FormaError, isFormaError } from '../errors.ts';
import { readFile } from '../files/files.ts';
import type { Locale, LocalizedText } from '../i18n/text.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { documentKey, isArchivedEntity, isEntity, type FieldDefinition, type Model } from '../metadata/model.ts';
import { calendarDate, DEFAULT_TIME_ZONE, type RecordsContext } from '../records/context.ts';
import { systemFields, type ColumnField } from '../records/entity-table.ts';
import { runQuery, type FilterTree, type QueryResult } from '../records/query/index.ts';
import { getRecord, selectRecord, visibleFields } from '../records/read.ts';
import { entityRuntime, type EntityRuntime } from '../records/runtime.ts';
import { regionLabel } from '../regions/regions.ts';
import { accessOf, unrestricted, type Access } from '../security/access.ts';
import { systemActor, type Actor } from '../security/actor.ts';
import { userNames } from '../security/users.ts';
import { formatDate, formatMoney, formatNumber, formatPercent } from './format.ts';
import { compiledPrintTemplate, type PrintTemplateDocument } from './template-document.ts';

/**
 * A record as a template sees it: its system fields and each field it may read by name, with
 * raw values (numbers as numbers, dates 'YYYY-MM-DD', moments ISO, lookups and users as ids,
 * selects as their value), each `lines` field as a list of rows — every row with its own
 * `_text` and `lookups` — and `_text`: every field as people read it (¥100,000.00, 款到发货,
 * 上海市 徐汇区, the customer's name, 2026年9月1日, 是/否).
 */
export type PrintRecord = Record<string, unknown> & { _text: Record<string, string | null> };

/** A person named on a document: the record's owner, or who prints it. */
export interface PrintPerson {
  id: string | null;
  /** Their display name (李明（销售一部）); a system actor's own name (system:cli). */
  name: string | null;
}

/** The days a template's related lists cover, both included: 'YYYY-MM-DD'. */
export interface PrintPeriod {
  from: string;
  to: string;
}

/** Everything a print template is rendered with: docs/print.md describes each part with examples. */
export interface PrintData {
  record: PrintRecord;
  /** For each lookup field of the record: the record it points to (one hop), or the same keys all null when empty or not readable. */
  lookups: Record<string, PrintRecord>;
  /** The label of each field of the record, in the document's language (column headers). */
  labels: Record<string, string>;
  /** For each `lines` field: the labels of its rows' fields. */
  lineLabels: Record<string, Record<string, string>>;
  /** Only the lists the template names: records of `<entity>` pointing to this record in the period. */
  related: Record<string, PrintRecord[]>;
  /** For each related list: the sum of each of its number and money fields. */
  relatedTotals: Record<string, Record<string, number>>;
  period: PrintPeriod;
  owner: PrintPerson;
  printedBy: PrintPerson;
  /** The day it is printed, in the workspace's time zone: 'YYYY-MM-DD'. */
  today: string;
  entity: { name: string; label: string };
  locale: Locale;
  /** The company profile (the first `company` record, whoever prints), its `file` fields as `data:` URLs of their first picture. */
  company: PrintRecord;
}

/** How print data is read. */
export interface PrintDataOptions {
  /** The language of `_text`, labels and page numbers. Default 'zh-CN'. */
  locale?: Locale;
  /** The period of related lists; each end defaults to the current month's (in the workspace's time zone). */
  period?: Partial<PrintPeriod>;
  /** Forma's data directory (FORMA_DATA_DIR), where the company's logo and seal are stored; without it they are null. */
  dataDir?: string;
  /** When "today" is. Default now. */
  now?: Date;
}

/** Reads the print data of records of one template: what every record shares is read once. */
export interface PrintDataSource {
  /**
   * The data of one record as `getRecord` or `runQuery` gave it to the actor. A `runQuery` row
   * has no `lines`: read records of entities with lines fields with `getRecord`.
   */
  forRecord(record: Record<string, unknown>): Promise<PrintData>;
}

/**
 * The data a print template sees for one record, read as the actor: a record outside their
 * scope is `record_not_found` as everywhere, fields hidden from them are not in it, nor are
 * lookups and related records they may not read. Only the company profile is read as the
 * system: every document needs it.
 *
 * @example
 *   const data = await printData(ctx, actor, findPrintTemplate(model, 'quote'), quoteId, { dataDir });
 *   data.record._text.total // '¥100,000.00'
 *   data.lookups.customer.postcode // '200030'
 */
export async function printData(
  ctx: RecordsContext, actor: Actor, template: PrintTemplateDocument, recordId: string, options: PrintDataOptions = {},
): Promise<PrintData> {
  const source = await printDataSource(ctx, actor, template, options);
  return source.forRecord(await getRecord(ctx, actor, template.entity, recordId));
}

/**
 * Prepares reading the print data of many records of a template (a batch): the company
 * profile, labels, period and the printing person once; the records each lookup points to once
 * per record, however many documents name it.
 */
export async function printDataSource(
  ctx: RecordsContext, actor: Actor, template: PrintTemplateDocument, options: PrintDataOptions = {},
): Promise<PrintDataSource> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  const locale = options.locale ?? 'zh-CN';
  const timeZone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const today = calendarDate(options.now ?? new Date(), timeZone);
  const period = checkPeriod(options.period ?? {}, today);
  const { related } = compiledPrintTemplate(template);
  const reader = new RecordReader(ctx, model, access, locale, timeZone);
  const runtime = entityRuntime(model, ctx.workspace, template.entity);
  const fields = visibleFields(runtime, access);
  const hidden = access.entity(template.entity)?.hidden;
  const shared = {
    labels: Object.fromEntries(Object.entries(runtime.table.entity.schema.properties)
      .filter(([name]) => fields.some((f) => f.name === name) || (runtime.children.has(name) && !hidden?.has(name)))
      .map(([name, definition]) => [name, text(definition['x-forma'].label, locale)])),
    lineLabels: Object.fromEntries([...runtime.children].filter(([field]) => !hidden?.has(field)).map(([field, child]) => [
      field, Object.fromEntries(visibleFields(child, access).map((f) => [f.name, text(f.definition['x-forma'].label, locale)])),
    ])),
    period, today, locale,
    entity: { name: template.entity, label: text(runtime.table.entity.label, locale) },
    printedBy: { id: actor.id, name: actor.kind === 'system' ? actor.name : ((await reader.names([actor.id])).get(actor.id) ?? actor.name) },
    company: await companyProfile(ctx, model, locale, timeZone, options.dataDir),
  };
  return {
    async forRecord(view) {
      const id = String(view.id);
      const [record, lookups, lists] = await Promise.all([
        reader.record(runtime, view, 0),
        reader.lookups(runtime, view, 1),
        Promise.all(related.map((entity) => reader.related(runtime, id, entity, period))),
      ]);
      const ownerId = typeof view.owner_id === 'string' ? view.owner_id : null;
      const owner = { id: ownerId, name: ownerId ? ((await reader.names([ownerId])).get(ownerId) ?? null) : null };
      return {
        ...shared, record, lookups, owner,
        related: Object.fromEntries(related.map((entity, i) => [entity, lists[i]!.records])),
        relatedTotals: Object.fromEntries(related.map((entity, i) => [entity, lists[i]!.totals])),
      };
    },
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The period asked for, its missing ends those of the month of `today`; `print_period_invalid` when it is no period. */
function checkPeriod(period: Partial<PrintPeriod>, today: string): PrintPeriod {
  const month = today.slice(0, 7);
  const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  const from = period.from ?? `${month}-01`;
  const to = period.to ?? `${month}-${String(lastDay).padStart(2, '0')}`;
  // A real day: 2026-02-30 parses as 2 March, 2026-13-01 not at all.
  const valid = (day: unknown) => typeof day === 'string' && DAY.test(day) && new Date(`${day}T00:00:00Z`).toJSON()?.startsWith(day) === true;
  if (!valid(from) || !valid(to) || from > to) throw new FormaError('print_period_invalid', { from: String(from).slice(0, 40), to: String(to).slice(0, 40) });
  return { from, to };
}

/** A label in the document's language, the other one when it has none. */
function text(label: Partial<LocalizedText> | Record<string, string> | undefined, locale: Locale): string {
  const texts = label as Partial<LocalizedText> | undefined;
  return texts?.[locale] ?? texts?.['zh-CN'] ?? texts?.en ?? '';
}

/** Records per related-list query: the most one page gives. */
const RELATED_PAGE = 200;

/**
 * How far from the printed record lookups are followed: its own lookups and its rows' are one
 * hop; the rows of a looked-up record (a shipment's sales order's lines) get theirs, at two.
 */
const MAX_HOPS = 2;

/**
 * Turns records into print records for one actor, in one language: the names of users and the
 * records lookups point to are read once, however often they come up.
 */
class RecordReader {
  readonly #users = new Map<string, string | null>();
  readonly #records = new Map<string, Promise<PrintRecord>>();

  constructor(
    readonly ctx: RecordsContext, readonly model: Model, readonly access: Access,
    readonly locale: Locale, readonly timeZone: string,
  ) {}

  /** Display names of users by id, read once each. */
  async names(ids: Iterable<string>): Promise<ReadonlyMap<string, string | null>> {
    const missing = [...new Set(ids)].filter((id) => !this.#users.has(id));
    if (missing.length) {
      const found = await userNames(this.ctx.db, missing);
      for (const id of missing) this.#users.set(id, found.get(id) ?? null);
    }
    return this.#users;
  }

  /** A record (as `getRecord`, `selectRecord` or `runQuery` give it) `hops` lookups away from the printed one, as a print record. */
  async record(runtime: EntityRuntime, view: Record<string, unknown>, hops: number): Promise<PrintRecord> {
    const fields = visibleFields(runtime, this.access);
    const names = await this.names([...userIds(fields, view), ...systemUserFields.map((f) => view[f]).filter((id): id is string => typeof id === 'string')]);
    const labels = (view._labels ?? {}) as Record<string, string | null>;
    const record: Record<string, unknown> = {};
    const texts: Record<string, string | null> = {};
    for (const name of systemFields) record[name] = view[name] ?? null;
    for (const name of systemTextFields) texts[name] = this.systemText(name, record[name], names);
    for (const f of fields) {
      record[f.name] = view[f.name] ?? null;
      texts[f.name] = this.fieldText(f.definition, record[f.name], names, labels[f.name] ?? null);
    }
    for (const [field, child] of runtime.children) {
      if (Array.isArray(view[field])) record[field] = await Promise.all((view[field] as Record<string, unknown>[]).map((row) => this.row(child, row, hops)));
    }
    return Object.assign(record, { _text: texts });
  }

  /** A row of a lines field: its fields, `_text`, and — within `MAX_HOPS` — `lookups`, the records its lookups point to. */
  async row(child: EntityRuntime, row: Record<string, unknown>, hops: number): Promise<Record<string, unknown>> {
    const fields = visibleFields(child, this.access);
    const [names, lookups] = await Promise.all([this.names(userIds(fields, row)), hops < MAX_HOPS ? this.lookups(child, row, hops + 1) : undefined]);
    const out: Record<string, unknown> = { id: row.id };
    const texts: Record<string, string | null> = {};
    for (const f of fields) {
      out[f.name] = row[f.name] ?? null;
      const pointed = lookups?.[f.name];
      const display = pointed && child.lookups.find((l) => l.field === f.name)?.target.entity.name;
      texts[f.name] = this.fieldText(f.definition, out[f.name], names, display ? displayName(entityRuntime(this.model, this.ctx.workspace, display), pointed!) : null);
    }
    return { ...out, _text: texts, ...(lookups ? { lookups } : {}) };
  }

  /** For each lookup field of `runtime` the actor sees: the record `view` points to, or the same keys all null. */
  async lookups(runtime: EntityRuntime, view: Record<string, unknown>, hops: number): Promise<Record<string, PrintRecord>> {
    const fields = new Set(visibleFields(runtime, this.access).map((f) => f.name));
    const lookups = runtime.lookups.filter((l) => fields.has(l.field));
    const records = await Promise.all(lookups.map((l) => this.pointedTo(l.target.entity.name, view[l.field], hops)));
    return Object.fromEntries(lookups.map((l, i) => [l.field, records[i]!]));
  }

  /**
   * The record a lookup points to as the actor may read it, or an empty one: not in their scope,
   * of an entity they may not read, in the recycle bin — without logging a refusal, since nobody
   * asked for it by name.
   */
  pointedTo(entity: string, id: unknown, hops: number): Promise<PrintRecord> {
    const runtime = entityRuntime(this.model, this.ctx.workspace, entity);
    if (typeof id !== 'string') return Promise.resolve(this.empty(runtime));
    const key = `${hops}\n${entity}\n${id}`;
    let record = this.#records.get(key);
    if (!record) {
      record = selectRecord(this.ctx.db, runtime, id, this.access, this.access.scope(entity, 'r', 'read'))
        .then((view) => (view && view.deleted_at === null ? this.record(runtime, view, hops) : this.empty(runtime)));
      this.#records.set(key, record);
    }
    return record;
  }

  /** A record with every key a record of `runtime` has for the actor, all null, its lines empty. */
  empty(runtime: EntityRuntime): PrintRecord {
    const record: Record<string, unknown> = Object.fromEntries(systemFields.map((name) => [name, null]));
    const texts: Record<string, string | null> = Object.fromEntries(systemTextFields.map((name) => [name, null]));
    for (const f of visibleFields(runtime, this.access)) [record[f.name], texts[f.name]] = [null, null];
    const hidden = this.access.entity(runtime.table.entity.name)?.hidden;
    for (const field of runtime.children.keys()) if (!hidden?.has(field)) record[field] = [];
    return Object.assign(record, { _text: texts });
  }

  /**
   * The records of `entity` pointing to record `id` of `runtime` through any of its lookups,
   * dated in the period — by their first filterable date or datetime field (下单日期, 收款日期…),
   * or the moment they were entered when it is empty; all of them when the entity has no such
   * field — in date order, with the sums of their number and money fields. Read as the actor:
   * a list they may not read is refused (`permission_denied`), never printed empty.
   */
  async related(runtime: EntityRuntime, id: string, entity: string, period: PrintPeriod): Promise<{ records: PrintRecord[]; totals: Record<string, number> }> {
    const target = runtime.table.entity.name;
    const document = this.model.get(documentKey({ kind: 'entity', name: entity }));
    const other = document && isEntity(document) && !isArchivedEntity(document) ? entityRuntime(this.model, this.ctx.workspace, entity) : undefined;
    const pointers = other?.lookups.filter((l) => l.target.entity.name === target).map((l) => l.field) ?? [];
    if (!other || !pointers.length) throw new FormaError('print_related_invalid', { entity: entity.slice(0, 60), target });
    const dated = [...other.table.fields.values()].find((f) => f.definition['x-forma'].filterable && ['date', 'datetime'].includes(valueType(f.definition)));
    const conditions: FilterTree[] = [{ or: pointers.map((field) => ({ field, op: 'eq' as const, value: id })) }];
    if (dated) {
      const inPeriod = (field: string, type: string): FilterTree => (type === 'date'
        ? { field, op: 'between', value: [period.from, period.to] }
        : { and: [{ field, op: 'gte', value: dayStart(period.from, this.timeZone) }, { field, op: 'lt', value: dayStart(nextDay(period.to), this.timeZone) }] });
      conditions.push({ or: [inPeriod(dated.name, valueType(dated.definition)), { and: [{ field: dated.name, op: 'is_empty' }, inPeriod('created_at', 'datetime')] }] });
    }
    const sort = [...(dated ? [{ field: dated.name, direction: 'asc' as const }] : []), { field: 'created_at', direction: 'asc' as const }];
    const rows: Record<string, unknown>[] = [];
    let page: QueryResult | undefined;
    do {
      page = await runQuery(this.ctx, this.access.actor, entity, { filter: { and: conditions }, sort, page: { size: RELATED_PAGE, ...(page?.next ? { after: page.next } : {}) } });
      rows.push(...page.records);
    } while (page.next);
    const records = await Promise.all(rows.map((row) => this.record(other, row, MAX_HOPS)));
    const summed = visibleFields(other, this.access).filter((f) => ['money', 'integer', 'decimal'].includes(valueType(f.definition)));
    const totals = Object.fromEntries(summed.map((f) => [
      f.name, rows.reduce((sum: Decimal, row) => (typeof row[f.name] === 'number' ? sum.plus(row[f.name] as number) : sum), new Decimal(0)).toNumber(),
    ]));
    return { records, totals };
  }

  /** A system field as people read it: who entered, changed or owns the record, and when. */
  systemText(name: (typeof systemTextFields)[number], value: unknown, names: ReadonlyMap<string, string | null>): string | null {
    if (value === null || value === undefined) return null;
    if (name === 'created_at' || name === 'updated_at') return formatDate(String(value), { locale: this.locale, format: 'datetime', timeZone: this.timeZone });
    return names.get(String(value)) ?? null;
  }

  /** A field's value as people read it, in the document's language; empty values are null. */
  fieldText(definition: FieldDefinition, value: unknown, names: ReadonlyMap<string, string | null>, lookupName: string | null): string | null {
    if (value === null || value === undefined || value === '') return null;
    const options = definition['x-forma'];
    const locale = this.locale;
    const list = (items: string[]) => items.join(locale === 'zh-CN' ? '、' : ', ');
    switch (valueType(definition)) {
      case 'money':
        return formatMoney(value as number, { locale, symbol: currencySymbol(options.currency ?? 'CNY', locale), decimals: options.scale ?? 2 });
      case 'integer':
        return formatNumber(value as number, { locale, decimals: 0 });
      case 'decimal':
        return formatNumber(value as number, { locale, ...(options.scale !== undefined ? { decimals: options.scale } : {}) });
      case 'percent':
        return formatPercent(value as number, { locale });
      case 'date':
        return formatDate(String(value), { locale });
      case 'datetime':
        return formatDate(String(value), { locale, format: 'datetime', timeZone: this.timeZone });
      case 'boolean':
        return BOOLEAN_TEXT[value ? 'yes' : 'no'][locale];
      case 'select':
        return optionLabel(options, String(value), locale);
      case 'multiselect':
        return list((value as string[]).map((v) => optionLabel(options, v, locale)));
      case 'region':
        return regionLabel(String(value));
      case 'lookup':
        return lookupName;
      case 'user':
        return names.get(String(value)) ?? null;
      case 'file':
        return list((value as { name: string }[]).map((file) => file.name));
      case 'richtext':
        // The text; the sanitised HTML itself prints with {{{record.field}}} (docs/print.md).
        return richTextPlain(String(value));
      default:
        return String(value);
    }
  }
}

/** System fields `_text` gives: when and by whom a record was entered and last changed, and its owner. */
const systemTextFields = ['created_at', 'updated_at', 'created_by', 'updated_by', 'owner_id'] as const;
const systemUserFields = ['created_by', 'updated_by', 'owner_id'] as const;

const BOOLEAN_TEXT = { yes: { 'zh-CN': '是', en: 'Yes' }, no: { 'zh-CN': '否', en: 'No' } } as const;

/** The type a field's value has: a formula's result type, else the field's own. */
function valueType(definition: FieldDefinition): string {
  const options = definition['x-forma'];
  return options.type === 'formula' ? (options.resultType ?? 'text') : options.type;
}

/** The ids a record's `user` fields hold. */
function userIds(fields: readonly ColumnField[], view: Record<string, unknown>): string[] {
  return fields.filter((f) => valueType(f.definition) === 'user').map((f) => view[f.name]).filter((id): id is string => typeof id === 'string');
}

/** A select option's label in the document's language; a value no option has, as it is. */
function optionLabel(options: FieldDefinition['x-forma'], value: string, locale: Locale): string {
  const option = options.options?.find((o) => o.value === value);
  return option ? text(option.label, locale) : value;
}

/** What names a record of `runtime` (its display field), as text; null for an empty record. */
function displayName(runtime: EntityRuntime, record: PrintRecord): string | null {
  const value = runtime.display ? record[runtime.display.name] : null;
  return value === null || value === undefined ? null : String(value);
}

const currencySymbols = new Map<string, string>();

/** The symbol money of a currency is written with: ¥ for CNY (also in English), $ for USD. */
function currencySymbol(currency: string, locale: Locale): string {
  const key = `${locale}|${currency}`;
  let symbol = currencySymbols.get(key);
  if (symbol === undefined) {
    const parts = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
    symbol = parts.find((p) => p.type === 'currency')?.value ?? currency;
    currencySymbols.set(key, symbol);
  }
  return symbol;
}

/** The ISO moment a day starts in a time zone: '2026-11-01T00:00:00+08:00' in Asia/Shanghai. */
function dayStart(day: string, timeZone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${day}T12:00:00Z`)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = name === 'GMT' ? '+00:00' : name.slice(3);
  return `${day}T00:00:00${offset}`;
}

/** The day after a 'YYYY-MM-DD' day. */
function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/**
 * The company profile (公司信息): the first record of the standard CRM's `company` entity, read
 * as the system — every printing person needs it, whatever they may read — its `file` fields
 * (logo, seal) as `data:` URLs of their first picture, the only kind of address a printed page
 * may load. No record: every field null. No `company` entity: an empty object.
 */
async function companyProfile(ctx: RecordsContext, model: Model, locale: Locale, timeZone: string, dataDir: string | undefined): Promise<PrintRecord> {
  const document = model.get(documentKey({ kind: 'entity', name: COMPANY_ENTITY }));
  if (!document || !isEntity(document) || isArchivedEntity(document)) return { _text: {} };
  const system = systemActor('print');
  const reader = new RecordReader(ctx, model, unrestricted(system), locale, timeZone);
  const runtime = entityRuntime(model, ctx.workspace, COMPANY_ENTITY);
  const { records } = await runQuery(ctx, system, COMPANY_ENTITY, { sort: [{ field: 'created_at', direction: 'asc' }], page: { size: 1 } });
  if (!records[0]) return reader.empty(runtime);
  const company = await reader.record(runtime, records[0], MAX_HOPS);
  for (const f of runtime.table.fields.values()) {
    if (f.definition['x-forma'].type !== 'file') continue;
    const picture = ((company[f.name] ?? []) as { id: string; contentType?: string }[]).find((file) => file.contentType?.startsWith('image/'));
    company[f.name] = picture && dataDir ? await dataUrl(ctx, system, picture.id, dataDir) : null;
  }
  return company;
}

/** The entity whose first record is the company profile (metadata/standard-crm/entities/company.json). */
export const COMPANY_ENTITY = 'company';

/** A stored file as a `data:` URL; null when it is gone (a profile without its logo still prints). */
async function dataUrl(ctx: RecordsContext, actor: Actor, id: string, dataDir: string): Promise<string | null> {
  let file;
  try {
    file = await readFile(ctx, actor, id, dataDir);
  } catch (error) {
    if (isFormaError(error) && error.code === 'file_not_found') return null;
    throw error;
  }
  const bytes = Buffer.from(await new Response(file.stream).arrayBuffer());
  return `data:${file.contentType};base64,${bytes.toString('base64')}`;
}
