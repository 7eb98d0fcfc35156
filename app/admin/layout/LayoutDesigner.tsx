import {
  DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors,
  type Announcements, type DragEndEvent, type DragOverEvent, type DragStartEvent, type UniqueIdentifier,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { label, t, type Locale } from '../../text/index.ts';
import { ChangeReview } from '../change-review.tsx';
import type { ChangeResult } from '../change.ts';
import { useChange } from '../use-change.ts';
import { bothLanguages, DesignerContext, type Designer } from './designer.ts';
import { containerOfArea, dropPlace, fieldCollisions } from './dnd.ts';
import {
  addSection, canonical, draftOf, layoutDocument, locate, moveField, placementOf,
  type FieldInfo, type LayoutDraft,
} from './draft.ts';
import { FieldChip } from './FieldRow.tsx';
import { LayoutPreview } from './LayoutPreview.tsx';
import { Palette } from './Palette.tsx';
import { control, draftProblems, engineProblems, type DesignerProblem } from './problems.ts';
import { SectionCard } from './SectionCard.tsx';
import { TabsEditor } from './TabsEditor.tsx';
import type { LayoutDesignerData } from './load.server.ts';

/** What the page's loader gives the designer (app/admin/layout/load.server.ts), with the metadata version it is at. */
export type LayoutDesignerProps = LayoutDesignerData & { version: number };

/**
 * The form layout designer: the palette of fields not placed, the sections (drag fields in,
 * between and out with the pointer or the keyboard, or use each field's buttons), tabs, and per
 * field its width, read-only flag and conditions — beside the live preview of the real staff
 * form built from the draft. Problems show at the control they are about as the admin works
 * (the designer's own checks at once, the engine's `validate` shortly after); the draft is ONE
 * change (the layout document), reviewed and applied with `ChangeReview`.
 */
export function LayoutDesigner({ data, locale }: { data: LayoutDesignerProps; locale: Locale }) {
  const fields = useMemo(() => new Map(data.fields.map((f) => [f.name, f])), [data.fields]);
  const order = useMemo(() => data.fields.map((f) => f.name), [data.fields]);
  const baseline = useMemo(
    () => draftOf(data.document, { name: data.freshName, entity: data.entity.name, label: data.entity.label }, data.fields),
    [data.document, data.freshName, data.entity, data.fields],
  );
  const [draft, setDraft] = useState(baseline);
  // New data from the server (after an apply): an untouched draft follows it; one being edited stays.
  const [loaded, setLoaded] = useState(baseline);
  if (loaded !== baseline) {
    setLoaded(baseline);
    if (canonical(layoutDocument(draft)) === canonical(layoutDocument(loaded))) setDraft(baseline);
  }
  const document = useMemo(() => layoutDocument(draft), [draft]);
  const draftChange = useMemo(() => ({ upsert: [document] }), [document]);
  const draftJson = JSON.stringify(draftChange);
  const dirty = !data.document || canonical(document) !== canonical(layoutDocument(baseline));

  // Marks the page as interactive (scripts loaded): end-to-end tests wait for it before dragging.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const change = useChange(data.version);
  const { validate, reset, result } = change;
  useEffect(() => {
    if (dirty) validate(draftChange);
    // An answer about an earlier draft (its plan, its refusal, "applied") goes once the admin edits again.
    if (result && result.draft !== draftJson) reset();
    // Once per draft: `draftJson` stands for it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftJson, dirty]);

  const [pending, setPendingState] = useState<ReadonlyMap<string, string>>(new Map());
  const setPending = useCallback((at: string, message: string | undefined) => {
    setPendingState((now) => {
      if (now.get(at) === message) return now;
      const next = new Map(now);
      if (message === undefined) next.delete(at);
      else next.set(at, message);
      return next;
    });
  }, []);
  const local = useMemo(() => draftProblems(draft, fields, locale), [draft, fields, locale]);
  // The engine's answer about exactly this draft (an older one's pointers may name other places).
  const answer = [change.result, change.validation].find((a): a is ChangeResult => a?.draft === draftJson && a.problems.length > 0);
  const fromEngine = useMemo(
    () => engineProblems(draft, (answer?.problems ?? []).filter((p) => !p.source || p.source === `layout:${document.name}`)),
    [answer, draft, document.name],
  );
  const problems: DesignerProblem[] = useMemo(
    () => [...local, ...fromEngine, ...[...pending].map(([at, message]) => ({ at, message }))],
    [local, fromEngine, pending],
  );
  const byControl = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const p of problems) map.set(p.at, [...(map.get(p.at) ?? []), p.message]);
    return map;
  }, [problems]);
  const blocking = local.length + pending.size;

  // The section the admin works on (focus inside it, a field dragged into it): the preview shows it.
  const [shown, showSection] = useState<string | undefined>();
  const current = useRef(draft);
  current.current = draft;
  const edit = useCallback((changeDraft: (d: LayoutDraft) => LayoutDraft) => setDraft((d) => changeDraft(d)), []);
  const designer = useMemo<Designer>(() => ({
    locale, draft, fields, order, edit, setPending, showSection, problemsAt: (at) => byControl.get(at) ?? [],
  }), [locale, draft, fields, order, edit, setPending, byControl]);

  const { sensors, announcements, active, onDragStart, onDragOver, onDragEnd, onDragCancel } = useFieldDragging(current, edit, showSection, fields, order, locale);
  const activePlacement = active ? placementOf(draft, active) : undefined;
  const entityLabel = label(data.entity.label, locale);
  const layoutProblems = byControl.get(control.layout) ?? [];

  return (
    <DesignerContext.Provider value={designer}>
      <div className="al-page" data-hydrated={hydrated ? 'true' : 'false'}>
        <p className="al-back"><Link to={`/admin/entities/${data.entity.name}`}>{t(locale, 'al_back_entity')}</Link></p>
        <div className="page-head">
          <h1>{t(locale, 'al_title', { entity: entityLabel })}</h1>
          <code className="al-name">{document.name}</code>
          {dirty && data.document ? <span className="badge">{t(locale, 'al_unsaved')}</span> : null}
        </div>
        <p className="muted al-lead">{t(locale, 'al_lead')}</p>
        {data.document ? null : <p className="notice">{t(locale, 'al_new_layout', { name: document.name })}</p>}
        <div className="al-workspace">
          <div className="al-designer">
            <DndContext
              id="layout-designer"
              sensors={sensors}
              collisionDetection={fieldCollisions}
              accessibility={{ announcements, screenReaderInstructions: { draggable: t(locale, 'al_drag_instructions') } }}
              onDragStart={onDragStart}
              onDragOver={onDragOver}
              onDragEnd={onDragEnd}
              onDragCancel={onDragCancel}
            >
              <TabsEditor />
              <Palette />
              {draft.sections.map((section, i) => (
                <SectionCard key={section.name} section={section} index={i} count={draft.sections.length} />
              ))}
              <DragOverlay dropAnimation={null}>
                {activePlacement ? <FieldChip placement={activePlacement} overlay /> : null}
              </DragOverlay>
            </DndContext>
            <div className="al-add">
              <button type="button" onClick={() => edit((d) => addSection(d, bothLanguages('al_section_new')))}>+ {t(locale, 'al_section_add')}</button>
            </div>
            {layoutProblems.length ? (
              <div className="alert al-layout-problems" role="alert">
                <strong>{t(locale, 'al_layout_problems')}</strong>
                <ul>{layoutProblems.map((message, i) => <li key={i}>{message}</li>)}</ul>
              </div>
            ) : null}
            {blocking ? <p className="alert al-blocking" role="alert">{t(locale, 'al_blocking', { count: blocking })}</p> : null}
            <ChangeReview change={change} draft={draftChange} dirty={dirty && !blocking} />
          </div>
          <LayoutPreview data={data.preview} entityLabel={data.entity.label} document={document} sample={data.sample} locale={locale} shown={shown} />
        </div>
      </div>
    </DesignerContext.Provider>
  );
}

