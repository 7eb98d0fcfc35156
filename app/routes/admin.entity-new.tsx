import { Link, useNavigate, type ShouldRevalidateFunctionArgs } from 'react-router';
import { requireAdministrator } from '../admin/admin.server.ts';
import { designerChoices } from '../admin/entities/entities.server.ts';
import { EntityDesigner } from '../admin/entities/EntityDesigner.tsx';
import { useChange } from '../admin/use-change.ts';
import entitiesCss from '../styles/admin-entities.css?url';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.entity-new';

export const meta: Route.MetaFunction = () => [{ title: '新建实体 / New entity · Forma' }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: entitiesCss }];

/** What a new entity may be built from: field types, entities to look up, numbering rules, modules, the names taken. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  return { version: admin.version, choices: designerChoices(admin.model, admin.locale) };
}

/**
 * Never reloads after a designer's post: a validate or review changes nothing, a refused apply
 * keeps the draft, and once the entity is applied the page leaves for its manager (reloading
 * first would call its own name taken).
 */
export function shouldRevalidate(args: ShouldRevalidateFunctionArgs) {
  return args.formAction === '/admin/change' ? false : args.defaultShouldRevalidate;
}

export default function AdminEntityNew({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const navigate = useNavigate();
  const change = useChange(loaderData.version);
  return (
    <div className="ae-entity">
      <p className="ae-back"><Link to="/admin/entities">{t(locale, 'ae_back')}</Link></p>
      <div className="page-head"><h1>{t(locale, 'ae_new_title')}</h1></div>
      <EntityDesigner
        stored={undefined} origins={{}} choices={loaderData.choices} change={change}
        onCreated={(name, version) => navigate(`/admin/entities/${name}`, { state: { created: version } })}
      />
    </div>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
