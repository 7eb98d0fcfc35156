import { Link } from 'react-router';
import { requireAdministrator } from '../admin/admin.server.ts';
import { numberingOverview } from '../admin/numbering/numbering.server.ts';
import numberingCss from '../styles/admin-numbering.css?url';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.numbering';

export const meta: Route.MetaFunction = () => [{ title: '编号规则 / Numbering · Forma' }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: numberingCss }];

/** Every numbering rule (编号规则) with its pattern, the fields drawing from it and the number the next record gets. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return { rules: await numberingOverview(admin) };
}

export default function NumberingRules({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { rules } = loaderData;
  return (
    <>
      <div className="page-head">
        <h1>{t(locale, 'anb_title')}</h1>
        <div className="page-actions"><Link className="button primary" to="/admin/numbering/new">{t(locale, 'anb_new')}</Link></div>
      </div>
      <p className="muted">{t(locale, 'anb_lead')}</p>
      <div className="table-wrap card">
        <table className="records numbering-rules">
          <thead>
            <tr>
              <th>{t(locale, 'anb_col_rule')}</th>
              <th>{t(locale, 'anb_col_pattern')}</th>
              <th>{t(locale, 'anb_col_reset')}</th>
              <th>{t(locale, 'anb_col_used_by')}</th>
              <th>{t(locale, 'anb_col_next')}</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.name} data-rule={rule.name}>
                <td>
                  <Link to={`/admin/numbering/${rule.name}`}>{rule.label}</Link>
                  <div className="muted small">{rule.name}</div>
                </td>
                <td><code>{rule.pattern}</code></td>
                <td>{t(locale, `anb_reset_${rule.reset}`)}</td>
                <td className="usages">{rule.usages.length ? rule.usages.map((u) => u.label).join('、') : <span className="muted">{t(locale, 'anb_unused')}</span>}</td>
                <td className="next-number"><code>{rule.next ?? '—'}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
        {rules.length === 0 ? <p className="empty muted">{t(locale, 'anb_none')}</p> : null}
      </div>
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
