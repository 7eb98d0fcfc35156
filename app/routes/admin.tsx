import { NavLink, Outlet, useRouteLoaderData } from 'react-router';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { requireAdministrator } from '../admin/admin.server.ts';
import adminStyles from '../styles/admin.css?url';
import iconStyles from '../styles/icons.css?url';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin';

// The admin pages' shared look: the change review, the history, the icon picker (app/icons/).
export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: adminStyles }, { rel: 'stylesheet', href: iconStyles }];

/** The admin area's frame: administrators only (others get a 403 page), with the metadata version every designer plans on. */
export const shouldRevalidate = reloadAfterChange;

export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return { version: admin.version };
}

/** The admin frame's data, for the pages inside it. */
export function useAdmin(): { version: number } {
  return useRouteLoaderData('routes/admin') as { version: number };
}

export default function AdminFrame({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  return (
    <div className="admin">
      <nav className="admin-nav" aria-label={t(locale, 'admin_title')}>
        <NavLink to="/admin" end>{t(locale, 'admin_nav_overview')}</NavLink>
        <NavLink to="/admin/entities">{t(locale, 'admin_nav_entities')}</NavLink>
        <NavLink to="/admin/modules">{t(locale, 'admin_nav_modules')}</NavLink>
        <NavLink to="/admin/numbering">{t(locale, 'admin_nav_numbering')}</NavLink>
        <NavLink to="/admin/print-templates">{t(locale, 'apt_nav')}</NavLink>
        <NavLink to="/admin/history">{t(locale, 'admin_nav_history')}</NavLink>
        <span className="muted admin-version">{t(locale, 'admin_version', { version: loaderData.version })}</span>
      </nav>
      <Outlet />
    </div>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
