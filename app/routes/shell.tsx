import { Form, NavLink, Outlet, useLocation, useRouteLoaderData } from 'react-router';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { Icon } from '../icons/icon.tsx';
import { navigation, type NavigationModule } from '../navigation.server.ts';
import { requireStaff } from '../staff.server.ts';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/shell';

/** What every staff screen inside the frame knows: who is signed in, their menu and their CSRF token. */
export interface ShellData {
  user: { id: string; login: string; displayName: string };
  csrfToken: string;
  modules: NavigationModule[];
  /** Whether the person may open the admin area (系统设置). */
  admin: boolean;
}

export const shouldRevalidate = reloadAfterChange;

export async function loader({ request, context }: Route.LoaderArgs): Promise<ShellData> {
  const staff = await requireStaff(request, context);
  return {
    user: staff.session.user,
    csrfToken: staff.session.csrfToken,
    modules: navigation(staff.model, staff.access, staff.locale),
    admin: staff.access.admin,
  };
}

/** The frame's data, for the screens inside it (`useShell().csrfToken` for their forms and API calls). */
export function useShell(): ShellData {
  return useRouteLoaderData('routes/shell') as ShellData;
}

export default function Shell({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const location = useLocation();
  const { user, csrfToken, modules, admin } = loaderData;
  const here = location.pathname + location.search;
  return (
    <div className="shell">
      <header className="topbar">
        <a href="/" className="brand">{t(locale, 'app_name')}</a>
        <Form method="get" action="/search" className="global-search" role="search">
          <input
            type="search" name="q" placeholder={t(locale, 'search_placeholder')} aria-label={t(locale, 'search')}
            // On the results page the box keeps what was searched; key: a new search resets it.
            key={location.search} defaultValue={location.pathname === '/search' ? new URLSearchParams(location.search).get('q') ?? '' : ''}
          />
        </Form>
        <Form method="post" action="/locale" className="inline">
          <input type="hidden" name="back" value={here} />
          <button type="submit" name="locale" value={locale === 'en' ? 'zh-CN' : 'en'} className="link" title={t(locale, 'language')}>
            {t(locale, 'other_language')}
          </button>
        </Form>
        {admin ? <NavLink to="/admin" className="admin-link">{t(locale, 'admin_title')}</NavLink> : null}
        <details className="user-menu">
          <summary>{user.displayName}</summary>
          <div className="menu">
            <a href="/account/password">{t(locale, 'change_password')}</a>
            <Form method="post" action="/logout">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <button type="submit" className="link">{t(locale, 'sign_out')}</button>
            </Form>
          </div>
        </details>
      </header>
      <nav className="sidebar" aria-label="modules">
        {modules.map((module) => (
          <section key={module.name}>
            <h2>{module.icon ? <Icon name={module.icon} size={14} /> : null}{module.label}</h2>
            <ul>
              {module.entities.map((entity) => (
                <li key={entity.name}>
                  <NavLink to={`/r/${entity.name}`}>{entity.label}</NavLink>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </nav>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
