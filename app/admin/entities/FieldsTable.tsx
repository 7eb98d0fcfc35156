import type { EntityDocument, FieldDefinition } from '../../../engine/metadata/model.ts';
import { isOwnerBinding } from '../../../engine/metadata/names.ts';
import { label, t, type Locale, type TextKey } from '../../text/index.ts';
import type { FieldTypeInfo } from './field-draft.ts';

/** What the admin may do with a row of the fields table. */
export interface FieldActions {
  edit(name: string): void;
  archive(name: string, archived: boolean): void;
  /** Drops a field added in this draft (one that exists is archived instead). */
  remove(name: string): void;
  purge(name: string): void;
}

/** How a field stands in the draft against what is applied. */
type RowState = 'new' | 'archived' | 'to-archive' | 'to-restore' | 'changed' | 'active';

const stateText: Record<RowState, TextKey> = {
  new: 'ae_state_new', archived: 'ae_state_archived', 'to-archive': 'ae_pending_archive', 'to-restore': 'ae_pending_restore',
  changed: 'ae_state_changed', active: 'ae_state_active',
};

/**
 * The fields of the draft entity: labels in both languages, machine name, type, marks
 * (required, unique, searchable, filterable), state against what is applied (new, changed,
 * archived, to be archived or restored), problems found, and the row's actions.
 */
export function FieldsTable({ draft, stored, types, problemCounts, editing, canPurge, actions, locale }: {
  draft: EntityDocument;
  /** The entity as applied (undefined for a new entity). */
  stored: EntityDocument | undefined;
  types: FieldTypeInfo[];
  problemCounts: Map<string, number>;
  /** The field open in the editor. */
  editing: string | undefined;
  /** Whether purging is possible now (nothing unapplied). */
  canPurge: boolean;
  actions: FieldActions;
  locale: Locale;
}) {
  const required = new Set(draft.schema.required ?? []);
  const displayField = draft.schema['x-forma']?.displayField;
  return (
    <div className="table-wrap">
      <table className="records ae-fields">
        <thead>
          <tr>
            <th>{t(locale, 'ae_label_zh')}</th>
            <th>{t(locale, 'ae_label_en')}</th>
            <th>{t(locale, 'ae_field_name')}</th>
            <th>{t(locale, 'ae_col_type')}</th>
            <th>{t(locale, 'ae_col_marks')}</th>
            <th>{t(locale, 'ae_col_state')}</th>
            <th aria-hidden="true" />
          </tr>
        </thead>
        <tbody>
          {Object.entries(draft.schema.properties).map(([name, field]) => {
            const before = stored?.schema.properties[name];
            const state = rowState(field, before, stored !== undefined && (stored.schema.required ?? []).includes(name) !== required.has(name));
            const archived = field['x-forma'].archived === true;
            const type = types.find((ft) => ft.name === field['x-forma'].type);
            const problems = problemCounts.get(name) ?? 0;
            const marks: TextKey[] = [];
            if (required.has(name)) marks.push('ae_mark_required');
            if (field['x-forma'].unique) marks.push('ae_mark_unique');
            if (field['x-forma'].searchable) marks.push('ae_mark_searchable');
            if (field['x-forma'].filterable) marks.push('ae_mark_filterable');
            return (
              <tr key={name} data-field={name} className={`state-${state}${editing === name ? ' editing' : ''}${problems ? ' has-problems' : ''}`}>
                <td>{field['x-forma'].label['zh-CN']}{name === displayField ? <span className="badge ae-display">{t(locale, 'ae_display_mark')}</span> : null}</td>
                <td>{field['x-forma'].label.en}</td>
                <td><code>{name}</code></td>
                <td>{type ? label(type.label, locale) : field['x-forma'].type}{isOwnerBinding(field['x-forma']) ? <span className="muted"> · {t(locale, 'ae_owner_field')}</span> : null}</td>
                <td><span className="ae-marks">{marks.map((m) => <span key={m} className="badge">{t(locale, m)}</span>)}</span></td>
                <td>
                  <span className={`ae-state ${state}`}>{t(locale, stateText[state])}</span>
                  {problems ? <span className="ae-row-problems" role="alert">{t(locale, 'ae_row_problems', { count: problems })}</span> : null}
                </td>
                <td><span className="ae-row-actions">
                  {archived ? (
                    <>
                      <button type="button" className="link" onClick={() => actions.archive(name, false)}>{t(locale, 'ae_restore')}</button>
                      {before?.['x-forma'].archived ? (
                        <button
                          type="button" className="link danger-link" onClick={() => actions.purge(name)} disabled={!canPurge}
                          title={canPurge ? undefined : t(locale, 'ae_purge_unsaved')}
                        >{t(locale, 'ae_purge')}</button>
                      ) : null}
                    </>
                  ) : (
                    <>
                      <button type="button" className="link" onClick={() => actions.edit(name)}>{t(locale, 'ae_edit')}</button>
                      {before
                        ? <button type="button" className="link" onClick={() => actions.archive(name, true)}>{t(locale, 'ae_archive')}</button>
                        : <button type="button" className="link" onClick={() => actions.remove(name)}>{t(locale, 'ae_remove_new')}</button>}
                    </>
                  )}
                </span></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function rowState(field: FieldDefinition, before: FieldDefinition | undefined, requiredChanged: boolean): RowState {
  const archived = field['x-forma'].archived === true;
  if (!before) return 'new';
  const wasArchived = before['x-forma'].archived === true;
  if (archived) return wasArchived ? 'archived' : 'to-archive';
  if (wasArchived) return 'to-restore';
  return requiredChanged || JSON.stringify(before) !== JSON.stringify(field) ? 'changed' : 'active';
}
