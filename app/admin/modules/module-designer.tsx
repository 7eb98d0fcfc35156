import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import {
  closestCenter, DndContext, DragOverlay, KeyboardSensor, PointerSensor, pointerWithin, rectIntersection, useDroppable, useSensor, useSensors,
  type Announcements, type CollisionDetection, type DragEndEvent, type DragOverEvent, type UniqueIdentifier,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { label, t } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import type { ProblemView } from '../change.ts';
import { ChangeReview } from '../change-review.tsx';
import type { Change } from '../use-change.ts';
import { suggestMachineName } from '../entities/names.ts';
import {
  addModule, draftOf, initialDesign, moduleOfEntity, moduleProblems, moveEntity, moveModule, removeModule, UNASSIGNED, updateModule,
  type DesignModule, type ModuleDesign, type ModuleDesignData,
} from './design.ts';
import { Icon } from '../../icons/icon.tsx';
import { IconPicker } from '../../icons/icon-picker.tsx';
import { MenuPreview } from './menu-preview.tsx';

// Drag ids: `m:<key>` a module card, `l:<key>` a module's entity list (`l:` the entities in no
// module), `e:<name>` an entity.
type DragKind = 'module' | 'list' | 'entity';
const moduleId = (key: string) => `m:${key}`;
const listId = (key: string) => `l:${key}`;
const entityId = (name: string) => `e:${name}`;
const kindOf = (id: UniqueIdentifier): DragKind => ({ m: 'module', l: 'list', e: 'entity' } as const)[String(id)[0] as 'm' | 'l' | 'e'];
const nameOf = (id: UniqueIdentifier) => String(id).slice(2);

/**
 * The module designer (模块与导航): the modules in menu order, each with its labels, icon and
 * entities; modules and entities are reordered by dragging (pointer or keyboard) or with
 * buttons, entities moved to another module by dragging or by picking it; a preview of the
 * menu beside. Everything is ONE draft (`draftOf`), checked as the admin edits and reviewed
 * and applied with `<ChangeReview>`. Mount it again (a `key`) when `data` is of a new version.
 */
export function ModuleDesigner({ data, change }: { data: ModuleDesignData; change: Change }) {
  const locale = useLocale();
  const [design, setDesign] = useState(() => initialDesign(data));
  const [dragging, setDragging] = useState<UniqueIdentifier | undefined>(undefined);
  // Set once the scripts run: tests (and people) can use the controls from then on.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const draft = useMemo(() => draftOf(data, design), [data, design]);
  const draftJson = JSON.stringify(draft);
  const dirty = draft.upsert.length > 0 || Boolean(draft.remove?.length);
  // The live check of each new draft (debounced by `validate`); its answer must not ask again.
  const validate = useRef(change.validate);
  validate.current = change.validate;
  useEffect(() => {
    if (dirty) validate.current(JSON.parse(draftJson));
  }, [draftJson, dirty]);

  // Every edit goes through here: an answer about an older draft no longer applies.
  const edit = (next: ModuleDesign) => {
    setDesign(next);
    change.reset();
  };
  // The design as it is while a drag moves an entity across modules (handlers read it between renders).
  const latest = useRef(design);
  latest.current = design;

  const entityLabel = (name: string) => label(data.entities[name]?.label, locale) || name;
  const moduleTitle = (module: DesignModule) => module.label[locale]?.trim() || module.name || t(locale, 'am_unnamed');
  const titleOf = (id: UniqueIdentifier) => {
    if (kindOf(id) === 'entity') return entityLabel(nameOf(id));
    const module = design.modules.find((m) => m.key === nameOf(id));
    return module ? moduleTitle(module) : t(locale, 'am_unassigned');
  };
  const iconOf = (id: UniqueIdentifier) => (kindOf(id) === 'entity'
    ? data.entities[nameOf(id)]?.schema['x-forma']?.icon
    : design.modules.find((m) => m.key === nameOf(id))?.icon);
  const listIn = (key: string) => (key === UNASSIGNED ? latest.current.unassigned : latest.current.modules.find((m) => m.key === key)?.entities ?? []);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  // While a module moves only modules are drop targets, while an entity moves only entities and
  // lists (the others are disabled), so the keyboard too steps between targets of the right kind.
  const moving = dragging === undefined ? undefined : kindOf(dragging);
  const collision: CollisionDetection = (args) => {
    if (kindOf(args.active.id) === 'module') return closestCenter(args);
    const hits = pointerWithin(args);
    const first = (hits.length ? hits : rectIntersection(args))[0];
    if (!first) return closestCenter(args);
    // Over a module's list: the nearest of its entities, so the drop lands between the right two.
    const inList = kindOf(first.id) === 'list' ? listIn(nameOf(first.id)).map(entityId) : [];
    if (!inList.length) return [first];
    return closestCenter({ ...args, droppableContainers: args.droppableContainers.filter((c) => inList.includes(String(c.id))) });
  };
  const containerOf = (id: UniqueIdentifier) => (kindOf(id) === 'list' ? nameOf(id) : moduleOfEntity(latest.current, nameOf(id)));
  /** Where an entity dropped over `over` goes: its module's end, or the place of the entity it is over. */
  const dropAt = (over: UniqueIdentifier) => {
    const to = containerOf(over);
    if (to === undefined) return undefined;
    return { to, index: kindOf(over) === 'list' ? listIn(to).length : listIn(to).indexOf(nameOf(over)) };
  };
  // Into another module as soon as the entity is over it, so its list opens a place for it.
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over || kindOf(active.id) !== 'entity') return;
    const target = dropAt(over.id);
    if (target && target.to !== containerOf(active.id)) edit(moveEntity(latest.current, nameOf(active.id), target.to, target.index));
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(undefined);
    if (!over || active.id === over.id) return;
    if (kindOf(active.id) === 'module') {
      const keys = latest.current.modules.map((m) => moduleId(m.key));
      edit(moveModule(latest.current, keys.indexOf(String(active.id)), keys.indexOf(String(over.id))));
      return;
    }
    const target = dropAt(over.id);
    if (target) edit(moveEntity(latest.current, nameOf(active.id), target.to, target.index));
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t(locale, 'am_drag_start', { label: titleOf(active.id) }),
    onDragOver: ({ active, over }) => (over ? t(locale, 'am_drag_over', { label: titleOf(active.id), over: titleOf(over.id) }) : undefined),
    onDragEnd: ({ active }) => t(locale, 'am_drag_end', { label: titleOf(active.id) }),
    onDragCancel: ({ active }) => t(locale, 'am_drag_cancel', { label: titleOf(active.id) }),
  };

  const hiddenFor = (name: string) => data.roles.filter((role) => (role.modules as Record<string, { visible?: boolean }>)[name]?.visible === false)
    .map((role) => label(role.label, locale));
  const destinations = [
    ...design.modules.map((m) => ({ key: m.key, title: moduleTitle(m) })),
    { key: UNASSIGNED, title: t(locale, 'am_unassigned') },
  ];
  const undocumented = design.modules.filter((m) => m.undocumented).length;
  const entityRows = (key: string, names: string[]) => names.map((name, i) => (
    <EntityRow
      key={name} name={name} title={entityLabel(name)} icon={iconOf(entityId(name))}
      lines={(data.lineEntities[name] ?? []).map((line) => entityLabel(line))} moduleKey={key} index={i} count={names.length} moving={moving}
      destinations={destinations} problems={change.problemsAt(`entity:${name}`, '/schema/x-forma/module')}
      onMove={(to, index) => edit(moveEntity(latest.current, name, to, index))}
    />
  ));

  return (
    <div className="module-designer" data-hydrated={hydrated ? 'true' : undefined}>
      {undocumented ? <p className="notice">{t(locale, 'am_undocumented_hint', { count: undocumented })}</p> : null}
      <div className="module-columns">
        <div className="module-list">
          <DndContext
            sensors={sensors} collisionDetection={collision} onDragStart={({ active }) => setDragging(active.id)} onDragOver={onDragOver}
            onDragEnd={onDragEnd} onDragCancel={() => setDragging(undefined)}
            accessibility={{ announcements, screenReaderInstructions: { draggable: t(locale, 'am_drag_instructions') } }}
          >
            <SortableContext items={design.modules.map((m) => moduleId(m.key))} strategy={verticalListSortingStrategy}>
              {design.modules.map((module, i) => (
                <ModuleCard
                  key={module.key} module={module} title={moduleTitle(module)} index={i} count={design.modules.length}
                  problems={moduleProblems(design, module)} engineProblems={module.name ? change.problemsAt(`module:${module.name}`, '') : []}
                  hiddenFor={hiddenFor(module.name)} moving={moving}
                  onChange={(next) => edit(updateModule(latest.current, module.key, next))}
                  onMove={(to) => edit(moveModule(latest.current, i, to))}
                  onRemove={() => edit(removeModule(latest.current, module.key))}
                >
                  {entityRows(module.key, module.entities)}
                </ModuleCard>
              ))}
            </SortableContext>
            {design.unassigned.length ? (
              <section className="module-card card unassigned" aria-label={t(locale, 'am_unassigned')}>
                <header className="module-head"><h2>{t(locale, 'am_unassigned')}</h2></header>
                <EntityList moduleKey={UNASSIGNED} names={design.unassigned} moving={moving}>{entityRows(UNASSIGNED, design.unassigned)}</EntityList>
              </section>
            ) : null}
            <DragOverlay>
              {dragging !== undefined ? (
                <div className={`drag-ghost ${kindOf(dragging)}`}><ItemIcon icon={iconOf(dragging)} />{titleOf(dragging)}</div>
              ) : null}
            </DragOverlay>
          </DndContext>
          <button type="button" className="add-module" onClick={() => edit(addModule(latest.current))}>+ {t(locale, 'am_add')}</button>
        </div>
        <MenuPreview design={design} data={data} />
      </div>
      <ChangeReview change={change} draft={draft} dirty={dirty} />
    </div>
  );
}

