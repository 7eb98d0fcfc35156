import { useState } from 'react';
import { label, LOCALES, t, type Locale } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import type { ModuleDesign, ModuleDesignData } from './design.ts';
import { Icon } from '../../icons/icon.tsx';

/**
 * The staff menu the arrangement makes, in either language: the modules in order with their
 * icons and labels and their entities, empty modules left out, the entities in no module last
 * under 其他 / Other — as `navigation()` draws it for someone who may read every entity.
 */
export function MenuPreview({ design, data }: { design: ModuleDesign; data: ModuleDesignData }) {
  const locale = useLocale();
  const [shown, setShown] = useState<Locale>(locale);
  const groups = [
    ...design.modules.map((m) => ({ key: m.key, title: m.label[shown]?.trim() || m.name, icon: m.icon, entities: m.entities })),
    { key: '', title: t(shown, 'module_other'), icon: undefined, entities: design.unassigned },
  ].filter((group) => group.entities.length);
  return (
    <aside className="module-preview card" aria-label={t(locale, 'am_preview')}>
      <div className="preview-head">
        <h2>{t(locale, 'am_preview')}</h2>
        <span className="preview-languages" role="group" aria-label={t(locale, 'am_preview_language')}>
          {LOCALES.map((l) => (
            <button key={l} type="button" className={l === shown ? 'chosen' : undefined} aria-pressed={l === shown} onClick={() => setShown(l)}>
              {l === 'zh-CN' ? '中文' : 'English'}
            </button>
          ))}
        </span>
      </div>
      <p className="muted small">{t(locale, 'am_preview_hint')}</p>
      <div className="preview-menu" lang={shown}>
        {groups.map((group) => (
          <section key={group.key} data-preview-module={group.key}>
            <h3>{group.icon ? <Icon name={group.icon} size={14} /> : null}{group.title}</h3>
            <ul>
              {group.entities.map((name) => {
                const entity = data.entities[name];
                const icon = entity?.schema['x-forma']?.icon;
                return <li key={name}>{icon ? <Icon name={icon} size={14} /> : null}{label(entity?.label, shown) || name}</li>;
              })}
            </ul>
          </section>
        ))}
      </div>
    </aside>
  );
}
