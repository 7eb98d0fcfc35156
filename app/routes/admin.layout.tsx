import type { ShouldRevalidateFunctionArgs } from 'react-router';
import { requireAdministrator } from '../admin/admin.server.ts';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { LayoutDesigner } from '../admin/layout/LayoutDesigner.tsx';
import { loadLayoutDesigner } from '../admin/layout/load.server.ts';
import layoutStyles from '../styles/admin-layout.css?url';
import formsStyles from '../styles/forms.css?url';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.layout';

/**
 * The form layout designer of an entity (`/admin/entities/:entity/layout`, administrators only):
 * the layout document edited as a draft (app/admin/layout/*) beside the live preview of the staff
 * form, then reviewed and applied like every designer's change.
 */
export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: formsStyles }, { rel: 'stylesheet', href: layoutStyles }];

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.title ?? ''} · Forma` }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  const data = await loadLayoutDesigner(admin, params.entity);
  return { ...data, version: admin.version, title: t(admin.locale, 'al_title', { entity: label(data.entity.label, admin.locale) }) };
}

/** Reloads after an applied change only: the designer's live validation and reviews change nothing. */
export function shouldRevalidate(args: ShouldRevalidateFunctionArgs) {
  return reloadAfterChange(args);
}

export default function LayoutDesignerPage({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  return <LayoutDesigner data={loaderData} locale={locale} />;
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
