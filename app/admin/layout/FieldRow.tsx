import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useState, type CSSProperties, type ReactNode } from 'react';
import { fieldTypeLabels } from '../../../engine/field-types/labels.ts';
import { label, t } from '../../text/index.ts';
import { ConditionEditor } from './ConditionEditor.tsx';
import { useDesigner } from './designer.ts';
import { moveField, PALETTE, updatePlacement, type DraftSection, type Placement } from './draft.ts';
import { control } from './problems.ts';

/** A field as the designer shows it: its label, its type, and what is set on it (badges). */
export function FieldChip({ placement, overlay = false }: { placement: Placement; overlay?: boolean }) {
  const { fields, locale } = useDesigner();
  const info = fields.get(placement.field);
  const type = info ? label(fieldTypeLabels[info.type], locale) || info.type : '';
  return (
    <span className={`al-chip${overlay ? ' al-overlay' : ''}`}>
      <span className="al-chip-label">{info?.label ?? placement.field}</span>
      <span className="al-chip-type muted">{type}</span>
      {placement.span > 1 ? <span className="badge">{t(locale, 'al_span_n', { n: placement.span })}</span> : null}
      {placement.readOnly ? <span className="badge">{t(locale, 'al_badge_read_only')}</span> : null}
      {placement.visibleWhen ? <span className="badge al-badge-visible">{t(locale, 'al_badge_visible')}</span> : null}
      {placement.requiredWhen ? <span className="badge al-badge-required">{t(locale, 'al_badge_required')}</span> : null}
    </span>
  );
}

/** The problems of one control, under it. */
export function Problems({ at }: { at: string }) {
  const problems = useDesigner().problemsAt(at);
  if (!problems.length) return null;
  return <>{problems.map((message, i) => <div key={i} className="field-error" role="alert">{message}</div>)}</>;
}

/**
 * A draggable field of the palette or of a section: a drag handle (pointer, or keyboard:
 * Space, arrow keys, Space), the field, and the same moves as buttons (`actions`).
 */
function SortableField({ placement, container, actions, children }: {
  placement: Placement; container: string; actions: ReactNode; children?: ReactNode;
}) {
  const { fields, locale } = useDesigner();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: placement.id, data: { container },
  });
  const style: CSSProperties = { transform: CSS.Translate.toString(transform), transition };
  const name = fields.get(placement.field)?.label ?? placement.field;
  return (
    <li ref={setNodeRef} style={style} className={`al-field${isDragging ? ' dragging' : ''}`} data-field={placement.field}>
      <div className="al-field-row">
        <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners}
          aria-label={t(locale, 'al_drag_handle', { field: name })} title={t(locale, 'al_drag_handle', { field: name })}>⠿</button>
        <FieldChip placement={placement} />
        <div className="al-field-actions">{actions}</div>
      </div>
      <Problems at={control.field(placement.id)} />
      {children}
    </li>
  );
}

/** A field of the palette, with the choice of a section to put it in. */
export function PaletteField({ placement }: { placement: Placement }) {
  const { draft, fields, order, edit, locale } = useDesigner();
  const name = fields.get(placement.field)?.label ?? placement.field;
  return (
    <SortableField placement={placement} container={PALETTE} actions={
      <select value="" aria-label={t(locale, 'al_place_field', { field: name })}
        onChange={(e) => edit((d) => moveField(d, placement.id, e.target.value, undefined, order))}>
        <option value="" disabled>{t(locale, 'al_place_in')}</option>
        {draft.sections.map((s) => <option key={s.name} value={s.name}>{label(s.label, locale) || s.name}</option>)}
      </select>
    } />
  );
}

/**
 * A field placed in a section: moved up and down, to another section or off the layout with
 * buttons too; its settings (width, read-only, conditions) open below it.
 */
export function PlacedField({ placement, section, index }: { placement: Placement; section: DraftSection; index: number }) {
  const { draft, fields, order, edit, locale, problemsAt } = useDesigner();
  const name = fields.get(placement.field)?.label ?? placement.field;
  const conditionsWrong = problemsAt(control.condition(placement.id, 'visibleWhen')).length + problemsAt(control.condition(placement.id, 'requiredWhen')).length > 0;
  const [open, setOpen] = useState(conditionsWrong);
  const move = (container: string, at: number | undefined) => edit((d) => moveField(d, placement.id, container, at, order));
  const settingsId = `al-settings-${placement.id}`;
  return (
    <SortableField placement={placement} container={section.name} actions={
      <>
        <button type="button" className="al-icon" onClick={() => move(section.name, index - 1)} disabled={index === 0}
          aria-label={t(locale, 'al_move_field_up', { field: name })} title={t(locale, 'al_move_up')}>↑</button>
        <button type="button" className="al-icon" onClick={() => move(section.name, index + 1)} disabled={index === section.fields.length - 1}
          aria-label={t(locale, 'al_move_field_down', { field: name })} title={t(locale, 'al_move_down')}>↓</button>
        <select value="" aria-label={t(locale, 'al_move_field_to', { field: name })} onChange={(e) => move(e.target.value, undefined)}>
          <option value="" disabled>{t(locale, 'al_move_to')}</option>
          {draft.sections.filter((s) => s.name !== section.name).map((s) => <option key={s.name} value={s.name}>{label(s.label, locale) || s.name}</option>)}
          <option value={PALETTE}>{t(locale, 'al_unplace')}</option>
        </select>
        <button type="button" aria-expanded={open || conditionsWrong} aria-controls={settingsId} onClick={() => setOpen(!open)}
          aria-label={t(locale, 'al_field_settings_of', { field: name })}>{t(locale, 'al_field_settings')}</button>
      </>
    }>
      {open || conditionsWrong ? <FieldSettings id={settingsId} placement={placement} section={section} /> : null}
    </SortableField>
  );
}

/** A placed field's settings: its width in the section's columns, read-only in this form, and when it shows and when it is required. */
function FieldSettings({ id, placement, section }: { id: string; placement: Placement; section: DraftSection }) {
  const { edit, locale } = useDesigner();
  const spans = Array.from({ length: Math.max(section.columns, placement.span) }, (_, i) => i + 1);
  return (
    <div className="al-settings" id={id}>
      <div className="al-settings-row">
        <label className="field">
          <span>{t(locale, 'al_span')}</span>
          <select value={placement.span} onChange={(e) => edit((d) => updatePlacement(d, placement.id, { span: Number(e.target.value) }))}>
            {spans.map((n) => <option key={n} value={n}>{t(locale, 'al_span_n', { n })}</option>)}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={placement.readOnly} onChange={(e) => edit((d) => updatePlacement(d, placement.id, { readOnly: e.target.checked }))} />
          <span>{t(locale, 'al_read_only')}</span>
        </label>
      </div>
      <ConditionEditor placement={placement} kind="visibleWhen" />
      <ConditionEditor placement={placement} kind="requiredWhen" />
    </div>
  );
}