/**
 * Dragging fields with the pointer or the keyboard (Space, arrow keys, Space; Escape cancels):
 * a field dragged over another area moves there at once — so the preview follows the drag —
 * and within an area it takes its place on drop. Escape puts everything back as it was.
 */
function useFieldDragging(
  current: { current: LayoutDraft }, edit: Designer['edit'], showSection: Designer['showSection'],
  fields: ReadonlyMap<string, FieldInfo>, order: readonly string[], locale: Locale,
) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const [active, setActive] = useState<string | null>(null);
  const before = useRef<LayoutDraft | null>(null);

  const fieldName = (id: UniqueIdentifier) => {
    const p = placementOf(current.current, String(id));
    return p ? fields.get(p.field)?.label ?? p.field : String(id);
  };
  const where = (id: UniqueIdentifier | undefined) => {
    if (id === undefined) return { target: '', n: 0 };
    const area = containerOfArea(id);
    const place = area !== undefined ? { container: area, index: 0 } : locate(current.current, String(id));
    const section = current.current.sections.find((s) => s.name === place?.container);
    return { target: section ? label(section.label, locale) : t(locale, 'al_palette'), n: (place?.index ?? 0) + 1 };
  };
  const announcements: Announcements = {
    onDragStart: ({ active: a }) => t(locale, 'al_drag_start', { field: fieldName(a.id) }),
    onDragOver: ({ active: a, over }) => (over ? t(locale, 'al_drag_over', { field: fieldName(a.id), ...where(over.id) }) : undefined),
    // Dropped on another field: it takes that field's place; otherwise it stays where the drag over another area put it.
    onDragEnd: ({ active: a, over }) => t(locale, 'al_drag_end', { field: fieldName(a.id), ...where(over && over.id !== a.id ? over.id : a.id) }),
    onDragCancel: ({ active: a }) => t(locale, 'al_drag_cancel', { field: fieldName(a.id) }),
  };

  const middleOf = (event: DragOverEvent | DragEndEvent) => {
    const rect = event.active.rect.current.translated;
    return rect ? rect.top + rect.height / 2 : undefined;
  };
  const onDragStart = ({ active: a }: DragStartEvent) => {
    before.current = current.current;
    setActive(String(a.id));
  };
  const onDragOver = (event: DragOverEvent) => {
    const { active: a, over } = event;
    if (!over || over.id === a.id) return;
    const from = locate(current.current, String(a.id));
    const to = dropPlace(current.current, over.id, middleOf(event), over.rect);
    if (!from || !to || from.container === to.container) return;
    edit((d) => moveField(d, String(a.id), to.container, to.index, order));
    showSection(to.container);
  };
  const onDragEnd = (event: DragEndEvent) => {
    const { active: a, over } = event;
    setActive(null);
    before.current = null;
    if (!over || over.id === a.id) return;
    const from = locate(current.current, String(a.id));
    const to = containerOfArea(over.id) === undefined ? locate(current.current, String(over.id)) : dropPlace(current.current, over.id, middleOf(event), over.rect);
    if (!from || !to) return;
    if (from.container !== to.container || from.index !== to.index) edit((d) => moveField(d, String(a.id), to.container, to.index, order));
  };
  const onDragCancel = () => {
    setActive(null);
    const restore = before.current;
    before.current = null;
    if (restore) edit(() => restore);
  };
  return { sensors, announcements, active, onDragStart, onDragOver, onDragEnd, onDragCancel };
}
