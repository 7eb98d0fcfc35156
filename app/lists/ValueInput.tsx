import { t, type Locale } from '../text/index.ts';
import { LIST_VALUE, NO_VALUE, type FieldChoice, type InputValue, type Operator } from './filter.ts';

interface Props {
  field: FieldChoice | undefined;
  op: Operator | '';
  value: InputValue;
  onChange(value: InputValue): void;
  locale: Locale;
  /** Accessible name of the input(s). */
  label: string;
  /** A batch update may clear a field that is not required: offer "(empty)". */
  allowEmpty?: boolean;
  invalid?: boolean;
}

/**
 * The input for a value of a field, fitting its kind and the operator: a pick list for select
 * options and people, yes/no for booleans, date and time pickers, numbers; two inputs for
 * "between", several picks (or comma-separated text) for "is any of"; nothing for "is empty".
 */
export function ValueInput({ field, op, value, onChange, locale, label, allowEmpty, invalid }: Props) {
  if (op !== '' && NO_VALUE.has(op)) return null;
  const common = { 'aria-invalid': invalid || undefined } as const;
  if (op === 'between') {
    const [low = '', high = ''] = Array.isArray(value) ? value : [value, ''];
    return (
      <span className="value-range">
        <Single field={field} value={low} onChange={(v) => onChange([v, high])} locale={locale} label={`${label} (1)`} {...common} />
        <span className="muted">{t(locale, 'list_between_and')}</span>
        <Single field={field} value={high} onChange={(v) => onChange([low, v])} locale={locale} label={`${label} (2)`} {...common} />
      </span>
    );
  }
  if (op !== '' && LIST_VALUE.has(op)) {
    if (field?.options) {
      const picked = new Set(Array.isArray(value) ? value : value ? [value] : []);
      const summary = field.options.filter((o) => picked.has(o.value)).map((o) => o.label).join(locale === 'en' ? ', ' : '、');
      return (
        <details className="value-picks" {...common}>
          <summary aria-label={label}>{summary || <span className="muted">{t(locale, 'list_choose')}</span>}</summary>
          <div className="picks">
            {field.options.map((option) => (
              <label key={option.value}>
                <input
                  type="checkbox" checked={picked.has(option.value)}
                  onChange={(e) => onChange(field.options!.map((o) => o.value).filter((v) => (v === option.value ? e.target.checked : picked.has(v))))}
                />
                {option.label}
              </label>
            ))}
          </div>
        </details>
      );
    }
    return (
      <input
        type="text" className="value" value={Array.isArray(value) ? value.join(', ') : value} placeholder={t(locale, 'list_values_hint')}
        aria-label={label} onChange={(e) => onChange(e.target.value)} {...common}
      />
    );
  }
  return <Single field={field} value={Array.isArray(value) ? (value[0] ?? '') : value} onChange={onChange} locale={locale} label={label} allowEmpty={allowEmpty} {...common} />;
}

function Single({ field, value, onChange, locale, label, allowEmpty, ...rest }: {
  field: FieldChoice | undefined; value: string; onChange(value: string): void; locale: Locale; label: string; allowEmpty?: boolean; 'aria-invalid'?: true;
}) {
  if (field?.options || field?.kind === 'boolean') {
    const options = field.options ?? [{ value: 'true', label: t(locale, 'list_yes') }, { value: 'false', label: t(locale, 'list_no') }];
    return (
      <select className="value" value={value} aria-label={label} onChange={(e) => onChange(e.target.value)} {...rest}>
        <option value="">{allowEmpty ? t(locale, 'list_batch_empty_value') : t(locale, 'list_choose')}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        {value && !options.some((o) => o.value === value) ? <option value={value}>{value}</option> : null}
      </select>
    );
  }
  // Numbers in a text box (with the numeric keyboard): what was typed stays visible, and a value
  // that is not a number is the engine's to point out, at its condition.
  const type = field?.kind === 'date' ? 'date' : field?.kind === 'datetime' ? 'datetime-local' : 'text';
  return (
    <input
      type={type} className="value" value={value} aria-label={label} inputMode={field?.kind === 'number' ? 'decimal' : undefined}
      placeholder={allowEmpty ? t(locale, 'list_batch_empty_value') : undefined} onChange={(e) => onChange(e.target.value)} {...rest}
    />
  );
}
