import { Link, useLocation, useNavigate, type ShouldRevalidateFunctionArgs } from 'react-router';
import { isArchivedEntity } from '../../engine/metadata/model.ts';
import { requireAdministrator } from '../admin/admin.server.ts';
import { designerChoices, fieldOrigins, formerSpotsOf, lineParentOf, placementsOf, storedEntity } from '../admin/entities/entities.server.ts';
import { EntityDesigner } from '../admin/entities/EntityDesigner.tsx';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { useChange } from '../admin/use-change.ts';
import entitiesCss from '../styles/admin-entities.css?url';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.entity';

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data ? label(data.entity.label, 'zh-CN') : ''} · 实体与字段 · Forma` }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: entitiesCss }];

/** One entity as applied (archived ones too), its fields' origins and what the designer offers. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  const entity = storedEntity(admin.model, params.entity);
  const parent = lineParentOf(admin.model)(entity.name);
  return {
    version: admin.version, entity, origins: fieldOrigins(entity), choices: designerChoices(admin.model, admin.locale),
    lineOf: parent ? label(parent.label, admin.locale) : undefined,
    placements: placementsOf(admin.model, entity.name), former: await formerSpotsOf(admin, entity),
  };
}

/** Reloads only after a change was applied — except a purge of this entity, after which the page leaves for the list. */
export function shouldRevalidate(args: ShouldRevalidateFunctionArgs) {
  if (args.formData?.get('intent') === 'purge' && args.formData.get('field') === null) return false;
  return reloadAfterChange(args);
}

export default function AdminEntity({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const navigate = useNavigate();
  const created = (useLocation().state as { created?: number } | null)?.created;
  const { version, entity, origins, choices, lineOf, placements, former } = loaderData;
  const change = useChange(version);
  const archived = isArchivedEntity(entity);
  return (
    <div className="ae-entity">
      <p className="ae-back"><Link to="/admin/entities">{t(locale, 'ae_back')}</Link></p>
      <div className="page-head">
        <h1>{label(entity.label, locale)}</h1>
        <code className="ae-entity-name">{entity.name}</code>
        {archived ? <span className="badge">{t(locale, 'ae_archived_badge')}</span> : null}
        {lineOf ? <span className="muted">{t(locale, 'ae_line_items_of', { parent: lineOf })}</span> : null}
        <div className="page-actions">
          {/* Line items are reached through their parent's records, not a list of their own. */}
          {archived || lineOf ? null : <Link to={`/r/${entity.name}`}>{t(locale, 'ae_open_records')}</Link>}
          <Link to={`/admin/entities/${entity.name}/layout`}>{t(locale, 'ae_layout')}</Link>
          <Link to={`/admin/entities/${entity.name}/list`}>{t(locale, 'ae_list_view')}</Link>
        </div>
      </div>
      {created ? <p className="notice" role="status">{t(locale, 'ae_created', { version: created })}</p> : null}
      <EntityDesigner
        key={version} stored={entity} origins={origins} choices={choices} change={change} placements={placements} former={former}
        onPurgedEntity={() => navigate('/admin/entities')}
      />
    </div>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
