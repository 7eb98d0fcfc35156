import { useFetcher } from 'react-router';
import type { Column } from '../records.server.ts';
import { t, type Locale } from '../text/index.ts';
import { Menu } from './Menu.tsx';

/**
 * Which of the list view's columns to show (显示列): a tick per column, pinned columns (those
 * the admin made unhideable) always shown. Saved at once to the person's preferences on the
 * server, so the choice follows them to any browser; shown before the server answers.
 */
export function ColumnMenu({ columns, hidden, onChange, csrf, locale }: {
  columns: Column[]; hidden: string[]; onChange(hidden: string[]): void; csrf: string; locale: Locale;
}) {
  const fetcher = useFetcher();
  const save = (next: string[]) => {
    onChange(next);
    const form = new FormData();
    form.set('intent', 'columns');
    form.set('_csrf', csrf);
    for (const field of next) form.append('hidden', field);
    fetcher.submit(form, { method: 'post' });
  };
  const hiddenSet = new Set(hidden);
  const failed = fetcher.data && (fetcher.data as { ok?: boolean }).ok === false ? (fetcher.data as { message: string }).message : undefined;
  return (
    <Menu label={t(locale, 'list_columns')} align="right" testId="column-menu">
      <p className="muted small">{t(locale, 'list_columns_hint')}</p>
      <ul className="column-list">
        {columns.map((column) => (
          <li key={column.field}>
            <label>
              <input
                type="checkbox" name="column" value={column.field} checked={!hiddenSet.has(column.field)} disabled={!column.hideable}
                onChange={(e) => save(e.target.checked ? hidden.filter((f) => f !== column.field) : [...hidden, column.field])}
              />
              {column.label}
              {!column.hideable ? <span className="muted"> {t(locale, 'list_column_pinned')}</span> : null}
            </label>
          </li>
        ))}
      </ul>
      {hidden.length ? <button type="button" className="link" onClick={() => save([])}>{t(locale, 'list_columns_reset')}</button> : null}
      {failed ? <p className="field-error" role="alert">{failed}</p> : null}
    </Menu>
  );
}
