import { Link } from 'react-router';
import { requireAdministrator } from '../admin/admin.server.ts';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { loadTemplateDesigner } from '../admin/print/designer.server.ts';
import { StartFrom } from '../admin/print/StartFrom.tsx';
import { TemplateDesigner } from '../admin/print/TemplateDesigner.tsx';
import printCss from '../styles/admin-print.css?url';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.print-template';

export const meta: Route.MetaFunction = () => [{ title: '打印模板 / Print templates · Forma' }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: printCss }];

/**
 * One print template in the designer (`/admin/print-templates/:name`), or a new one
 * (`/admin/print-templates/new?from=<built-in template>`, no `name`), with its first preview.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return loadTemplateDesigner(admin, (params as { name?: string }).name, new URL(request.url).searchParams.get('from'));
}

/** The designer's data reloads after an applied change, not after each check of the draft. */
export const shouldRevalidate = reloadAfterChange;

export default function PrintTemplate({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { template, isNew, from } = loaderData;
  return (
    <>
      <div className="page-head">
        <h1>{isNew ? t(locale, 'apt_new_title') : t(locale, 'apt_edit_title', { label: label(template.label, locale) })}</h1>
        <div className="page-actions">
          {isNew ? <StartFrom builtIns={loaderData.builtIns} selected={from} restart className="apt-new" /> : null}
          <Link to="/admin/print-templates">← {t(locale, 'apt_back')}</Link>
        </div>
      </div>
      <TemplateDesigner key={isNew ? `new:${from}` : template.name} data={loaderData} />
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
