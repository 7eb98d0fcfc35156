import { label, t } from '../../text/index.ts';
import { bothLanguages, useDesigner } from './designer.ts';
import { addTab, moveTab, removeTab, updateTab } from './draft.ts';
import { Problems } from './FieldRow.tsx';
import { control } from './problems.ts';

const LANGUAGES = [['zh-CN', 'al_tab_title_zh'], ['en', 'al_tab_title_en']] as const;

/**
 * The form's tabs: added, renamed in both languages, reordered and removed. The first tab takes
 * every section; each section then chooses its tab; removing a tab moves its sections to the
 * first one left (with the last tab, the form has no tabs again).
 */
export function TabsEditor() {
  const { draft, edit, locale, problemsAt } = useDesigner();
  return (
    <section className="card al-tabs" aria-labelledby="al-tabs-title">
      <h2 id="al-tabs-title">{t(locale, 'al_tabs')}</h2>
      {draft.tabs.length ? (
        <ol className="al-tab-list">
          {draft.tabs.map((tab, i) => (
            <li key={tab.name} data-tab={tab.name}>
              {LANGUAGES.map(([lang, key]) => (
                <label key={lang} className="field al-title">
                  <span>{t(locale, key)}</span>
                  <input type="text" value={tab.label[lang]} maxLength={200} aria-invalid={problemsAt(control.tabLabel(tab.name, lang)).length ? true : undefined}
                    onChange={(e) => edit((d) => updateTab(d, tab.name, { ...tab.label, [lang]: e.target.value }))} />
                  <Problems at={control.tabLabel(tab.name, lang)} />
                </label>
              ))}
              <div className="al-section-actions">
                <button type="button" className="al-icon" onClick={() => edit((d) => moveTab(d, tab.name, -1))} disabled={i === 0}
                  aria-label={t(locale, 'al_tab_left_of', { tab: label(tab.label, locale) || tab.name })} title={t(locale, 'al_tab_left')}>←</button>
                <button type="button" className="al-icon" onClick={() => edit((d) => moveTab(d, tab.name, 1))} disabled={i === draft.tabs.length - 1}
                  aria-label={t(locale, 'al_tab_right_of', { tab: label(tab.label, locale) || tab.name })} title={t(locale, 'al_tab_right')}>→</button>
                <button type="button" className="danger" onClick={() => edit((d) => removeTab(d, tab.name))}
                  aria-label={t(locale, 'al_tab_remove_of', { tab: label(tab.label, locale) || tab.name })}>{t(locale, 'al_tab_remove')}</button>
              </div>
              <Problems at={control.tab(tab.name)} />
            </li>
          ))}
        </ol>
      ) : <p className="muted">{t(locale, 'al_tabs_none')}</p>}
      <button type="button" onClick={() => edit((d) => addTab(d, bothLanguages('al_tab_new')))}>+ {t(locale, 'al_tab_add')}</button>
    </section>
  );
}
