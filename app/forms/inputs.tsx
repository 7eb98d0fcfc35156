import { lazy, Suspense, useEffect, useState, type CSSProperties } from 'react';
import { t } from '../text/index.ts';
import { LookupInput } from './lookup.tsx';
import { RegionInput, regionText } from './region.tsx';
import type { FieldSpec, FormContext } from './types.ts';
import { currencySymbol, formatNumber, isoToZonedLocal, zonedLocalToIso } from './values.ts';

/**
 * The inputs of Forma's field types, driven by a FieldSpec: the rjsf widgets (widgets.tsx) and
 * the cells of line grids (lines.tsx) both render these. Plain elements styled by app.css and
 * forms.css; nothing heavy loads unless a form has the field (Lexical only for rich text).
 */
export interface InputProps {
  id: string;
  spec: FieldSpec;
  value: unknown;
  onChange: (value: unknown) => void;
  readOnly: boolean;
  ctx: FormContext;
  invalid?: boolean;
  /** Inside a line grid: no placeholder texts, narrower. */
  compact?: boolean;
  /** The accessible name where no <label> points to the input (line cells). */
  ariaLabel?: string;
}

const RichTextInput = lazy(() => import('./richtext.tsx'));

export function FieldInput(props: InputProps) {
  const { spec, readOnly } = props;
  if (readOnly || spec.type === 'formula') return <ReadOnlyValue {...props} />;
  switch (spec.type) {
    case 'textarea':
      return <TextareaInput {...props} />;
    case 'richtext':
      return <RichText {...props} />;
    case 'integer':
    case 'decimal':
    case 'percent':
    case 'money':
      return <NumberInput {...props} />;
    case 'date':
      return <input id={props.id} type="date" value={typeof props.value === 'string' ? props.value.slice(0, 10) : ''} aria-invalid={props.invalid || undefined}
        aria-label={props.ariaLabel} onChange={(e) => props.onChange(e.target.value || undefined)} />;
    case 'datetime':
      return <DateTimeInput {...props} />;
    case 'boolean':
      return <input id={props.id} type="checkbox" className="checkbox" checked={props.value === true} aria-label={props.ariaLabel} onChange={(e) => props.onChange(e.target.checked)} />;
    case 'select':
      return <ChoiceInput {...props} />;
    case 'multiselect':
      return <ChoicesInput {...props} />;
    case 'lookup':
      return <LookupInput {...props} />;
    case 'user':
      return <UserInput {...props} />;
    case 'region':
      return <RegionInput {...props} />;
    case 'autonumber':
      return <input id={props.id} type="text" value={typeof props.value === 'string' ? props.value : ''} maxLength={props.spec.maxLength}
        placeholder={t(props.ctx.locale, props.ctx.isNew ? 'form_autonumber_manual' : 'form_autonumber_keep')} aria-invalid={props.invalid || undefined}
        onChange={(e) => props.onChange(e.target.value || undefined)} />;
    case 'file':
      return <ReadOnlyValue {...props} />;
    default:
      return <TextInput {...props} />;
  }
}

/** Lexical needs the browser's DOM: the server renders the plain text box it replaces once loaded. */
function RichText(props: InputProps) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = <div className="richtext"><div className="richtext-content" aria-busy="true">{readOnlyText(props.spec, props.value, props.ctx)}</div></div>;
  if (!mounted) return fallback;
  return (
    <Suspense fallback={fallback}>
      <RichTextInput {...props} />
    </Suspense>
  );
}

const inputTypes: Record<string, string> = { email: 'email', phone: 'tel', url: 'url' };

function TextInput({ id, spec, value, onChange, invalid, ariaLabel }: InputProps) {
  return (
    <input id={id} type={inputTypes[spec.type] ?? 'text'} value={typeof value === 'string' ? value : value == null ? '' : String(value)}
      maxLength={spec.maxLength} aria-invalid={invalid || undefined} aria-label={ariaLabel}
      inputMode={spec.type === 'phone' ? 'tel' : undefined}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
  );
}

function TextareaInput({ id, spec, value, onChange, invalid }: InputProps) {
  return (
    <textarea id={id} rows={3} value={typeof value === 'string' ? value : ''} maxLength={spec.maxLength} aria-invalid={invalid || undefined}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
  );
}

