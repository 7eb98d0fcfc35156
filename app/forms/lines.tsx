import { memo, useCallback, useMemo, useRef, type CSSProperties } from 'react';
import {
  closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent, type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { ErrorSchema, FieldProps } from '@rjsf/utils';
import { t, type Locale } from '../text/index.ts';
import { FieldInput } from './inputs.tsx';
import type { FieldSpec, FormContext, FormValues } from './types.ts';
import { newRow } from './values.ts';

/**
 * The grid of a `lines` field (quote lines): one row per line with the child entity's fields as
 * cells, rows added and removed, reordered by dragging their handle (or with the keyboard: focus
 * the handle, Space, arrow keys, Space). Line formulas (amount) and the record's totals are
 * recomputed by the form on every change, with the engine's evaluator (formulas.ts).
 */
export function LinesField(props: FieldProps) {
  const spec = (props.uiSchema?.['ui:options'] as { spec: FieldSpec } | undefined)?.spec;
  const ctx = props.registry.formContext as FormContext;
  const rows = useMemo(() => (Array.isArray(props.formData) ? (props.formData as FormValues[]) : []), [props.formData]);
  const readOnly = Boolean(props.readonly || props.disabled || spec?.readOnly);
  const columns = useMemo(() => (spec?.lines?.fields ?? []).filter((f) => f.type !== 'lines'), [spec]);
  const { onChange, fieldPathId } = props;
  // The latest rows, for callbacks handed to memoised rows.
  const latest = useRef(rows);
  latest.current = rows;
  const set = useCallback((next: FormValues[]) => onChange(next, fieldPathId.path), [onChange, fieldPathId]);
  const setCell = useCallback((index: number, field: string, value: unknown) => {
    set(latest.current.map((row, i) => (i === index ? { ...row, [field]: value } : row)));
  }, [set]);
  const remove = useCallback((index: number) => set(latest.current.filter((_, i) => i !== index)), [set]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const keys = rows.map((row) => String(row._key ?? row.id));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    set(arrayMove(latest.current, keys.indexOf(String(active.id)), keys.indexOf(String(over.id))));
  };
  if (!spec?.lines) return null;
  const errors = (props.errorSchema ?? {}) as Record<string, ErrorSchema>;
  return (
    <div className="lines">
      <div className="table-wrap">
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}
          accessibility={{ announcements: announcements(ctx.locale, keys), screenReaderInstructions: { draggable: t(ctx.locale, 'form_drag_instructions') } }}>
          <table className="lines-grid">
            <thead>
              <tr>
                {readOnly ? null : <th className="handle-col" aria-label={t(ctx.locale, 'form_drag')} />}
                <th className="num">#</th>
                {columns.map((c) => (
                  <th key={c.name} className={`t-${c.type}`} title={c.help}>
                    {c.label}{c.required && !readOnly ? <span className="required" aria-hidden="true">*</span> : null}
                  </th>
                ))}
                {readOnly ? null : <th className="actions-col" />}
              </tr>
            </thead>
            <SortableContext items={keys} strategy={verticalListSortingStrategy}>
              <tbody>
                {rows.map((row, i) => (
                  <LineRow key={keys[i]} id={keys[i]!} baseId={fieldPathId.$id} index={i} row={row} columns={columns} ctx={ctx} readOnly={readOnly}
                    errors={errors[i]} onCell={setCell} onRemove={remove} />
                ))}
              </tbody>
            </SortableContext>
          </table>
        </DndContext>
      </div>
      {rows.length === 0 ? <p className="muted lines-empty">{t(ctx.locale, 'lines_empty')}</p> : null}
      {readOnly ? null : (
        <button type="button" className="add-line" onClick={() => set([...latest.current, newRow(spec.lines!.fields)])}>
          + {t(ctx.locale, 'form_add_line')}
        </button>
      )}
    </div>
  );
}

function announcements(locale: Locale, keys: string[]): Announcements {
  const position = (id: UniqueIdentifier | undefined) => keys.indexOf(String(id)) + 1;
  return {
    onDragStart: ({ active }) => t(locale, 'form_drag_start', { n: position(active.id) }),
    onDragOver: ({ over }) => (over ? t(locale, 'form_drag_over', { n: position(over.id) }) : undefined),
    onDragEnd: ({ over }) => (over ? t(locale, 'form_drag_end', { n: position(over.id) }) : undefined),
    onDragCancel: () => t(locale, 'form_drag_cancel'),
  };
}

interface RowProps {
  id: string;
  baseId: string;
  index: number;
  row: FormValues;
  columns: FieldSpec[];
  ctx: FormContext;
  readOnly: boolean;
  errors?: ErrorSchema;
  onCell: (index: number, field: string, value: unknown) => void;
  onRemove: (index: number) => void;
}

/** One line: re-rendered only when its own values, errors or place change (a 100-line quote stays quick). */
const LineRow = memo(function LineRow({ id, baseId, index, row, columns, ctx, readOnly, errors, onCell, onRemove }: RowProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id, disabled: readOnly });
  const style: CSSProperties = { transform: CSS.Translate.toString(transform), transition, ...(isDragging ? { position: 'relative', zIndex: 2 } : {}) };
  const rowErrors = (errors as { __errors?: string[] } | undefined)?.__errors;
  return (
    <tr ref={setNodeRef} style={style} className={isDragging ? 'dragging' : undefined} data-line={index + 1}>
      {readOnly ? null : (
        <td className="handle-col">
          <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners}
            aria-label={t(ctx.locale, 'form_drag_row', { n: index + 1 })} title={t(ctx.locale, 'form_drag')}>⠿</button>
        </td>
      )}
      <td className="num">
        {index + 1}
        {rowErrors?.length ? <div className="cell-error" role="alert">{rowErrors.join('；')}</div> : null}
      </td>
      {columns.map((c) => {
        const cellErrors = ((errors as Record<string, { __errors?: string[] }> | undefined)?.[c.name])?.__errors;
        return (
          <td key={c.name} className={`t-${c.type}${cellErrors?.length ? ' has-error' : ''}`}>
            <FieldInput id={`${baseId}_${index}_${c.name}`} spec={c} value={row[c.name]} ctx={ctx} readOnly={readOnly || c.readOnly} compact
              invalid={Boolean(cellErrors?.length)} ariaLabel={`${c.label} ${index + 1}`}
              onChange={(value) => onCell(index, c.name, value)} />
            {cellErrors?.length ? <div className="cell-error" role="alert">{cellErrors.join('；')}</div> : null}
          </td>
        );
      })}
      {readOnly ? null : (
        <td className="actions-col">
          <button type="button" className="link danger-link" aria-label={t(ctx.locale, 'form_remove_line', { n: index + 1 })} title={t(ctx.locale, 'form_remove_line', { n: index + 1 })}
            onClick={() => onRemove(index)}>×</button>
        </td>
      )}
    </tr>
  );
});
