import { requireAdministrator } from '../admin/admin.server.ts';
import { versionRows } from '../admin/history.server.ts';
import { VersionTable } from '../admin/version-table.tsx';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.history';

export const meta: Route.MetaFunction = () => [{ title: '变更历史 / History · Forma' }];

/** Every metadata version, newest first: who, when, why. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return { version: admin.version, rows: await versionRows(admin) };
}

export default function AdminHistory({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  return (
    <>
      <div className="page-head"><h1>{t(locale, 'admin_history_title')}</h1></div>
      <p className="muted">{t(locale, 'admin_history_lead')}</p>
      <section className="card section">
        <VersionTable rows={loaderData.rows} current={loaderData.version} />
      </section>
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