/** What a number input's text stands for: a number, nothing (empty), or not yet a number ('-', '1e'). */
function parseNumber(text: string, integer: boolean): number | undefined | null {
  const cleaned = text.replace(/[,，\s]/g, '');
  if (cleaned === '') return undefined;
  if (!(integer ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)$/).test(cleaned)) return null;
  return Number(cleaned);
}

/**
 * Integers, decimals, percentages and money: typed as text (so '12.' or '-' can be on the way to
 * a number), given to the form as a number; money shows its currency symbol and, once you leave
 * the field, its decimals (¥ 5,000.00 is typed 5000).
 */
function NumberInput({ id, spec, value, onChange, invalid, ctx, ariaLabel, compact }: InputProps) {
  const integer = spec.type === 'integer';
  const shown = (v: unknown, focused: boolean) => {
    if (v === undefined || v === null || v === '') return '';
    const n = Number(v);
    if (Number.isNaN(n)) return String(v);
    if (focused || spec.type !== 'money') return String(n);
    const scale = spec.scale ?? 2;
    return new Intl.NumberFormat('en-US', { minimumFractionDigits: scale, maximumFractionDigits: scale }).format(n);
  };
  const [text, setText] = useState(() => shown(value, false));
  const [focused, setFocused] = useState(false);
  // The value changed from outside (reload, keep mine, a recomputation): show it.
  useEffect(() => {
    const parsed = parseNumber(text, integer);
    if (!(parsed === (value ?? undefined) || (typeof parsed === 'number' && Number(value) === parsed))) setText(shown(value, focused));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const suffix = spec.type === 'percent' ? '%' : undefined;
  const prefix = spec.type === 'money' ? currencySymbol(spec.currency ?? 'CNY', ctx.locale) : undefined;
  return (
    <span className={`affix${compact ? ' compact' : ''}${invalid ? ' invalid' : ''}`}>
      {prefix ? <span className="affix-text">{prefix}</span> : null}
      <input id={id} type="text" inputMode={integer ? 'numeric' : 'decimal'} value={text} aria-invalid={invalid || undefined} aria-label={ariaLabel}
        className="number"
        onFocus={() => { setFocused(true); setText(shown(value, true)); }}
        onBlur={() => { setFocused(false); const parsed = parseNumber(text, integer); if (typeof parsed === 'number') setText(shown(parsed, false)); }}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parseNumber(e.target.value, integer);
          if (parsed !== null) onChange(parsed);
        }} />
      {suffix ? <span className="affix-text">{suffix}</span> : null}
    </span>
  );
}

/** A moment, typed in the workspace's time zone (Asia/Shanghai), kept as ISO 8601. */
function DateTimeInput({ id, value, onChange, invalid, ctx, ariaLabel }: InputProps) {
  return (
    <input id={id} type="datetime-local" value={typeof value === 'string' ? isoToZonedLocal(value, ctx.timeZone) : ''} aria-invalid={invalid || undefined}
      aria-label={ariaLabel} onChange={(e) => onChange(e.target.value ? zonedLocalToIso(e.target.value, ctx.timeZone) : undefined)} />
  );
}

