import type { EntityDocument } from '../../../engine/metadata/model.ts';
import { isArchivedEntity } from '../../../engine/metadata/model.ts';
import { IconPicker } from '../../icons/icon-picker.tsx';
import { label, t, type Locale } from '../../text/index.ts';
import type { DesignerChoices } from './choices.ts';
import { Control, Messages } from './Control.tsx';
import type { EntitySettings } from './entity-draft.ts';
import { suggestMachineName } from './names.ts';

/** Types whose value can name a record (a lookup shows it as the record's name). */
const namingTypes = new Set(['text', 'textarea', 'autonumber', 'email', 'phone', 'url']);

/**
 * An entity's own settings: its machine name (a new entity's only, suggested from the English
 * name until typed), its names in both languages, icon, module and display field; archiving and
 * restoring it, and purging it once it is archived.
 */
export function EntitySettingsCard({ settings, onChange, nameTyped, onNameTyped, draft, stored, choices, messagesAt, general, onArchive, onPurge, canPurge, locale }: {
  settings: EntitySettings;
  onChange: (settings: EntitySettings) => void;
  nameTyped: boolean;
  onNameTyped: () => void;
  draft: EntityDocument;
  /** The entity as applied; undefined for a new one. */
  stored: EntityDocument | undefined;
  choices: DesignerChoices;
  messagesAt: (control: string) => string[];
  general: string[];
  onArchive: (archived: boolean) => void;
  onPurge: () => void;
  canPurge: boolean;
  locale: Locale;
}) {
  const isNew = stored === undefined;
  const archived = isArchivedEntity(draft);
  const wasArchived = stored !== undefined && isArchivedEntity(stored);
  const setLabel = (lang: 'zh-CN' | 'en', text: string) => {
    const next = { ...settings, label: { ...settings.label, [lang]: text } };
    if (lang === 'en' && isNew && !nameTyped) next.name = suggestMachineName(text);
    onChange(next);
  };
  const textFields = Object.entries(draft.schema.properties).filter(([, f]) => !f['x-forma'].archived && namingTypes.has(f['x-forma'].type));
  const modules = choices.modules.some((m) => m.name === settings.module) || !settings.module
    ? choices.modules
    : [...choices.modules, { name: settings.module, label: settings.module }];
  return (
    <section className="card section ae-settings" aria-labelledby="ae-settings-title">
      <h2 id="ae-settings-title">{t(locale, 'ae_settings')}</h2>
      {general.length ? <div className="alert ae-general"><Messages messages={general} /></div> : null}
      <div className="ae-settings-grid">
        {isNew ? (
          <Control control="entity.name" label={t(locale, 'ae_entity_name')} messages={messagesAt('entity.name')} hint={t(locale, 'ae_entity_name_hint')}>
            <input
              type="text" className="ae-code" maxLength={48} value={settings.name}
              onChange={(e) => { onNameTyped(); onChange({ ...settings, name: e.target.value }); }}
              aria-invalid={messagesAt('entity.name').length > 0}
            />
          </Control>
        ) : null}
        {(['zh-CN', 'en'] as const).map((lang) => (
          <Control key={lang} control={`entity.label.${lang}`} label={t(locale, lang === 'en' ? 'ae_label_en' : 'ae_label_zh')} messages={messagesAt(`entity.label.${lang}`)}>
            <input type="text" maxLength={200} value={settings.label[lang]} onChange={(e) => setLabel(lang, e.target.value)} aria-invalid={messagesAt(`entity.label.${lang}`).length > 0} />
          </Control>
        ))}
        <Control control="entity.icon" label={t(locale, 'ae_icon')} messages={messagesAt('entity.icon')} group>
          <IconPicker value={settings.icon || undefined} label={t(locale, 'ae_icon')} onChange={(icon) => onChange({ ...settings, icon: icon ?? '' })} />
        </Control>
        <Control control="entity.module" label={t(locale, 'ae_module')} messages={messagesAt('entity.module')}>
          <select value={settings.module} onChange={(e) => onChange({ ...settings, module: e.target.value })}>
            <option value="">{t(locale, 'ae_no_module')}</option>
            {modules.map((m) => <option key={m.name} value={m.name}>{m.label}</option>)}
          </select>
        </Control>
        <Control control="entity.displayField" label={t(locale, 'ae_display_field')} messages={messagesAt('entity.displayField')} hint={t(locale, 'ae_display_field_hint')}>
          <select value={settings.displayField} onChange={(e) => onChange({ ...settings, displayField: e.target.value })}>
            <option value="">{t(locale, 'ae_none')}</option>
            {textFields.map(([name, f]) => <option key={name} value={name}>{label(f['x-forma'].label, locale) || name}</option>)}
            {settings.displayField && !textFields.some(([name]) => name === settings.displayField)
              ? <option value={settings.displayField}>{settings.displayField}</option>
              : null}
          </select>
        </Control>
      </div>
      {isNew ? null : (
        <div className="ae-archive-entity">
          {archived ? (
            <>
              {wasArchived ? <p className="notice">{t(locale, 'ae_entity_archived_notice')}</p> : <p className="notice">{t(locale, 'ae_pending_archive')}</p>}
              <button type="button" onClick={() => onArchive(false)}>{t(locale, 'ae_restore_entity')}</button>
              {wasArchived ? (
                <button type="button" className="danger" onClick={onPurge} disabled={!canPurge} title={canPurge ? undefined : t(locale, 'ae_purge_unsaved')}>
                  {t(locale, 'ae_purge')}
                </button>
              ) : null}
            </>
          ) : (
            <>
              {wasArchived ? <p className="notice">{t(locale, 'ae_pending_restore')}</p> : null}
              <button type="button" onClick={() => onArchive(true)}>{t(locale, 'ae_archive_entity')}</button>
              <span className="muted ae-hint">{t(locale, 'ae_archive_entity_hint')}</span>
            </>
          )}
        </div>
      )}
    </section>
  );
}