function ItemIcon({ icon }: { icon: string | undefined }) {
  return icon ? <Icon name={icon} /> : <span className="icon-none" aria-hidden="true" />;
}

interface ModuleCardProps {
  module: DesignModule;
  title: string;
  index: number;
  count: number;
  problems: ReturnType<typeof moduleProblems>;
  engineProblems: ProblemView[];
  hiddenFor: string[];
  /** What is being dragged, if anything: a module card is a drop target only for modules. */
  moving: DragKind | undefined;
  onChange: (change: Partial<Pick<DesignModule, 'name' | 'label' | 'icon'>>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  children: ReactNode;
}

/** One module: drag handle, icon, machine name, labels, moves and removal, then its entities. */
function ModuleCard({ module, title, index, count, problems, engineProblems, hiddenFor, moving, onChange, onMove, onRemove, children }: ModuleCardProps) {
  const locale = useLocale();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: moduleId(module.key), disabled: { draggable: false, droppable: moving === 'entity' },
  });
  const style: CSSProperties = { transform: CSS.Translate.toString(transform), transition };
  const at = (prefix: string) => engineProblems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}/`));
  const rest = engineProblems.filter((p) => !['/name', '/label', '/icon'].some((prefix) => p.path === prefix || p.path.startsWith(`${prefix}/`)));
  const nameSuggested = module.added && module.name === suggestMachineName(module.label.en);
  const setLabel = (lang: 'zh-CN' | 'en', text: string) => {
    const next = { ...module.label, [lang]: text };
    // A new module's machine name follows its English label until the admin types one.
    onChange(lang === 'en' && nameSuggested ? { label: next, name: suggestMachineName(text) } : { label: next });
  };
  const empty = module.entities.length === 0;
  return (
    <section ref={setNodeRef} style={style} className={`module-card card${isDragging ? ' dragging' : ''}`} data-module={module.name} aria-label={title}>
      <header className="module-head">
        <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={t(locale, 'am_module_drag', { label: title })} title={t(locale, 'am_module_drag', { label: title })}>⠿</button>
        <IconPicker
          value={module.icon} label={t(locale, 'am_icon_choose', { label: title, icon: module.icon ?? t(locale, 'am_icon_none') })}
          onChange={(icon) => onChange({ icon })}
        />
        <div className="module-name">
          {module.added ? (
            <Control label={t(locale, 'am_name')} error={problems.name ? t(locale, problems.name) : undefined} problems={at('/name')}>
              <input type="text" value={module.name} placeholder={t(locale, 'am_name_hint')} maxLength={48} onChange={(e) => onChange({ name: e.target.value.trim() })} />
            </Control>
          ) : <code title={t(locale, 'am_name')}>{module.name}</code>}
          {module.added ? <span className="badge change-created">{t(locale, 'am_badge_new')}</span> : null}
          {module.undocumented ? <span className="badge">{t(locale, 'am_badge_undocumented')}</span> : null}
        </div>
        <div className="module-actions">
          <button type="button" onClick={() => onMove(index - 1)} disabled={index === 0} aria-label={t(locale, 'am_module_up', { label: title })} title={t(locale, 'am_module_up', { label: title })}>↑</button>
          <button type="button" onClick={() => onMove(index + 1)} disabled={index === count - 1} aria-label={t(locale, 'am_module_down', { label: title })} title={t(locale, 'am_module_down', { label: title })}>↓</button>
          <button type="button" className="danger" onClick={onRemove} disabled={!empty} aria-label={t(locale, 'am_remove_label', { label: title })}
            title={empty ? t(locale, 'am_remove_label', { label: title }) : t(locale, 'am_remove_not_empty')}>{t(locale, 'am_remove')}</button>
        </div>
      </header>
      <div className="module-labels">
        {(['zh-CN', 'en'] as const).map((lang) => (
          <Control
            key={lang} label={t(locale, lang === 'zh-CN' ? 'am_label_zh' : 'am_label_en')} error={problems[lang] ? t(locale, problems[lang]) : undefined}
            problems={[...at(`/label/${lang}`), ...(lang === 'zh-CN' ? at('/label').filter((p) => p.path === '/label') : [])]}
          >
            <input type="text" lang={lang} value={module.label[lang] ?? ''} maxLength={200} onChange={(e) => setLabel(lang, e.target.value)} />
          </Control>
        ))}
      </div>
      {at('/icon').map((p, i) => <p key={i} className="field-error" role="alert">{p.message}</p>)}
      {hiddenFor.length ? <p className="muted small">{t(locale, 'am_hidden_for', { roles: hiddenFor.join('、') })}</p> : null}
      <EntityList moduleKey={module.key} names={module.entities} moving={moving}>{children}</EntityList>
      {rest.length ? <ul className="problems" role="alert">{rest.map((p, i) => <li key={i}>{p.message}</li>)}</ul> : null}
    </section>
  );
}

/** A labelled control with what is wrong with it: the designer's own check first, else the engine's. */
function Control({ label: text, error, problems, children }: { label: string; error?: string; problems: ProblemView[]; children: ReactNode }) {
  const messages = error ? [error] : problems.map((p) => p.message);
  return (
    <label className={`field${messages.length ? ' has-error' : ''}`}>
      <span>{text}</span>
      {children}
      {messages.map((message, i) => <span key={i} className="field-error" role="alert">{message}</span>)}
    </label>
  );
}

/** A module's entities: a sortable list that is also where an entity from another module drops. */
function EntityList({ moduleKey, names, moving, children }: { moduleKey: string; names: string[]; moving: DragKind | undefined; children: ReactNode }) {
  const locale = useLocale();
  const { setNodeRef, isOver } = useDroppable({ id: listId(moduleKey), disabled: moving === 'module' });
  return (
    <SortableContext items={names.map(entityId)} strategy={verticalListSortingStrategy}>
      <ul ref={setNodeRef} className={`entity-list${isOver ? ' over' : ''}`}>
        {children}
        {names.length === 0 ? <li className="entity-empty muted">{t(locale, 'am_module_empty')}</li> : null}
      </ul>
    </SortableContext>
  );
}

interface EntityRowProps {
  name: string;
  title: string;
  icon: string | undefined;
  lines: string[];
  moduleKey: string;
  index: number;
  count: number;
  destinations: { key: string; title: string }[];
  problems: ProblemView[];
  moving: DragKind | undefined;
  onMove: (to: string, index?: number) => void;
}

/** One entity of a module: drag handle, icon and label, up / down, and the module to move it to. */
function EntityRow({ name, title, icon, lines, moduleKey, index, count, destinations, problems, moving, onMove }: EntityRowProps) {
  const locale = useLocale();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: entityId(name), disabled: { draggable: false, droppable: moving === 'module' },
  });
  const style: CSSProperties = { transform: CSS.Translate.toString(transform), transition };
  return (
    <li ref={setNodeRef} style={style} className={`entity-row${isDragging ? ' dragging' : ''}`} data-entity={name}>
      <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={t(locale, 'am_entity_drag', { label: title })} title={t(locale, 'am_entity_drag', { label: title })}>⠿</button>
      <ItemIcon icon={icon} />
      <span className="entity-title">
        {title} <code className="muted">{name}</code>
        {lines.length ? <small className="muted"> · {t(locale, 'am_lines_follow', { lines: lines.join('、') })}</small> : null}
        {problems.map((p, i) => <span key={i} className="field-error" role="alert">{p.message}</span>)}
      </span>
      <span className="entity-actions">
        <button type="button" onClick={() => onMove(moduleKey, index - 1)} disabled={index === 0} aria-label={t(locale, 'am_entity_up', { label: title })} title={t(locale, 'am_entity_up', { label: title })}>↑</button>
        <button type="button" onClick={() => onMove(moduleKey, index + 1)} disabled={index === count - 1} aria-label={t(locale, 'am_entity_down', { label: title })} title={t(locale, 'am_entity_down', { label: title })}>↓</button>
        <label className="move-to">
          <span>{t(locale, 'am_move_to')}</span>
          <select value={moduleKey} aria-label={t(locale, 'am_move_to_label', { label: title })} onChange={(e) => onMove(e.target.value)}>
            {destinations.map((d) => <option key={d.key} value={d.key}>{d.title}</option>)}
          </select>
        </label>
      </span>
    </li>
  );
}
