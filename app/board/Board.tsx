import {
  DndContext, DragOverlay, KeyboardSensor, PointerSensor, pointerWithin, rectIntersection, useDraggable, useDroppable, useSensor, useSensors,
  type Announcements, type CollisionDetection, type DragEndEvent, type DragStartEvent,
} from '@dnd-kit/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useRevalidator } from 'react-router';
import { useShell } from '../routes/shell.tsx';
import { t, type Locale } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import {
  appendPage, columnOfDropId, columnValue, dropId, findCard, moveCard, refusalReason, restoreCard, updateCard,
  type BoardCard, type BoardColumn, type CardField, type ColumnPage,
} from './board.ts';
import { columnKeyboardCoordinates } from './keyboard.ts';

export interface BoardProps {
  entity: string;
  groupBy: string;
  canMove: boolean;
  columns: BoardColumn[];
}

/** What went wrong with the last move, shown above the board until dismissed or the next move. */
interface Refusal {
  card: string;
  text: string;
  conflict: boolean;
}

/** Pointer first (the column under the pointer), else the column the dragged card overlaps most (keyboard). */
const collisions: CollisionDetection = (args) => {
  const under = pointerWithin(args);
  return under.length ? under : rectIntersection(args);
};

/**
 * The board: one column per option with its count and its cards page by page, cards dragged
 * between columns with the pointer or the keyboard. A drop moves the card at once, then saves the
 * new value through the records API at the version the card was read at; a refusal (no right,
 * validation, someone changed the record meanwhile) puts the card back where it was and says why.
 */
