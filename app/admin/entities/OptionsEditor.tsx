import { useState } from 'react';
import { t, type Locale, type TextKey } from '../../text/index.ts';
import { Messages } from './Control.tsx';
import { newOptionDraft, type OptionDraft } from './field-draft.ts';

/** The colours an option may take (the standard CRM's palette), by what they are called. */
const palette: [TextKey, string][] = [
  ['ae_color_red', '#d32f2f'], ['ae_color_orange', '#f57c00'], ['ae_color_amber', '#fbc02d'], ['ae_color_green', '#388e3c'],
  ['ae_color_teal', '#00897b'], ['ae_color_blue', '#1976d2'], ['ae_color_purple', '#7b1fa2'], ['ae_color_grey', '#757575'],
];

/**
 * The choices of a select or multiselect field: value (the stored code), labels in both
 * languages, colour, and what the type's choices may also carry (win rate, closed); reordered
 * with buttons, each problem under its cell.
 */
export function OptionsEditor({ options, fields, onChange, messagesAt, locale }: {
  options: OptionDraft[];
  /** What a choice may carry for this type (`probability`, `closed`…), from the meta-schema. */
  fields: string[];
  onChange: (options: OptionDraft[]) => void;
  messagesAt: (control: string) => string[];
  locale: Locale;
}) {
  const set = (i: number, change: Partial<OptionDraft>) => onChange(options.map((o, j) => (j === i ? { ...o, ...change } : o)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...options];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    onChange(next);
  };
  const cell = (i: number, control: string) => messagesAt(`option.${i}.${control}`);
  // Win rates matter for sales stages only: their column shows when asked for, or when one is set.
  const [rates, setRates] = useState(() => options.some((o) => o.probability.trim() !== ''));
  const probability = fields.includes('probability') && rates;
  return (
    <div className="ae-options" data-control="options">
      <table>
        <thead>
          <tr>
            <th>{t(locale, 'ae_option_value')}</th>
            <th>{t(locale, 'ae_option_zh')}</th>
            <th>{t(locale, 'ae_option_en')}</th>
            {fields.includes('color') ? <th>{t(locale, 'ae_option_color')}</th> : null}
            {probability ? <th>{t(locale, 'ae_option_probability')}</th> : null}
            {fields.includes('closed') ? <th>{t(locale, 'ae_option_closed')}</th> : null}
            <th aria-hidden="true" />
          </tr>
        </thead>
        <tbody>
          {options.map((option, i) => (
            <tr key={i} data-option={i}>
              <td data-control={`option.${i}.value`}>
                <input
                  type="text" value={option.value} onChange={(e) => set(i, { value: e.target.value })} maxLength={64}
                  aria-label={`${t(locale, 'ae_option_value')} ${i + 1}`} aria-invalid={cell(i, 'value').length > 0} className="ae-option-value"
                />
                <Messages messages={cell(i, 'value')} />
              </td>
              {(['zh-CN', 'en'] as const).map((lang) => (
                <td key={lang} data-control={`option.${i}.label.${lang}`}>
                  <input
                    type="text" value={option.label[lang]} onChange={(e) => set(i, { label: { ...option.label, [lang]: e.target.value } })} maxLength={200}
                    aria-label={`${t(locale, lang === 'en' ? 'ae_option_en' : 'ae_option_zh')} ${i + 1}`} aria-invalid={cell(i, `label.${lang}`).length > 0}
                  />
                  <Messages messages={cell(i, `label.${lang}`)} />
                </td>
              ))}
              {fields.includes('color') ? (
                <td data-control={`option.${i}.color`}>
                  <span className="ae-color">
                    <span className="ae-dot" style={{ ['--chip' as string]: option.color || 'transparent' }} aria-hidden="true" />
                    <select value={option.color} onChange={(e) => set(i, { color: e.target.value })} aria-label={`${t(locale, 'ae_option_color')} ${i + 1}`}>
                      <option value="">{t(locale, 'ae_color_none')}</option>
                      {palette.map(([key, color]) => <option key={color} value={color}>{t(locale, key)}</option>)}
                      {option.color && !palette.some(([, color]) => color === option.color.toLowerCase())
                        ? <option value={option.color}>{t(locale, 'ae_color_other', { color: option.color })}</option>
                        : null}
                    </select>
                  </span>
                  <Messages messages={cell(i, 'color')} />
                </td>
              ) : null}
              {probability ? (
                <td data-control={`option.${i}.probability`}>
                  <input
                    type="text" inputMode="decimal" className="ae-narrow" value={option.probability} onChange={(e) => set(i, { probability: e.target.value })}
                    aria-label={`${t(locale, 'ae_option_probability')} ${i + 1}`} aria-invalid={cell(i, 'probability').length > 0}
                  />
                  <Messages messages={cell(i, 'probability')} />
                </td>
              ) : null}
              {fields.includes('closed') ? (
                <td className="ae-center">
                  <input type="checkbox" checked={option.closed} onChange={(e) => set(i, { closed: e.target.checked })} aria-label={`${t(locale, 'ae_option_closed')} ${i + 1}`} />
                </td>
              ) : null}
              <td className="ae-row-buttons">
                <button type="button" className="link" onClick={() => move(i, -1)} disabled={i === 0} title={t(locale, 'ae_option_up')} aria-label={`${t(locale, 'ae_option_up')} ${i + 1}`}>↑</button>
                <button type="button" className="link" onClick={() => move(i, 1)} disabled={i === options.length - 1} title={t(locale, 'ae_option_down')} aria-label={`${t(locale, 'ae_option_down')} ${i + 1}`}>↓</button>
                <button type="button" className="link danger-link" onClick={() => onChange(options.filter((_, j) => j !== i))} title={t(locale, 'ae_option_remove')} aria-label={`${t(locale, 'ae_option_remove')} ${i + 1}`}>×</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="ae-options-tools">
        <button type="button" onClick={() => onChange([...options, newOptionDraft()])}>{t(locale, 'ae_option_add')}</button>
        {fields.includes('probability') ? (
          <label className="ae-check">
            <input type="checkbox" checked={rates} onChange={(e) => setRates(e.target.checked)} /> {t(locale, 'ae_option_rates')}
          </label>
        ) : null}
      </div>
      <Messages messages={messagesAt('options')} />
      <p className="ae-hint muted">
        {t(locale, 'ae_option_value_hint')}
        {fields.includes('closed') ? ` ${t(locale, 'ae_option_closed_hint')}` : ''}
      </p>
    </div>
  );
}
