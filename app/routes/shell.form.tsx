import { RecordForm } from '../forms/record-form.tsx';
import { loadRecordForm } from '../forms/load.server.ts';
import { requireStaff } from '../staff.server.ts';
import formsStylesheet from '../styles/forms.css?url';
import { useLocale } from '../use-locale.ts';
import { useShell } from './shell.tsx';
import type { Route } from './+types/shell.form';

/**
 * The record form, for both routes using this module: `r/:entity/new` (a new record, prefilled
 * from the query: `?customer=<id>` from a customer's related lists) and `r/:entity/:id/edit`.
 * The loader builds the form for the person (app/forms/load.server.ts); the browser saves it
 * through the REST API (app/forms/record-form.tsx).
 */
export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: formsStylesheet }];

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.title ?? ''} · Forma` }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  const id = 'id' in params && typeof params.id === 'string' ? params.id : undefined;
  return loadRecordForm(staff, params.entity, id, new URL(request.url).searchParams);
}

export default function RecordFormPage({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { csrfToken } = useShell();
  // A new key per record (and per version loaded): navigating between forms starts afresh.
  return <RecordForm key={`${loaderData.entity}:${loaderData.id ?? 'new'}:${loaderData.version ?? ''}`} data={loaderData} locale={locale} csrfToken={csrfToken} />;
}
export { PageError as ErrorBoundary } from '../page-error.tsx';
