import { useEffect, useRef, useState, type ReactNode } from 'react';
import { t, type Locale } from '../text/index.ts';
import type { FieldChoice, FilterTree, InputValue } from './filter.ts';
import { scalarOf } from './filter.ts';
import { ValueInput } from './ValueInput.tsx';

/** The engine's most records in one batch (engine/records/batch.ts). */
export const BATCH_LIMIT = 10_000;

export type BatchTarget = { ids: string[] } | { filter: FilterTree };

interface Props {
  entity: string;
  /** How many records the action will touch, as shown. */
  count: number;
  target: BatchTarget;
  canUpdate: boolean;
  canReassign: boolean;
  canDelete: boolean;
  fields: FieldChoice[];
  people: { value: string; label: string }[];
  csrf: string;
  locale: Locale;
  /** After a batch that changed something: the list reloads, the selection goes. */
  onDone(): void;
  /** What is selected, and the choice to select every matching record. */
  children?: ReactNode;
}

type Mode = 'reassign' | 'update' | undefined;
type Outcome = { ok: true; changed: number; asked: number; seconds: string; kind: 'update' | 'delete' } | { ok: false; message: string; problems: string[] };

/**
 * What can be done to the selected records (or all records matching the filter): reassign the
 * owner, set a field, move to the recycle bin — each offered only when the person's role allows
 * it. The batch runs as one request (`POST /api/v1/records/:entity/batch`, one transaction on the
 * server); while it runs the bar shows a spinner and the seconds elapsed, then how many records
 * changed, or the refusal (nothing changed).
 */
