import { Link } from 'react-router';
import { requireAdministrator } from '../admin/admin.server.ts';
import { entityCatalogue, type EntitySummary } from '../admin/entities/entities.server.ts';
import { Icon } from '../icons/icon.tsx';
import entitiesCss from '../styles/admin-entities.css?url';
import { t, type Locale } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.entities';

export const meta: Route.MetaFunction = () => [{ title: '实体与字段 / Entities · Forma' }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: entitiesCss }];

/** Every entity of the workspace, grouped by module in menu order; archived ones apart. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return entityCatalogue(admin.model, admin.locale);
}

export default function AdminEntities({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { groups, archived } = loaderData;
  return (
    <div className="ae-catalogue">
      <div className="page-head">
        <h1>{t(locale, 'ae_title')}</h1>
        <div className="page-actions">
          <Link to="/admin/entities/new" className="button primary">{t(locale, 'ae_new_entity')}</Link>
        </div>
      </div>
      <p className="muted">{t(locale, 'ae_lead')}</p>
      {groups.map((group) => (
        <section key={group.module} className="card section" aria-label={group.label}>
          <h2>{group.module ? group.label : t(locale, 'ae_no_module')}</h2>
          <EntityTable entities={group.entities} locale={locale} />
        </section>
      ))}
      {archived.length ? (
        <section className="card section ae-archived" aria-label={t(locale, 'ae_archived_entities')}>
          <h2>{t(locale, 'ae_archived_entities')}</h2>
          <p className="muted">{t(locale, 'ae_archived_entities_hint')}</p>
          <EntityTable entities={archived} locale={locale} />
        </section>
      ) : null}
    </div>
  );
}

function EntityTable({ entities, locale }: { entities: EntitySummary[]; locale: Locale }) {
  return (
    <div className="table-wrap">
      <table className="records ae-entities">
        <thead>
          <tr>
            <th>{t(locale, 'ae_col_label')}</th>
            <th>{t(locale, 'ae_col_name')}</th>
            <th className="num">{t(locale, 'ae_col_fields')}</th>
            <th>{t(locale, 'ae_col_design')}</th>
          </tr>
        </thead>
        <tbody>
          {entities.map((entity) => (
            <tr key={entity.name} data-entity={entity.name} className={entity.lineOf ? 'ae-line-entity' : undefined}>
              <td>
                <Link to={`/admin/entities/${entity.name}`}>{entity.icon ? <Icon name={entity.icon} /> : null}{entity.label}</Link>
                {entity.lineOf ? <span className="muted ae-line-of">{t(locale, 'ae_line_items_of', { parent: entity.lineOf })}</span> : null}
              </td>
              <td><code>{entity.name}</code></td>
              <td className="num">
                {entity.archivedFields
                  ? t(locale, 'ae_field_count_archived', { count: entity.fields, archived: entity.archivedFields })
                  : t(locale, 'ae_field_count', { count: entity.fields })}
              </td>
              <td className="ae-design-links">
                <Link to={`/admin/entities/${entity.name}`}>{t(locale, 'ae_manage')}</Link>
                <Link to={`/admin/entities/${entity.name}/layout`}>{t(locale, 'ae_layout')}</Link>
                <Link to={`/admin/entities/${entity.name}/list`}>{t(locale, 'ae_list_view')}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