export function Board({ entity, groupBy, canMove, columns: loaded }: BoardProps) {
  const locale = useLocale();
  const { csrfToken } = useShell();
  const revalidator = useRevalidator();
  const [columns, setColumns] = useState(loaded);
  const [active, setActive] = useState<string | null>(null);
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set());
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [status, setStatus] = useState('');
  const current = useRef(columns);
  current.current = columns;
  // A reload of the page's data (after "reload the board") starts from the server's board again.
  useEffect(() => {
    setColumns(loaded);
    setRefusal(null);
  }, [loaded]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );
  const names = (id: string | number, over?: string | number | null) => {
    const place = findCard(current.current, String(id));
    const target = columnOfDropId(over ?? null);
    const column = current.current.find((c) => c.key === (target ?? place?.column));
    return { card: place?.card.title ?? '', column: column?.label ?? '' };
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t(locale, 'board_drag_start', names(active.id)),
    onDragOver: ({ active, over }) => (over ? t(locale, 'board_drag_over', names(active.id, over.id)) : undefined),
    onDragEnd: ({ active, over }) => (over ? t(locale, 'board_drag_end', names(active.id, over.id)) : t(locale, 'board_drag_cancel', names(active.id))),
    onDragCancel: ({ active }) => t(locale, 'board_drag_cancel', names(active.id)),
  };

  // The last refusal stays up while the next card is dragged (taking it away would move the
  // board under the pointer); it goes when that card is dropped, or when the board reloads.
  const onDragStart = ({ active }: DragStartEvent) => setActive(String(active.id));

  const onDragEnd = async ({ active, over }: DragEndEvent) => {
    setActive(null);
    const to = columnOfDropId(over?.id);
    const place = findCard(current.current, String(active.id));
    if (to === undefined || !place || place.column === to) return;
    setRefusal(null);
    const id = place.card.id;
    const target = current.current.find((c) => c.key === to)!;
    setColumns((board) => moveCard(board, id, to));
    setSaving((ids) => new Set(ids).add(id));
    setStatus(t(locale, 'board_saving'));
    let refused: Refusal | undefined;
    try {
      const response = await fetch(`/api/v1/records/${encodeURIComponent(entity)}/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken },
        body: JSON.stringify({ [groupBy]: columnValue(to), version: place.card.version }),
      });
      const body: unknown = await response.json().catch(() => null);
      if (response.ok) {
        setColumns((board) => updateCard(board, id, { version: Number((body as { version: number }).version) }));
        setStatus(t(locale, 'board_moved', { card: place.card.title, column: target.label }));
      } else {
        const fallback = t(locale, response.status === 401 ? 'board_signed_out' : 'board_network_error');
        const code = (body as { error?: { code?: string } } | null)?.error?.code;
        refused = { card: id, text: refusalReason(body, locale, fallback), conflict: code === 'record_conflict' || code === 'record_deleted' };
      }
    } catch {
      refused = { card: id, text: t(locale, 'board_network_error'), conflict: false };
    }
    if (refused) {
      const why = refused;
      setColumns((board) => restoreCard(board, place));
      setRefusal({ ...why, text: t(locale, 'board_refused', { card: place.card.title, column: target.label, reason: why.text }) });
      setStatus('');
    }
    setSaving((ids) => {
      const rest = new Set(ids);
      rest.delete(id);
      return rest;
    });
  };

  const loadMore = async (key: string) => {
    const column = current.current.find((c) => c.key === key);
    if (!column?.next) return;
    const query = new URLSearchParams({ column: key, after: column.next });
    const response = await fetch(`/r/${encodeURIComponent(entity)}/board/cards?${query}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(String(response.status));
    const page = (await response.json()) as ColumnPage;
    setColumns((board) => board.map((c) => (c.key === key ? appendPage(c, page) : c)));
  };

  const dragged = active ? findCard(columns, active)?.card : undefined;
  return (
    <>
      {refusal ? (
        <div className="alert board-refusal" role="alert">
          <span>{refusal.text}</span>
          {refusal.conflict ? <button type="button" className="link" onClick={() => revalidator.revalidate()}>{t(locale, 'board_reload')}</button> : null}
          <button type="button" className="link" onClick={() => setRefusal(null)} aria-label={t(locale, 'board_dismiss')}>×</button>
        </div>
      ) : null}
      <p className="visually-hidden" role="status" aria-live="polite">{status}</p>
      <DndContext
        id="board"
        sensors={sensors}
        collisionDetection={collisions}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t(locale, 'board_drag_help') } }}
        onDragStart={onDragStart}
        onDragEnd={(event) => void onDragEnd(event)}
        onDragCancel={() => setActive(null)}
      >
        <div className="board" data-entity={entity}>
          {columns.map((column) => (
            <Column key={column.key} column={column} entity={entity} canMove={canMove} saving={saving}
              refused={refusal?.card} onLoadMore={loadMore} />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>{dragged ? <CardBody card={dragged} entity={entity} overlay /> : null}</DragOverlay>
      </DndContext>
    </>
  );
}

function Column({ column, entity, canMove, saving, refused, onLoadMore }: {
  column: BoardColumn; entity: string; canMove: boolean; saving: ReadonlySet<string>; refused?: string;
  onLoadMore(key: string): Promise<void>;
}) {
  const locale = useLocale();
  const { setNodeRef, isOver } = useDroppable({ id: dropId(column.key), disabled: !canMove });
  const [loading, setLoading] = useState<'idle' | 'loading' | 'failed'>('idle');
  const more = async () => {
    setLoading('loading');
    try {
      await onLoadMore(column.key);
      setLoading('idle');
    } catch {
      setLoading('failed');
    }
  };
  const headingId = `board-column-${column.key || 'empty'}`;
  return (
    <section ref={setNodeRef} className={`board-column${isOver ? ' over' : ''}`} style={column.color ? { ['--lane' as string]: column.color } : undefined}
      aria-labelledby={headingId} data-column={column.key}>
      <header className="board-column-head">
        <h2 id={headingId}>{column.label}</h2>
        {column.total ? <span className="board-count">{countText(column.total, locale)}</span> : null}
      </header>
      <ol className="board-cards">
        {column.cards.map((card) => (
          <Card key={card.id} card={card} column={column.key} entity={entity} canMove={canMove} saving={saving.has(card.id)} refused={refused === card.id} />
        ))}
      </ol>
      {column.cards.length === 0 ? <p className="board-empty muted">{t(locale, 'board_no_cards')}</p> : null}
      {column.next ? (
        <button type="button" className="board-more" onClick={() => void more()} disabled={loading === 'loading'}>
          {t(locale, loading === 'loading' ? 'board_loading' : 'board_load_more')}
        </button>
      ) : null}
      {loading === 'failed' ? <p className="field-error">{t(locale, 'board_load_failed')}</p> : null}
    </section>
  );
}

function Card({ card, column, entity, canMove, saving, refused }: {
  card: BoardCard; column: string; entity: string; canMove: boolean; saving: boolean; refused: boolean;
}) {
  const locale = useLocale();
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: card.id, data: { column }, disabled: !canMove || saving, attributes: { roleDescription: t(locale, 'board_card_role') },
  });
  const state = [isDragging ? 'dragging' : '', saving ? 'saving' : '', refused ? 'refused' : ''].filter(Boolean).join(' ');
  return (
    <li ref={setNodeRef} className={`board-card ${state}`} data-id={card.id} data-version={card.version} aria-busy={saving || undefined}
      {...(canMove ? { ...attributes, ...listeners } : {})}>
      <CardBody card={card} entity={entity} />
    </li>
  );
}

/** A card's face: the record's name (a link to it) and its card fields, formatted as everywhere else. */
function CardBody({ card, entity, overlay = false }: { card: BoardCard; entity: string; overlay?: boolean }) {
  const body = (
    <>
      <Link className="board-card-title" to={`/r/${entity}/${card.id}`} tabIndex={overlay ? -1 : undefined}>{card.title}</Link>
      <dl className="board-card-fields">
        {card.fields.filter((f) => f.cell.text).map((field) => <FieldValue key={field.field} field={field} />)}
      </dl>
    </>
  );
  return overlay ? <div className="board-card overlay">{body}</div> : body;
}

function FieldValue({ field }: { field: CardField }) {
  const { cell } = field;
  const value = cell.color
    ? <span className="chip" style={{ ['--chip' as string]: cell.color }}>{cell.text}</span>
    : cell.href?.startsWith('/') ? <Link to={cell.href}>{cell.text}</Link> : cell.text;
  return (
    <div className={`board-field type-${field.type}`}>
      <dt>{field.label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function countText(total: { value: number; exact: boolean }, locale: Locale): string {
  return t(locale, total.exact ? 'board_count' : 'board_count_about', { count: total.value.toLocaleString(locale) });
}