export function BatchBar({ entity, count, target, canUpdate, canReassign, canDelete, fields, people, csrf, locale, onDone, children }: Props) {
  const [mode, setMode] = useState<Mode>();
  const [owner, setOwner] = useState('');
  const [field, setField] = useState('');
  const [value, setValue] = useState<InputValue>('');
  const [running, setRunning] = useState<{ since: number } | undefined>();
  const [elapsed, setElapsed] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>();
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);
  useEffect(() => () => clearInterval(timer.current), []);
  const chosen = fields.find((f) => f.path === field);

  async function run(action: Record<string, unknown>, kind: 'update' | 'delete') {
    const since = performance.now();
    const asked = count;
    setRunning({ since });
    setElapsed(0);
    setOutcome(undefined);
    timer.current = setInterval(() => setElapsed((performance.now() - since) / 1000), 100);
    try {
      const response = await fetch(`/api/v1/records/${encodeURIComponent(entity)}/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
        body: JSON.stringify({ ...target, action }),
      });
      const body = await response.json().catch(() => ({}));
      const seconds = ((performance.now() - since) / 1000).toFixed(1);
      if (response.ok) {
        setOutcome({ ok: true, changed: Number(body.changed ?? 0), asked, seconds, kind });
        setMode(undefined);
        onDone();
      } else {
        const error = body.error ?? {};
        setOutcome({
          ok: false, message: error.message?.[locale] ?? `HTTP ${response.status}`,
          problems: (error.problems ?? []).map((p: { message: Record<string, string> }) => p.message[locale]).filter(Boolean).slice(0, 10),
        });
      }
    } catch {
      setOutcome({ ok: false, message: t(locale, 'list_batch_network'), problems: [] });
    } finally {
      clearInterval(timer.current);
      setRunning(undefined);
    }
  }

  const countText = count.toLocaleString(locale);
  const busy = running !== undefined;
  const updateValue = () => {
    if (chosen?.kind === 'choices') return Array.isArray(value) ? value : value ? [value] : null;
    const scalar = scalarOf(Array.isArray(value) ? (value[0] ?? '') : value, chosen);
    return scalar === undefined ? null : scalar;
  };
  // Stays mounted while nothing is selected, so the result of the last batch stays in view.
  if (count === 0 && !busy && !outcome) return null;
  return (
    <div className="batch-bar" role="region" aria-label={t(locale, 'list_selected', { count: countText })}>
      {count > 0 ? (
      <div className="batch-actions">
        {children}
        {canReassign ? <button type="button" disabled={busy} aria-pressed={mode === 'reassign'} onClick={() => setMode(mode === 'reassign' ? undefined : 'reassign')}>{t(locale, 'list_batch_reassign')}</button> : null}
        {canUpdate && fields.length ? <button type="button" disabled={busy} aria-pressed={mode === 'update'} onClick={() => setMode(mode === 'update' ? undefined : 'update')}>{t(locale, 'list_batch_update')}</button> : null}
        {canDelete ? (
          <button
            type="button" className="danger" disabled={busy}
            onClick={() => { if (window.confirm(t(locale, 'list_batch_confirm_delete', { count: countText }))) void run({ type: 'delete' }, 'delete'); }}
          >
            {t(locale, 'list_batch_delete')}
          </button>
        ) : null}
      </div>
      ) : null}
      {mode === 'reassign' && count > 0 ? (
        <form className="batch-form" onSubmit={(e) => { e.preventDefault(); if (owner) void run({ type: 'reassignOwner', owner }, 'update'); }}>
          <label>
            <span>{t(locale, 'list_batch_new_owner')}</span>
            <select value={owner} onChange={(e) => setOwner(e.target.value)} required name="owner">
              <option value="">{t(locale, 'list_choose')}</option>
              {people.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy || !owner}>{t(locale, 'list_batch_run')}</button>
          <button type="button" className="link" onClick={() => setMode(undefined)}>{t(locale, 'list_batch_cancel')}</button>
        </form>
      ) : null}
      {mode === 'update' && count > 0 ? (
        <form className="batch-form" onSubmit={(e) => { e.preventDefault(); if (chosen) void run({ type: 'updateField', field: chosen.path, value: updateValue() }, 'update'); }}>
          <label>
            <span>{t(locale, 'list_batch_field')}</span>
            <select value={field} name="field" required onChange={(e) => { setField(e.target.value); setValue(fields.find((f) => f.path === e.target.value)?.kind === 'choices' ? [] : ''); }}>
              <option value="">{t(locale, 'list_choose')}</option>
              {fields.map((f) => <option key={f.path} value={f.path}>{f.label}</option>)}
            </select>
          </label>
          {chosen ? (
            <label>
              <span>{t(locale, 'list_batch_value')}</span>
              <ValueInput field={chosen} op={chosen.kind === 'choices' ? 'in' : 'eq'} value={value} onChange={setValue} locale={locale} label={t(locale, 'list_batch_value')} allowEmpty={!chosen.required} />
            </label>
          ) : null}
          <button type="submit" className="primary" disabled={busy || !chosen}>{t(locale, 'list_batch_run')}</button>
          <button type="button" className="link" onClick={() => setMode(undefined)}>{t(locale, 'list_batch_cancel')}</button>
        </form>
      ) : null}
      {running ? (
        <p className="batch-progress" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          {t(locale, 'list_batch_running', { count: countText, seconds: elapsed.toFixed(1) })}
          <span className="muted small"> {t(locale, 'list_batch_running_hint')}</span>
        </p>
      ) : null}
      {outcome?.ok ? (
        <p className="batch-result notice" role="status">
          <button type="button" className="link remove" onClick={() => setOutcome(undefined)} aria-label={t(locale, 'list_close')}>×</button>
          {t(locale, outcome.kind === 'delete' ? 'list_batch_done_delete' : 'list_batch_done_update', { count: outcome.changed.toLocaleString(locale), seconds: outcome.seconds })}
          {outcome.changed < outcome.asked ? ` ${t(locale, 'list_batch_unchanged', { count: (outcome.asked - outcome.changed).toLocaleString(locale) })}` : ''}
        </p>
      ) : null}
      {outcome && !outcome.ok ? (
        <div className="batch-result alert" role="alert">
          <button type="button" className="link remove" onClick={() => setOutcome(undefined)} aria-label={t(locale, 'list_close')}>×</button>
          <p>{t(locale, 'list_batch_failed', { message: outcome.message })}</p>
          {outcome.problems.length ? <ul>{outcome.problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        </div>
      ) : null}
    </div>
  );
}
