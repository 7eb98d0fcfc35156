import { entityChange, type FormerSpots, type Placement } from './placements.ts';
import { useLeaveGuard } from '../../use-leave-guard.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { activeFields, type EntityDocument } from '../../../engine/metadata/model.ts';
import { label, t } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import type { DraftChange } from '../change.ts';
import { ChangeReview, ProblemList } from '../change-review.tsx';
import type { Change } from '../use-change.ts';
import type { DesignerChoices } from './choices.ts';
import { entityArchived, entityWithSettings, newEntityDocument, settingsOf } from './entity-draft.ts';
import { EntitySettingsCard } from './EntitySettingsCard.tsx';
import {
  entityWithField, entityWithFieldArchived, entityWithoutNewField, fieldDraftOf, newFieldDraft, type FieldOrigin,
} from './field-draft.ts';
import { FieldEditor, type FieldEditing } from './FieldEditor.tsx';
import { FieldsTable } from './FieldsTable.tsx';
import {
  entityEngineProblems, entitySettingsProblems, fieldDraftProblems, fieldEngineProblems, messagesAt, shownProblems,
} from './problems.ts';
import { PurgeDialog } from './PurgeDialog.tsx';

/** No placements: a new entity's. */
const NONE: readonly Placement[] = [];

/** The field open in the editor, with the field it started from (none for a field added now). */
type Editing = FieldEditing & { origin?: FieldOrigin; opened: number };

/**
 * The entity manager: an entity's settings, its fields table and the field editor, all edits
 * kept in ONE draft of the entity document — nothing is written until it is reviewed and
 * applied with `<ChangeReview>`. Problems show at their control as the admin types: the
 * manager's own checks at once, the engine's (`validate`, then `review`) as they come back.
 * Purging an archived field or entity is the one immediate action, after typing its name.
 *
 * Remount it (a `key`) when the applied version changes: it starts again from what is applied.
 */
