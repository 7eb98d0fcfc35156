import type { ReactNode } from 'react';
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router';
import type { Route } from './+types/root';
import stylesheet from './app.css?url';
import { localeOf, t } from './text/index.ts';
import { useErrorSummary } from './page-error.tsx';
import { useLocale } from './use-locale.ts';

// Inline, so browsers do not ask for /favicon.ico (a 404, logged on the server) on every visit.
const icon =
  "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>" +
  "<rect width='32' height='32' rx='7' fill='%230b63c5'/><path d='M11 8h11v3.5h-7v3.5h6v3.5h-6V24h-4z' fill='white'/></svg>";

export const links: Route.LinksFunction = () => [
  { rel: 'icon', href: icon, type: 'image/svg+xml' },
  { rel: 'stylesheet', href: stylesheet },
];

/** The language of every screen: the person's choice, zh-CN until they make one. */
export function loader({ request }: Route.LoaderArgs) {
  return { locale: localeOf(request) };
}

export function Layout({ children }: { children: ReactNode }) {
  const locale = useLocale();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** A page that failed outside the frame (or the frame itself): the same summary, and the stack in development only. */
export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const locale = useLocale();
  const { status, title, detail } = useErrorSummary();
  const stack = import.meta.env.DEV && error instanceof Error ? error.stack : undefined;
  return (
    <main className="page error">
      <title>{`${status} · Forma`}</title>
      <h1>{title}</h1>
      <p className="muted">
        {status}
        {detail ? ` · ${detail}` : ''}
      </p>
      <p className="actions">
        <a href="/">{t(locale, 'back_home')}</a>
      </p>
      {stack ? <pre className="stack">{stack}</pre> : null}
    </main>
  );
}
