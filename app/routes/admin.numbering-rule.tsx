import { Link } from 'react-router';
import { documentKey } from '../../engine/metadata/model.ts';
import { calendarDate, DEFAULT_TIME_ZONE } from '../../engine/records/context.ts';
import { requireAdministrator } from '../admin/admin.server.ts';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { draftOfRule, previewParams } from '../admin/numbering/draft.ts';
import { numberingDocuments, previewRule, ruleUsages } from '../admin/numbering/numbering.server.ts';
import { RuleDesigner, type RuleDesignerData } from '../admin/numbering/RuleDesigner.tsx';
import numberingCss from '../styles/admin-numbering.css?url';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.numbering-rule';

export const meta: Route.MetaFunction = () => [{ title: '编号规则 / Numbering · Forma' }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: numberingCss }];

/**
 * One numbering rule in the designer (`/admin/numbering/:name`), or a new one
 * (`/admin/numbering/new`, no `name`). With `?pattern=…&reset=…&start=…&step=…&name=…` (what
 * the designer asks as the admin types) the preview is of that draft instead of the stored rule.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  const name = (params as { name?: string }).name;
  const rule = name === undefined ? null : admin.model.get(documentKey({ kind: 'numbering', name })) ?? null;
  if (name !== undefined && !rule) throw new Response(t(admin.locale, 'not_found_lead'), { status: 404 });
  const query = new URL(request.url).searchParams;
  const asked = query.has('pattern')
    ? { name: name ?? query.get('name') ?? '', pattern: query.get('pattern') ?? '', reset: query.get('reset') ?? '', start: query.get('start') ?? '', step: query.get('step') ?? '' }
    : rule ? draftOfRule(rule) : undefined;
  const data: RuleDesignerData = {
    version: admin.version,
    rule,
    usages: name ? ruleUsages(admin, name) : [],
    names: numberingDocuments(admin).map((doc) => doc.name),
    today: calendarDate(new Date(), admin.ctx.timeZone ?? DEFAULT_TIME_ZONE),
    preview: asked ? await previewRule(admin, asked) : null,
    previewFor: asked ? previewParams(asked) : '',
  };
  return data;
}

/** The designer's data reloads after an applied change, not after each check of the draft. */
export const shouldRevalidate = reloadAfterChange;

export default function NumberingRule({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { rule } = loaderData;
  return (
    <>
      <div className="page-head">
        <h1>{rule ? t(locale, 'anb_edit_title', { label: label(rule.label, locale) }) : t(locale, 'anb_new_title')}</h1>
        <div className="page-actions"><Link to="/admin/numbering">← {t(locale, 'anb_back')}</Link></div>
      </div>
      <RuleDesigner key={rule?.name ?? 'new'} data={loaderData} />
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