export function EntityDesigner({ stored, origins, choices, change, placements = NONE, former, onCreated, onPurgedEntity }: {
  /** The entity as applied; undefined to create one. */
  stored: EntityDocument | undefined;
  /** The layouts and list views placing its fields: archiving a field takes it off them in the same change. */
  placements?: readonly Placement[];
  /** Where its archived fields stood before they were archived: restoring one puts it back there. */
  former?: FormerSpots;
  /** The applied fields with the keywords their types imply (entities.server.ts `fieldOrigins`). */
  origins: Record<string, FieldOrigin>;
  choices: DesignerChoices;
  change: Change;
  /** A new entity was applied (the page moves to its manager). */
  onCreated?: (name: string, version: number) => void;
  /** The entity was purged (its page is gone). */
  onPurgedEntity?: () => void;
}) {
  const locale = useLocale();
  const isNew = stored === undefined;
  const base = useMemo(() => stored ?? newEntityDocument(), [stored]);
  const [doc, setDoc] = useState<EntityDocument>(base);
  const [editing, setEditing] = useState<Editing | undefined>();
  const [entityNameTyped, setEntityNameTyped] = useState(false);
  // The admin tried to go on (close the field, review): empty controls now say so too.
  const [insist, setInsist] = useState(false);
  const [purging, setPurging] = useState<{ entity: string; field?: string; label: string } | undefined>();
  // Marks the designer as interactive (scripts loaded): end-to-end tests wait for it before typing.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const typeInfo = (type: string) => choices.fieldTypes.find((ft) => ft.name === type);
  const storedNames = new Set(Object.keys(stored?.schema.properties ?? {}));
  const taken = new Set([...storedNames, ...Object.keys(doc.schema.properties)]);
  if (editing?.origin && editing.isNew) taken.delete(editing.origin.name);
  const ownField = editing ? fieldDraftProblems(editing.draft, { isNew: editing.isNew, taken, info: typeInfo(editing.draft.type) }, locale) : [];
  const fieldNameOk = !ownField.some((p) => p.control === 'name');
  // A new field joins the draft once its name may be used: under a taken name it would replace another field.
  const effective = editing && fieldNameOk ? entityWithField(doc, editing.draft, editing.origin, typeInfo(editing.draft.type)) : doc;
  const settings = settingsOf(effective);
  const ownSettings = entitySettingsProblems(settings, isNew, new Set(choices.takenEntityNames), locale);
  const own = [...ownSettings, ...ownField];
  const draft: DraftChange = useMemo(() => entityChange(effective, stored, placements, former), [JSON.stringify(effective), stored, placements, former]);
  const draftJson = JSON.stringify(draft);
  const dirty = JSON.stringify(effective) !== JSON.stringify(base);
  const entityNameOk = !ownSettings.some((p) => p.control === 'entity.name');
  const applied = change.result?.applied !== undefined && change.result.draft === draftJson;

  // Live checks: every edit is validated by the engine shortly after the admin stops typing.
  useEffect(() => {
    if (dirty && entityNameOk) change.validate(draft);
  }, [draftJson]);

  // Leaving with changes not applied asks first; `leaving` is set right before the page itself
  // moves on (a created or purged entity).
  const leaving = useLeaveGuard(dirty && !applied);
  const openings = useRef(0);

  useEffect(() => {
    const result = change.result;
    if (!result?.applied?.changed) return;
    if (result.intent === 'apply' && isNew && result.draft === draftJson) {
      leaving.current = true;
      onCreated?.(effective.name, result.applied.version);
    }
    if (result.intent === 'purge' && purging && !purging.field) {
      leaving.current = true;
      onPurgedEntity?.();
    }
  }, [change.result]);

  const source = `entity:${effective.name}`;
  // The engine's last word, while the draft differs from what is applied (an undone edit takes its problems with it).
  const engine = dirty ? change.problemsAt(source, '') : [];
  const required = effective.schema.required ?? [];
  const editingName = editing ? (fieldNameOk ? editing.draft.name : editing.origin?.name) : undefined;
  const settingsShown = shownProblems(ownSettings, entityEngineProblems(engine), insist);
  const fieldShown = shownProblems(ownField, editingName ? fieldEngineProblems(engine, editingName, required) : [], insist);
  const problemCounts = new Map(Object.keys(effective.schema.properties).map((name) => [
    name,
    name === editingName ? fieldShown.own.length + fieldShown.engine.length : fieldEngineProblems(engine, name, required).length,
  ]));
  const shownOwn = [...settingsShown.own, ...fieldShown.own];
  const validation = change.validation;
  const others = dirty && validation?.draft === draftJson ? validation.problems.filter((p) => p.source !== source) : [];

  /** Every edit forgets the last review: it was about another draft. */
  const edit = (next: EntityDocument) => {
    if (change.result) change.reset();
    setDoc(next);
  };
  const editField = (next: Editing) => {
    if (change.result) change.reset();
    setEditing(next);
  };
  /**
   * Runs a step that closes the open field into the draft — unless the field has something to
   * correct: then the step waits and the editor shows what (nothing typed is dropped).
   */
  const withEditorClosed = (step: (draft: EntityDocument) => void) => () => {
    if (ownField.length) return setInsist(true);
    setEditing(undefined);
    setInsist(false);
    step(effective);
  };
  const openEditor = (next: Omit<Editing, 'opened'>) => editField({ ...next, opened: ++openings.current });
  const open = (name: string) => withEditorClosed((current) => {
    const field = current.schema.properties[name]!;
    setDoc(current);
    // An applied field is edited from what is applied (so editing it back restores it exactly), a new one from its draft.
    openEditor({
      draft: fieldDraftOf(name, field, required.includes(name), typeInfo(field['x-forma'].type)),
      isNew: !storedNames.has(name), nameTyped: true, origin: origins[name] ?? { name, field, required: required.includes(name), implied: [] },
    });
  })();

  return (
    <div className="ae-designer" data-hydrated={hydrated}>
      <EntitySettingsCard
        settings={settings} onChange={(s) => edit(entityWithSettings(doc, s))}
        nameTyped={entityNameTyped} onNameTyped={() => setEntityNameTyped(true)}
        draft={effective} stored={stored} choices={choices}
        messagesAt={(control) => messagesAt(control, settingsShown.own, settingsShown.engine)}
        general={settingsShown.engine.filter((p) => p.control === 'entity.general').map((p) => p.message)}
        onArchive={(archived) => withEditorClosed((current) => edit(entityArchived(current, archived)))()}
        onPurge={() => { change.reset(); setPurging({ entity: effective.name, label: label(effective.label, locale) }); }}
        canPurge={!dirty} locale={locale}
      />

      <section className="card section ae-fields-card" aria-labelledby="ae-fields-title">
        <div className="page-head">
          <h2 id="ae-fields-title">{t(locale, 'ae_fields')}</h2>
          <div className="page-actions">
            <button
              type="button" className="primary"
              onClick={withEditorClosed((current) => { setDoc(current); openEditor({ draft: newFieldDraft(), isNew: true, nameTyped: false }); })}
            >{t(locale, 'ae_add_field')}</button>
          </div>
        </div>
        <FieldsTable
          draft={effective} stored={stored} types={choices.fieldTypes} problemCounts={problemCounts}
          editing={editingName} canPurge={!dirty}
          actions={{
            edit: open,
            archive: (name, archived) => withEditorClosed((current) => edit(entityWithFieldArchived(current, name, archived)))(),
            remove: (name) => withEditorClosed((current) => edit(entityWithoutNewField(current, name)))(),
            purge: (name) => {
              change.reset();
              setPurging({ entity: effective.name, field: name, label: label(effective.schema.properties[name]!['x-forma'].label, locale) });
            },
          }}
          locale={locale}
        />
        <p className="muted ae-hint">{t(locale, 'ae_archive_field_hint')}</p>
      </section>

      {editing ? (
        <FieldEditor
          // Each opening is a new editor: focus and the editor's own state start afresh.
          key={editing.opened}
          editing={editing} onChange={(next) => editField({ ...editing, ...next })}
          info={typeInfo(editing.draft.type)} choices={choices} entityName={effective.name}
          formulaFields={activeFields(effective)
            .filter(([name, f]) => name !== editing.draft.name && f['x-forma'].type !== 'lines')
            .map(([name, f]) => ({ name, label: label(f['x-forma'].label, locale) }))}
          otherLabels={activeFields(effective)
            .filter(([name]) => name !== editing.draft.name && name !== editing.origin?.name)
            .map(([name, f]) => ({ name, label: f['x-forma'].label }))}
          formulaState={!entityNameOk ? undefined : validation?.draft === draftJson ? 'checked' : 'checking'}
          messagesAt={(control) => messagesAt(control, fieldShown.own, fieldShown.engine)}
          general={fieldShown.engine.filter((p) => p.control === 'general').map((p) => p.message)}
          onDone={withEditorClosed(setDoc)}
          onCancel={() => {
            if (change.result) change.reset();
            setEditing(undefined);
            setInsist(false);
          }}
          locale={locale}
        />
      ) : null}

      {others.length ? (
        <section className="card section ae-others" aria-label={t(locale, 'ae_other_problems')}>
          <h2>{t(locale, 'ae_other_problems')}</h2>
          <ProblemList problems={others} />
        </section>
      ) : null}

      {dirty && !isNew ? (
        <p className="ae-unsaved">
          <span className="notice">{t(locale, 'ae_unsaved')}</span>{' '}
          <button type="button" className="link" onClick={() => { setEditing(undefined); setInsist(false); edit(base); }}>{t(locale, 'ae_discard_all')}</button>
        </p>
      ) : null}
      {own.length ? (
        // What the manager itself finds wrong stops the review: the engine would only say it again.
        <section className="change-review card">
          <div className="change-review-actions">
            <button type="button" onClick={() => setInsist(true)}>{t(locale, 'admin_review')}</button>
          </div>
          {shownOwn.length
            ? <p className="alert ae-fix-first" role="alert">{t(locale, 'ae_fix_first', { count: shownOwn.length })}</p>
            : <p className="muted">{t(locale, 'ae_fill_first')}</p>}
        </section>
      ) : (
        <ChangeReview change={change} draft={draft} dirty={dirty} />
      )}

      {purging ? (
        <PurgeDialog
          target={purging} label={purging.label} busy={change.busy}
          error={change.result?.intent === 'purge' ? change.result.error ?? change.result.problems.map((p) => p.message).join(' ') : undefined}
          onPurge={(typed) => change.purge({ entity: purging.entity, ...(purging.field ? { field: purging.field } : {}) }, typed)}
          onCancel={() => setPurging(undefined)} locale={locale}
        />
      ) : null}
    </div>
  );
}
