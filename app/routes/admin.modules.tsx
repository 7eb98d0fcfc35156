import { requireAdministrator } from '../admin/admin.server.ts';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { ModuleDesigner } from '../admin/modules/module-designer.tsx';
import { moduleDesignData } from '../admin/modules/modules.server.ts';
import { useChange } from '../admin/use-change.ts';
import modulesCss from '../styles/admin-modules.css?url';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.modules';

export const meta: Route.MetaFunction = () => [{ title: '模块与导航 / Modules and navigation · Forma' }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: modulesCss }];

/** The modules of the staff menu, their entities and the roles hiding them, at the current metadata version. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return { version: admin.version, design: moduleDesignData(admin.model) };
}

export const shouldRevalidate = reloadAfterChange;

export default function AdminModules({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  // The change outlives the designer: after an apply the designer starts again from the new
  // version while the review still says what was applied.
  const change = useChange(loaderData.version);
  return (
    <>
      <div className="page-head"><h1>{t(locale, 'am_title')}</h1></div>
      <p className="muted">{t(locale, 'am_lead')}</p>
      <ModuleDesigner key={loaderData.version} data={loaderData.design} change={change} />
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
