import { Link } from 'react-router';
import { requireAdministrator } from '../admin/admin.server.ts';
import { versionRows } from '../admin/history.server.ts';
import { VersionTable } from '../admin/version-table.tsx';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.home';

export const meta: Route.MetaFunction = () => [{ title: '系统设置 / Settings · Forma' }];

/** The admin area's first page: what can be designed here, and the latest changes. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return { version: admin.version, recent: await versionRows(admin, 5) };
}

export default function AdminHome({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  return (
    <>
      <div className="page-head"><h1>{t(locale, 'admin_title')}</h1></div>
      <p className="muted">{t(locale, 'admin_overview_lead')}</p>
      <div className="tiles">
        <Link className="card tile" to="/admin/entities"><h2>{t(locale, 'admin_nav_entities')}</h2></Link>
        <Link className="card tile" to="/admin/modules"><h2>{t(locale, 'admin_nav_modules')}</h2></Link>
        <Link className="card tile" to="/admin/numbering"><h2>{t(locale, 'admin_nav_numbering')}</h2></Link>
        <Link className="card tile" to="/admin/history"><h2>{t(locale, 'admin_nav_history')}</h2></Link>
      </div>
      <section className="card section">
        <h2>{t(locale, 'admin_recent_changes')}</h2>
        <VersionTable rows={loaderData.recent} current={loaderData.version} />
        <p><Link to="/admin/history">{t(locale, 'admin_all_history')}</Link></p>
      </section>
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
