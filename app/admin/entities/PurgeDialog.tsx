import { useState } from 'react';
import { t, type Locale } from '../../text/index.ts';

/**
 * The confirmation of a purge: what is deleted for good (a field's column or an entity's
 * table, with the data), and a box where the admin types the machine name; the purge button
 * works only once it matches. `error` is the engine's refusal, shown in the dialog.
 */
export function PurgeDialog({ target, label, busy, error, onPurge, onCancel, locale }: {
  target: { entity: string; field?: string };
  label: string;
  busy: boolean;
  error: string | undefined;
  onPurge: (typed: string) => void;
  onCancel: () => void;
  locale: Locale;
}) {
  const [typed, setTyped] = useState('');
  const name = target.field ?? target.entity;
  return (
    <div className="dialog-backdrop">
      <div className="card dialog ae-purge" role="dialog" aria-modal="true" aria-labelledby="ae-purge-title">
        <h2 id="ae-purge-title">{t(locale, target.field ? 'ae_purge_field_title' : 'ae_purge_entity_title', { label })}</h2>
        <p className="alert">{t(locale, target.field ? 'ae_purge_field_warning' : 'ae_purge_entity_warning', { name })}</p>
        <label className="field">
          <span>{t(locale, 'ae_purge_type', { name })}</span>
          <input type="text" className="ae-code" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus />
        </label>
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onCancel} disabled={busy}>{t(locale, 'ae_purge_cancel')}</button>
          <button type="button" className="danger" onClick={() => onPurge(typed)} disabled={busy || typed !== name}>{t(locale, 'ae_purge_confirm')}</button>
        </div>
      </div>
    </div>
  );
}
