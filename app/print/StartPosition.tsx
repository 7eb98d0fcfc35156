import { useId } from 'react';
import { t, type Locale } from '../text/index.ts';

/**
 * The cell of a label sheet printing starts at, to use up a partly used sheet: a number (1 to
 * rows × columns, counted left to right, top to bottom) and the sheet drawn as a grid — the
 * cells before it shown as used, a click on a cell starts there. `name` makes the number part of
 * a form; `error` shows under it.
 */
export function StartPosition({ rows, columns, value, onChange, locale, name, error }: {
  rows: number; columns: number; value: number; onChange(cell: number): void; locale: Locale; name?: string; error?: string | undefined;
}) {
  const id = useId();
  const cells = rows * columns;
  return (
    <div className="start-position">
      <div className="label-sheet" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)` }} role="group" aria-label={t(locale, 'pr_sheet', { rows, columns })}>
        {Array.from({ length: cells }, (_, i) => i + 1).map((cell) => (
          <button
            key={cell} type="button" className={cell < value ? 'used' : cell === value ? 'first' : undefined}
            aria-pressed={cell === value} aria-label={t(locale, 'pr_start_cell', { cell })} title={t(locale, 'pr_start_cell', { cell })}
            onClick={() => onChange(cell)}
          >
            {cell}
          </button>
        ))}
      </div>
      <div className="start-position-field">
        <label htmlFor={id}>{t(locale, 'pr_start_position')}</label>
        <input
          id={id} type="number" name={name} min={1} max={cells} step={1} value={Number.isFinite(value) ? value : ''} required
          aria-invalid={error ? true : undefined} aria-describedby={`${id}-hint`}
          onChange={(e) => onChange(e.target.valueAsNumber)}
        />
        <p id={`${id}-hint`} className="muted small">{t(locale, 'pr_start_position_hint', { cells })}</p>
        {error ? <p className="field-error small" role="alert">{error}</p> : null}
      </div>
    </div>
  );
}
