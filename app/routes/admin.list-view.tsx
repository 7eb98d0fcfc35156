import { Link } from 'react-router';
import { workspaceMembers } from '../../engine/security/directory.ts';
import { requireAdministrator } from '../admin/admin.server.ts';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { columnChoices, editedView, parsePreviewRequest, previewList, previewRequestOfView, viewFilterFields } from '../admin/list-view/list-view.server.ts';
import { ListViewDesigner, type ListViewDesignerData } from '../admin/list-view/ListViewDesigner.tsx';
import { readableEntity } from '../records.server.ts';
import listsCss from '../styles/lists.css?url';
import adminListsCss from '../styles/admin-lists.css?url';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.list-view';

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.entity.label ?? ''} · 列表视图 / List view · Forma` }];

// The staff filter builder's own styles, then the designer's.
export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: listsCss }, { rel: 'stylesheet', href: adminListsCss }];

/**
 * The list view designer of an entity (`/admin/entities/:entity/list`): its list view (or a new
 * `<entity>_all`), the fields columns and sort keys can name, the default filter's fields and
 * people, and a preview of the first records — of the stored view, or with `?preview=<JSON>`
 * (what the designer asks as the admin edits) of the draft's columns, sort and filter.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  const entity = readableEntity(admin, params.entity);
  const { view, isNew } = editedView(admin, entity);
  const filterFields = viewFilterFields(admin, entity);
  const asked = new URL(request.url).searchParams.get('preview');
  const previewRequest = asked === null ? previewRequestOfView(view) : parsePreviewRequest(asked);
  const [members, preview] = await Promise.all([
    workspaceMembers(admin.db, admin.workspace),
    previewList(admin, entity, previewRequest, filterFields),
  ]);
  const data: ListViewDesignerData = {
    version: admin.version,
    entity: { name: entity.name, label: label(entity.label, admin.locale) },
    view, isNew,
    choices: columnChoices(admin, entity),
    filterFields,
    people: members.map((m) => ({ value: m.id, label: m.displayName })),
    preview,
    previewFor: asked ?? JSON.stringify(previewRequest),
  };
  return data;
}

/** The designer's data reloads after an applied change, not after each check of the draft. */
export const shouldRevalidate = reloadAfterChange;

export default function ListViewDesign({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { entity } = loaderData;
  return (
    <>
      <div className="page-head">
        <h1>{t(locale, 'alv_title', { entity: entity.label })}</h1>
        <div className="page-actions">
          <Link to={`/r/${entity.name}`}>{t(locale, 'alv_open_list', { entity: entity.label })}</Link>
          <Link to={`/admin/entities/${entity.name}`}>← {t(locale, 'alv_back', { entity: entity.label })}</Link>
        </div>
      </div>
      <p className="muted">{t(locale, 'alv_lead', { entity: entity.label })}</p>
      <ListViewDesigner key={`${entity.name}:${loaderData.view.name}`} data={loaderData} />
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
