// The kanban board's data and the pure rules of moving cards: shared by the server (loaders)
// and the browser (the board component), so nothing here touches the database or the DOM.
import { DEFAULT_TIME_ZONE } from '../../engine/records/context.ts';
import type { Cell } from '../format.server.ts';
import type { Locale } from '../text/index.ts';

/** Cards per column page: the first page comes with the board, the next ones with "load more". */
export const BOARD_PAGE_SIZE = 20;

/** A field shown on a card: its label (for tooltips and screen readers), its type and its formatted value. */
export interface CardField {
  field: string;
  label: string;
  type: string;
  cell: Cell;
}

/** One record on the board; `version` is the one the next change is made against (optimistic locking). */
export interface BoardCard {
  id: string;
  version: number;
  title: string;
  fields: CardField[];
}

/** How many records a column holds: exact up to the engine's count cap, above it an estimate. */
export interface ColumnTotal {
  value: number;
  exact: boolean;
}

/** A column: one option of the group field (`key` its value; '' the column of records without one). */
export interface BoardColumn {
  key: string;
  label: string;
  color?: string;
  total?: ColumnTotal;
  cards: BoardCard[];
  /** The cursor of the column's next page, while there is one. */
  next?: string;
}

/** One page of a column, as the cards resource route answers it. */
export interface ColumnPage {
  cards: BoardCard[];
  next?: string;
  total?: ColumnTotal;
}

/** The key of the column of records whose group field is empty. */
export const EMPTY_COLUMN = '';

/** The value a column stands for, as the records API takes it: its option, or null for the empty column. */
export function columnValue(key: string): string | null {
  return key === EMPTY_COLUMN ? null : key;
}

/** The dnd-kit id of a column's drop zone (card ids are record ids, so the two never clash). */
export function dropId(key: string): string {
  return `column:${key}`;
}

/** The column key of a drop zone id, or undefined for anything else (a card). */
export function columnOfDropId(id: string | number | undefined | null): string | undefined {
  return typeof id === 'string' && id.startsWith('column:') ? id.slice('column:'.length) : undefined;
}

/** Where a card was before it moved: enough to put it back exactly there when the move is refused. */
export interface CardPlace {
  card: BoardCard;
  column: string;
  index: number;
}

/** The column and position of a card, if it is on the board. */
export function findCard(columns: readonly BoardColumn[], id: string): CardPlace | undefined {
  for (const column of columns) {
    const index = column.cards.findIndex((c) => c.id === id);
    if (index >= 0) return { card: column.cards[index]!, column: column.key, index };
  }
  return undefined;
}

/**
 * The board with a card moved to the top of another column (optimistically, before the server
 * answered), totals adjusted; the same board when the card or the column is not there or the
 * card is already in it.
 */
export function moveCard(columns: readonly BoardColumn[], id: string, to: string): BoardColumn[] {
  const place = findCard(columns, id);
  if (!place || place.column === to || !columns.some((c) => c.key === to)) return [...columns];
  return columns.map((column) => {
    if (column.key === place.column) {
      return { ...column, cards: column.cards.filter((c) => c.id !== id), total: shift(column.total, -1) };
    }
    if (column.key === to) return { ...column, cards: [place.card, ...column.cards], total: shift(column.total, +1) };
    return column;
  });
}

/** The board with a card put back where it was (after a refused move), totals adjusted back. */
export function restoreCard(columns: readonly BoardColumn[], place: CardPlace): BoardColumn[] {
  const now = findCard(columns, place.card.id);
  return columns.map((column) => {
    let next = column;
    if (now && column.key === now.column && now.column !== place.column) {
      next = { ...next, cards: next.cards.filter((c) => c.id !== place.card.id), total: shift(next.total, -1) };
    }
    if (column.key === place.column && (!now || now.column !== place.column)) {
      const cards = [...next.cards];
      cards.splice(Math.min(place.index, cards.length), 0, place.card);
      next = { ...next, cards, total: shift(next.total, +1) };
    }
    return next;
  });
}

/** The board with one card changed in place (its new version after a saved move). */
export function updateCard(columns: readonly BoardColumn[], id: string, change: Partial<BoardCard>): BoardColumn[] {
  return columns.map((column) => column.cards.some((c) => c.id === id)
    ? { ...column, cards: column.cards.map((c) => (c.id === id ? { ...c, ...change } : c)) }
    : column);
}

/** A column with its next page appended: cards already on it (moved there meanwhile) are not repeated. */
export function appendPage(column: BoardColumn, page: ColumnPage): BoardColumn {
  const seen = new Set(column.cards.map((c) => c.id));
  const { next: _next, ...rest } = column;
  return { ...rest, cards: [...column.cards, ...page.cards.filter((c) => !seen.has(c.id))], ...(page.next ? { next: page.next } : {}) };
}

function shift(total: ColumnTotal | undefined, by: number): ColumnTotal | undefined {
  return total && { ...total, value: Math.max(0, total.value + by) };
}

/** The body of an API refusal: `{ error: { code, message: { zh-CN, en }, problems } }`. */
interface ApiRefusal {
  error?: { code?: string; message?: Partial<Record<Locale, string>>; problems?: { message?: Partial<Record<Locale, string>> }[] };
}

/**
 * Why the records API refused a change, in the person's language: its message, followed by the
 * messages of its problems (what validation found) when there are any; `fallback` when the
 * answer is not an API refusal at all (a proxy's error page…).
 *
 * @example refusalReason({ error: { code: 'permission_denied', message: { 'zh-CN': '你没有…', en: 'You may not…' } } }, 'en', '?') // 'You may not…'
 */
export function refusalReason(body: unknown, locale: Locale, fallback: string): string {
  const error = (body as ApiRefusal | null)?.error;
  const message = error?.message?.[locale] ?? error?.message?.en;
  if (!message) return fallback;
  const problems = (error?.problems ?? []).map((p) => p.message?.[locale] ?? p.message?.en).filter((m): m is string => Boolean(m));
  const details = problems.filter((p) => p !== message);
  const text = details.length ? `${message}${locale === 'zh-CN' ? '：' : ': '}${details.join(locale === 'zh-CN' ? '；' : '; ')}` : message;
  return readableMoments(text, locale);
}

/**
 * Moments the engine writes into its messages as ISO timestamps (when a record changed, in a
 * conflict) as people read them: in their language, in the workspace's time zone (China).
 *
 * @example readableMoments('now version 2 (sales1, 2026-11-22T23:26:50.585Z)', 'en') // 'now version 2 (sales1, Nov 23, 2026, 7:26 AM)'
 */
export function readableMoments(text: string, locale: Locale): string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: DEFAULT_TIME_ZONE });
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g, (iso) => {
    const moment = new Date(iso);
    return Number.isNaN(moment.getTime()) ? iso : format.format(moment);
  });
}
