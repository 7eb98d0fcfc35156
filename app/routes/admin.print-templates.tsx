import { Link } from 'react-router';
import { requireAdministrator } from '../admin/admin.server.ts';
import { builtInChoices, defaultStart, templateOverview } from '../admin/print/templates.server.ts';
import { StartFrom } from '../admin/print/StartFrom.tsx';
import printCss from '../styles/admin-print.css?url';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.print-templates';

export const meta: Route.MetaFunction = () => [{ title: '打印模板 / Print templates · Forma' }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: printCss }];

/** Every print template (打印模板) with the entity it prints, its paper, and whether it prints documents or label sheets. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return {
    templates: templateOverview(admin),
    builtIns: builtInChoices(admin),
    start: defaultStart(),
  };
}

export default function PrintTemplates({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { templates, builtIns, start } = loaderData;
  return (
    <>
      <div className="page-head">
        <h1>{t(locale, 'apt_title')}</h1>
        <StartFrom builtIns={builtIns} selected={start} className="page-actions apt-new" />
      </div>
      <p className="muted">{t(locale, 'apt_lead')}</p>
      <div className="table-wrap card">
        <table className="records apt-templates">
          <thead>
            <tr>
              <th>{t(locale, 'apt_col_template')}</th>
              <th>{t(locale, 'apt_col_entity')}</th>
              <th>{t(locale, 'apt_col_paper')}</th>
              <th>{t(locale, 'apt_col_kind')}</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((row) => (
              <tr key={row.name} data-template={row.name}>
                <td>
                  <Link to={`/admin/print-templates/${row.name}`}>{row.label}</Link>
                  <div className="muted small">{row.name}{row.builtIn ? ` · ${t(locale, 'apt_built_in')}` : ''}</div>
                </td>
                <td>{row.entityLabel}</td>
                <td>{row.paper}{row.landscape ? ` · ${t(locale, 'apt_landscape')}` : ''}</td>
                <td>{row.grid ? t(locale, 'apt_kind_labels', { rows: row.grid.rows, columns: row.grid.columns }) : t(locale, 'apt_kind_document')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {templates.length === 0 ? <p className="empty muted">{t(locale, 'apt_none')}</p> : null}
      </div>
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
