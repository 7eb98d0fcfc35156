import type { FieldDefinition } from '../engine/metadata/model.ts';
import { richTextPlain } from '../engine/field-types/richtext.ts';
import { regionLabel } from '../engine/regions/regions.ts';
import { DEFAULT_TIME_ZONE } from '../engine/records/context.ts';
import { label, t, type Locale } from './text/index.ts';

/** A value as a screen shows it: its text, and where it has them a colour (select options) and a link. */
export interface Cell {
  text: string;
  color?: string;
  href?: string;
  /** Several links in one cell (a `file` field's attachments, each to download). */
  links?: { text: string; href: string }[];
}

/** What formatting needs besides the value: the names of the records and users it points to. */
export interface FormatContext {
  locale: Locale;
  /** The display name of the record a lookup points to (`_labels` of the record). */
  lookupLabel?: string | null;
  /** Display names of users, by id (owner, created by…). */
  users: ReadonlyMap<string, string>;
}

/**
 * A field's value formatted for people, in their language: money with its currency and decimals
 * (¥100,000.00), dates and times per locale (in Asia/Shanghai), select options by their label
 * and colour, region codes by their names (上海市 徐汇区), lookups and users by their names.
 * Empty values are an empty text. The same rules for lists, record pages and kanban cards.
 *
 * @example formatCell(customer.schema.properties.credit_limit, 500000, { locale: 'zh-CN', users }) // { text: '¥500,000.00' }
 */
export function formatCell(field: FieldDefinition, value: unknown, context: FormatContext): Cell {
  if (value === null || value === undefined || value === '') return { text: '' };
  const options = field['x-forma'];
  const { locale } = context;
  const type = options.type === 'formula' ? (options.resultType ?? 'text') : options.type;
  switch (type) {
    case 'money':
      return { text: money(Number(value), locale, options.currency ?? 'CNY', options.scale ?? 2) };
    case 'integer':
    case 'decimal':
      return { text: new Intl.NumberFormat(locale, { maximumFractionDigits: options.scale ?? 2 }).format(Number(value)) };
    case 'percent':
      return { text: `${new Intl.NumberFormat(locale, { maximumFractionDigits: options.scale ?? 2 }).format(Number(value))}%` };
    case 'date':
      return { text: date(String(value), locale) };
    case 'datetime':
      return { text: moment(String(value), locale) };
    case 'boolean':
      return { text: t(locale, value ? 'yes' : 'no') };
    case 'select': {
      const option = options.options?.find((o) => o.value === value);
      return { text: option ? label(option.label, locale) : String(value), ...(option?.color ? { color: option.color } : {}) };
    }
    case 'multiselect':
      return { text: (value as string[]).map((v) => label(options.options?.find((o) => o.value === v)?.label, locale) || v).join('、') };
    case 'region':
      return { text: regionLabel(String(value)) };
    case 'lookup':
      return { text: context.lookupLabel ?? '—', href: `/r/${options.target}/${String(value)}` };
    case 'user':
      return { text: context.users.get(String(value)) ?? '—' };
    case 'email':
      return { text: String(value), href: `mailto:${String(value)}` };
    case 'phone':
      return { text: String(value), href: `tel:${String(value).replace(/[^0-9+]/g, '')}` };
    case 'url':
      return { text: String(value), href: String(value) };
    case 'richtext':
      return { text: richTextPlain(String(value)) };
    case 'file': {
      const files = value as { id: string; name: string }[];
      return {
        text: files.map((f) => f.name).join('、'),
        links: files.map((f) => ({ text: f.name, href: `/api/v1/files/${encodeURIComponent(f.id)}` })),
      };
    }
    default:
      return { text: String(value) };
  }
}

/** ¥100,000.00 in zh-CN, CN¥100,000.00 in en: Intl's own currency formats. */
export function money(value: number, locale: Locale, currency: string, scale: number): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: scale, maximumFractionDigits: scale }).format(value);
}

/** A calendar date ('2026-09-30') as the locale writes it; it names a day, not a moment, so no time zone moves it. */
export function date(value: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' }).format(new Date(`${value.slice(0, 10)}T00:00:00Z`));
}

/** A moment in the workspace's time zone (China Standard Time for now). */
export function moment(value: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: DEFAULT_TIME_ZONE }).format(new Date(value));
}

