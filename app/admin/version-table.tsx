import { Link } from 'react-router';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { VersionRow } from './history.server.ts';

/** Metadata versions as a table: number, when, who, why, how many steps, with a link to each. */
export function VersionTable({ rows, current }: { rows: VersionRow[]; current: number }) {
  const locale = useLocale();
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <table className="records versions">
      <thead>
        <tr>
          <th>{t(locale, 'admin_history_version')}</th>
          <th>{t(locale, 'admin_history_when')}</th>
          <th>{t(locale, 'admin_history_who')}</th>
          <th>{t(locale, 'admin_history_reason')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.version}>
            <td>
              {row.version}
              {row.version === current ? <span className="badge"> {t(locale, 'admin_history_current')}</span> : null}
            </td>
            <td>{when.format(new Date(row.at))}</td>
            <td>{row.who}</td>
            <td>{row.reason ?? ''} <small className="muted">{t(locale, 'admin_history_steps', { count: row.steps })}</small></td>
            <td><Link to={`/admin/history/${row.version}`}>{t(locale, 'admin_history_details')}</Link></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
