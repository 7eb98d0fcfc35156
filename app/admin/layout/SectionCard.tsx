import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { label, t } from '../../text/index.ts';
import { useDesigner } from './designer.ts';
import { areaId } from './dnd.ts';
import { moveSection, removeSection, updateSection, type DraftSection } from './draft.ts';
import { PlacedField, Problems } from './FieldRow.tsx';
import { control } from './problems.ts';

const LANGUAGES = [['zh-CN', 'al_section_title_zh'], ['en', 'al_section_title_en']] as const;

/**
 * One section of the form: its titles in Chinese and English, its columns (1–3), its tab, moved
 * up or down or removed (its fields go back to the palette), and its fields in reading order —
 * a drop area for fields dragged from anywhere.
 */
export function SectionCard({ section, index, count }: { section: DraftSection; index: number; count: number }) {
  const { draft, order, edit, locale, problemsAt, showSection } = useDesigner();
  const { setNodeRef, isOver } = useDroppable({ id: areaId(section.name), data: { area: section.name } });
  const title = label(section.label, locale) || section.name;
  const update = (patch: Parameters<typeof updateSection>[2]) => edit((d) => updateSection(d, section.name, patch));
  return (
    <section ref={setNodeRef} className={`card al-section${isOver ? ' over' : ''}`} data-section={section.name} aria-label={title}
      onFocus={() => showSection(section.name)}>
      <div className="al-section-head">
        {LANGUAGES.map(([lang, key]) => (
          <label key={lang} className="field al-title">
            <span>{t(locale, key)}</span>
            <input type="text" value={section.label[lang]} maxLength={200} aria-invalid={problemsAt(control.sectionLabel(section.name, lang)).length ? true : undefined}
              onChange={(e) => update({ label: { ...section.label, [lang]: e.target.value } })} />
            <Problems at={control.sectionLabel(section.name, lang)} />
          </label>
        ))}
        <label className="field al-columns">
          <span>{t(locale, 'al_columns')}</span>
          <select value={section.columns} onChange={(e) => update({ columns: Number(e.target.value) })}>
            {[1, 2, 3].map((n) => <option key={n} value={n}>{t(locale, 'al_columns_n', { n })}</option>)}
          </select>
        </label>
        {draft.tabs.length || section.tab ? (
          <label className="field al-tab">
            <span>{t(locale, 'al_section_tab')}</span>
            <select value={section.tab ?? ''} onChange={(e) => update({ tab: e.target.value || undefined })}>
              {section.tab && draft.tabs.some((tab) => tab.name === section.tab) ? null : <option value="">—</option>}
              {draft.tabs.map((tab) => <option key={tab.name} value={tab.name}>{label(tab.label, locale) || tab.name}</option>)}
            </select>
            <Problems at={control.sectionTab(section.name)} />
          </label>
        ) : null}
        <div className="al-section-actions">
          <button type="button" className="al-icon" onClick={() => edit((d) => moveSection(d, section.name, -1))} disabled={index === 0}
            aria-label={t(locale, 'al_section_up_of', { section: title })} title={t(locale, 'al_section_up')}>↑</button>
          <button type="button" className="al-icon" onClick={() => edit((d) => moveSection(d, section.name, 1))} disabled={index === count - 1}
            aria-label={t(locale, 'al_section_down_of', { section: title })} title={t(locale, 'al_section_down')}>↓</button>
          <button type="button" className="danger" onClick={() => edit((d) => removeSection(d, section.name, order))}
            aria-label={t(locale, 'al_section_remove_of', { section: title })}>{t(locale, 'al_section_remove')}</button>
        </div>
      </div>
      <Problems at={control.section(section.name)} />
      <SortableContext items={section.fields.map((p) => p.id)} strategy={verticalListSortingStrategy}>
        <ul className="al-fields">
          {section.fields.map((p, i) => <PlacedField key={p.id} placement={p} section={section} index={i} />)}
        </ul>
      </SortableContext>
      {section.fields.length ? null : <p className="muted al-empty al-drop-here">{t(locale, 'al_section_drop_here')}</p>}
    </section>
  );
}
