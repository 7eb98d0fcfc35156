import { useRef } from 'react';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import { Icon } from './icon.tsx';
import { iconSet } from './icon-set.ts';

/**
 * A button showing the chosen icon that opens the grid of icons (`iconSet`) to choose another,
 * or none. A name outside the set (from a package) stays chosen until the admin picks another.
 *
 * @example <IconPicker value={module.icon} label={t(locale, 'am_icon_choose', …)} onChange={(icon) => …} />
 */
export function IconPicker({ value, label, onChange }: { value: string | undefined; label: string; onChange: (icon: string | undefined) => void }) {
  const locale = useLocale();
  const details = useRef<HTMLDetailsElement>(null);
  const choose = (icon: string | undefined) => {
    onChange(icon);
    if (details.current) details.current.open = false;
  };
  return (
    <details className="icon-picker" ref={details}>
      <summary aria-label={label} title={label}>
        {value ? <Icon name={value} size={20} /> : <span className="icon-none" aria-hidden="true">∅</span>}
      </summary>
      <div className="icon-grid" role="group" aria-label={t(locale, 'am_icon')}>
        <IconChoice name={undefined} chosen={!value} text={t(locale, 'am_icon_none')} onChoose={choose} />
        {value && !iconSet[value] ? <IconChoice name={value} chosen text={t(locale, 'am_icon_unknown', { icon: value })} onChoose={choose} /> : null}
        {Object.keys(iconSet).map((name) => <IconChoice key={name} name={name} chosen={name === value} text={name} onChoose={choose} />)}
      </div>
    </details>
  );
}

function IconChoice({ name, chosen, text, onChoose }: { name: string | undefined; chosen: boolean; text: string; onChoose: (icon: string | undefined) => void }) {
  return (
    <button type="button" className={chosen ? 'chosen' : undefined} aria-pressed={chosen} aria-label={text} title={text} data-icon-choice={name ?? ''} onClick={() => onChoose(name)}>
      {name ? <Icon name={name} size={20} /> : <span className="icon-none" aria-hidden="true">∅</span>}
    </button>
  );
}
