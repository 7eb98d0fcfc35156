import type { CSSProperties, ReactNode } from 'react';
import {
  closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent, type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { fieldTypeLabels } from '../../../engine/field-types/labels.ts';
import { label, t, type Locale } from '../../text/index.ts';
import { rowKey, WIDTH, type ColumnChoice, type DraftColumn } from './draft.ts';

interface Props {
  columns: DraftColumn[];
  choices: ColumnChoice[];
  locale: Locale;
  onChange(columns: DraftColumn[]): void;
  /** The problems of a column's field or width, as elements to show under it. */
  problemsAt(key: string, part: 'field' | 'width'): ReactNode[];
}

/**
 * The columns of a list view in the order everybody sees them (统一字段顺序): each row dragged
 * by its handle (or with the keyboard: focus the handle, Space, arrow keys, Space; or the ↑ ↓
 * buttons), its width in pixels (empty: automatic), whether people may hide it, removed with ×;
 * new columns picked from the entity's fields and those one lookup away.
 */
export function ColumnsEditor({ columns, choices, locale, onChange, problemsAt }: Props) {
  const byPath = new Map(choices.map((c) => [c.path, c]));
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const keys = columns.map((c) => c.key);
  const move = (from: number, to: number) => onChange(arrayMove(columns, from, to));
  const update = (key: string, changes: Partial<DraftColumn>) => onChange(columns.map((c) => (c.key === key ? { ...c, ...changes } : c)));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (over && active.id !== over.id) move(keys.indexOf(String(active.id)), keys.indexOf(String(over.id)));
  };
  const labelOf = (column: DraftColumn) => byPath.get(column.field)?.label ?? column.field;
  const shown = new Set(columns.map((c) => c.field));
  const groups = [...new Set(choices.map((c) => c.group))];

  return (
    <div className="alv-columns">
      <div className="alv-columns-head muted" aria-hidden="true">
        <span />
        <span>{t(locale, 'alv_col_field')}</span>
        <span>{t(locale, 'alv_col_width')}</span>
        <span>{t(locale, 'alv_col_hideable')}</span>
        <span />
      </div>
      <DndContext
        sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}
        accessibility={{ announcements: announcements(locale, keys), screenReaderInstructions: { draggable: t(locale, 'alv_columns_hint') } }}
      >
        <SortableContext items={keys} strategy={verticalListSortingStrategy}>
          <ol className="alv-column-list">
            {columns.map((column, i) => (
              <ColumnRow
                key={column.key} column={column} index={i} count={columns.length} choice={byPath.get(column.field)} label={labelOf(column)} locale={locale}
                onMove={(to) => move(i, to)} onUpdate={(changes) => update(column.key, changes)}
                onRemove={() => onChange(columns.filter((c) => c.key !== column.key))}
                fieldProblems={problemsAt(column.key, 'field')} widthProblems={problemsAt(column.key, 'width')}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      <select
        className="alv-add-column" value="" aria-label={t(locale, 'alv_add_column')}
        onChange={(e) => e.target.value && onChange([...columns, { key: rowKey(), field: e.target.value, width: '', hideable: true }])}
      >
        <option value="">{t(locale, 'alv_add_column')}</option>
        {groups.map((group) => (
          <optgroup key={group} label={group}>
            {choices.filter((c) => c.group === group && !shown.has(c.path)).map((c) => <option key={c.path} value={c.path}>{c.label}</option>)}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

interface RowProps {
  column: DraftColumn;
  index: number;
  count: number;
  choice: ColumnChoice | undefined;
  label: string;
  locale: Locale;
  onMove(to: number): void;
  onUpdate(changes: Partial<DraftColumn>): void;
  onRemove(): void;
  fieldProblems: ReactNode[];
  widthProblems: ReactNode[];
}

function ColumnRow({ column, index, count, choice, label: text, locale, onMove, onUpdate, onRemove, fieldProblems, widthProblems }: RowProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: column.key });
  const style: CSSProperties = { transform: CSS.Translate.toString(transform), transition, ...(isDragging ? { position: 'relative', zIndex: 2 } : {}) };
  const invalid = fieldProblems.length > 0 || widthProblems.length > 0;
  return (
    <li ref={setNodeRef} style={style} className={`alv-column${isDragging ? ' dragging' : ''}${invalid ? ' invalid' : ''}`} data-field={column.field}>
      <div className="alv-column-row">
        <button
          type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners}
          aria-label={t(locale, 'alv_drag_column', { n: index + 1, label: text })} title={t(locale, 'alv_drag')}
        >⠿</button>
        <span className="alv-column-name">
          <strong>{text}</strong>
          <small className="muted">{column.field}{choice ? ` · ${label(fieldTypeLabels[choice.fieldType], locale)}` : ''}</small>
        </span>
        <input
          type="text" inputMode="numeric" className="alv-width" name="width" value={column.width} placeholder={t(locale, 'alv_col_auto')}
          aria-label={t(locale, 'alv_col_width_of', { label: text })} aria-invalid={widthProblems.length ? true : undefined}
          title={`${WIDTH.min}–${WIDTH.max}`} onChange={(e) => onUpdate({ width: e.target.value })}
        />
        <label className="alv-hideable" title={column.hideable ? undefined : t(locale, 'alv_col_pinned')}>
          <input type="checkbox" name="hideable" checked={column.hideable} aria-label={t(locale, 'alv_col_hideable_of', { label: text })} onChange={(e) => onUpdate({ hideable: e.target.checked })} />
          {column.hideable ? null : <span className="muted small">{t(locale, 'alv_col_pinned')}</span>}
        </label>
        <span className="alv-row-actions">
          <button type="button" className="link" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={t(locale, 'alv_move_up', { label: text })} title={t(locale, 'alv_move_up', { label: text })}>↑</button>
          <button type="button" className="link" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={t(locale, 'alv_move_down', { label: text })} title={t(locale, 'alv_move_down', { label: text })}>↓</button>
          <button type="button" className="link danger-link" onClick={onRemove} aria-label={t(locale, 'alv_remove_column', { label: text })} title={t(locale, 'alv_remove_column', { label: text })}>×</button>
        </span>
      </div>
      {fieldProblems}
      {widthProblems}
    </li>
  );
}

function announcements(locale: Locale, keys: string[]): Announcements {
  const position = (id: UniqueIdentifier | undefined) => keys.indexOf(String(id)) + 1;
  return {
    onDragStart: ({ active }) => t(locale, 'alv_drag_start', { n: position(active.id) }),
    onDragOver: ({ over }) => (over ? t(locale, 'alv_drag_over', { n: position(over.id) }) : undefined),
    onDragEnd: ({ over }) => (over ? t(locale, 'alv_drag_end', { n: position(over.id) }) : undefined),
    onDragCancel: () => t(locale, 'alv_drag_cancel'),
  };
}
