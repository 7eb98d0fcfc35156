import { isRouteErrorResponse, useRouteError } from 'react-router';
import { t } from './text/index.ts';
import { useLocale } from './use-locale.ts';

/** What a failed page says: its status, a title and a detail in the person's language — never a stack. */
export function useErrorSummary(): { status: number; title: string; detail: string } {
  const locale = useLocale();
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = t(locale, status === 404 ? 'not_found_title' : status === 403 ? 'forbidden_title' : 'error_title');
  const detail = isRouteErrorResponse(error) && typeof error.data === 'string' && status < 500 ? error.data : status === 404 ? t(locale, 'not_found_lead') : '';
  return { status, title, detail };
}

/**
 * A staff page that could not be shown — 404 (not there, or not for this person), 403, a bad
 * request, a failure — inside the frame, so the menu stays: each screen of the frame re-exports
 * it as its `ErrorBoundary`.
 */
export function PageError() {
  const locale = useLocale();
  const { status, title, detail } = useErrorSummary();
  return (
    <section className="card section page-error" role="alert">
      <title>{`${status} · Forma`}</title>
      <h1>{title}</h1>
      <p className="muted">{status}{detail ? ` · ${detail}` : ''}</p>
      <p><a href="/">{t(locale, 'back_home')}</a></p>
    </section>
  );
}