/** One option of a select, its colour as a dot beside the list. */
function ChoiceInput({ id, spec, value, onChange, invalid, ariaLabel, ctx }: InputProps) {
  const chosen = spec.choices?.find((c) => c.value === value);
  return (
    <span className="choice" style={chosen?.color ? ({ '--chip': chosen.color } as CSSProperties) : undefined}>
      {chosen?.color ? <span className="dot" aria-hidden="true" /> : null}
      <select id={id} value={typeof value === 'string' ? value : ''} aria-invalid={invalid || undefined} aria-label={ariaLabel}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">{spec.required ? t(ctx.locale, 'form_choose') : '—'}</option>
        {(spec.choices ?? []).map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        {typeof value === 'string' && value && !chosen ? <option value={value}>{value}</option> : null}
      </select>
    </span>
  );
}

/** Any of the options, as toggles in their colours. */
function ChoicesInput({ id, spec, value, onChange }: InputProps) {
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  return (
    <div id={id} className="choices" role="group">
      {(spec.choices ?? []).map((c) => {
        const on = chosen.includes(c.value);
        return (
          <label key={c.value} className={`chip toggle${on ? ' on' : ''}`} style={{ '--chip': c.color ?? '#0b63c5' } as CSSProperties}>
            <input type="checkbox" checked={on}
              onChange={() => onChange(on ? chosen.filter((v) => v !== c.value) : (spec.choices ?? []).map((o) => o.value).filter((v) => v === c.value || chosen.includes(v)))} />
            {c.label}
          </label>
        );
      })}
    </div>
  );
}

/**
 * A user (owner): one of the workspace's people; the owner of a new record is whoever creates
 * it unless another is chosen.
 */
function UserInput({ id, value, onChange, ctx, invalid, ariaLabel }: InputProps) {
  const current = typeof value === 'string' ? value : '';
  const people = ctx.members.length ? ctx.members : [ctx.me];
  return (
    <select id={id} value={current} aria-invalid={invalid || undefined} aria-label={ariaLabel} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{ctx.isNew ? `${ctx.me.name}${t(ctx.locale, 'form_me')}` : '—'}</option>
      {current && !people.some((p) => p.id === current) ? <option value={current}>{ctx.users.get(current) ?? '—'}</option> : null}
      {people.map((p) => <option key={p.id} value={p.id}>{p.id === ctx.me.id ? `${p.name}${t(ctx.locale, 'form_me')}` : p.name}</option>)}
    </select>
  );
}

/** A value the person sees but does not type: formulas (recomputed live), numbers drawn on save, read-only fields. */
export function ReadOnlyValue({ id, spec, value, ctx }: InputProps) {
  const text = readOnlyText(spec, value, ctx);
  const pending = spec.type === 'autonumber' && ctx.isNew && !text;
  const later = spec.type === 'formula' && !spec.live;
  const chosen = spec.type === 'select' ? spec.choices?.find((c) => c.value === value) : undefined;
  return (
    <output id={id} className={`readonly-value${spec.type === 'formula' ? ' formula' : ''}`} aria-live={spec.type === 'formula' ? 'polite' : undefined}>
      {chosen?.color ? <span className="chip" style={{ '--chip': chosen.color } as CSSProperties}>{text}</span>
        : pending ? <span className="muted">{t(ctx.locale, 'form_autonumber_new')}</span>
          : text || <span className="muted">{later ? t(ctx.locale, 'form_formula_on_save') : '—'}</span>}
    </output>
  );
}

/** A read-only value in words (also what the conflict dialog lists). */
export function readOnlyText(spec: FieldSpec, value: unknown, ctx: FormContext): string {
  if (value === null || value === undefined || value === '') {
    if (spec.type === 'user' && ctx.isNew && spec.name === 'owner') return ctx.me.name;
    return '';
  }
  const type = spec.type === 'formula' ? spec.resultType ?? 'text' : spec.type;
  switch (type) {
    case 'money':
    case 'integer':
    case 'decimal':
    case 'percent':
      return formatNumber(value, ctx.locale, { type, currency: spec.currency, scale: spec.scale });
    case 'boolean':
      return t(ctx.locale, value ? 'yes' : 'no');
    case 'select':
      return spec.choices?.find((c) => c.value === value)?.label ?? String(value);
    case 'multiselect':
      return (Array.isArray(value) ? value : []).map((v) => spec.choices?.find((c) => c.value === v)?.label ?? String(v)).join('、');
    case 'lookup':
      return ctx.labels.get(`${spec.target}:${String(value)}`) ?? t(ctx.locale, 'form_lookup_unnamed');
    case 'user':
      return ctx.users.get(String(value)) ?? (value === ctx.me.id ? ctx.me.name : '—');
    case 'region':
      return regionText(String(value), ctx);
    case 'datetime':
      return isoToZonedLocal(String(value), ctx.timeZone).replace('T', ' ');
    case 'file':
      return (Array.isArray(value) ? value : []).map((f) => (f as { name?: string }).name ?? '').join('、');
    case 'lines':
      return t(ctx.locale, 'form_lines_count', { count: Array.isArray(value) ? value.length : 0 });
    case 'richtext':
      return String(value).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    default:
      return String(value);
  }
}
