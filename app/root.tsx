import type { ReactNode } from 'react';
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration } from 'react-router';
import type { Route } from './+types/root';
import stylesheet from './app.css?url';

// Inline, so browsers do not ask for /favicon.ico (a 404, logged on the server) on every visit.
const icon =
  "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>" +
  "<rect width='32' height='32' rx='7' fill='%230b63c5'/><path d='M11 8h11v3.5h-7v3.5h6v3.5h-6V24h-4z' fill='white'/></svg>";

export const links: Route.LinksFunction = () => [
  { rel: 'icon', href: icon, type: 'image/svg+xml' },
  { rel: 'stylesheet', href: stylesheet },
];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
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

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const detail =
    status === 404 ? '找不到这个页面 / Page not found' : isRouteErrorResponse(error) ? error.statusText : '';
  // Stacks help while developing and must never reach a user of a production build.
  const stack = import.meta.env.DEV && error instanceof Error ? error.stack : undefined;
  return (
    <main className="page error">
      <title>{`${status} · Forma`}</title>
      <h1>页面出错了 / Something went wrong</h1>
      <p className="muted">
        {status}
        {detail ? ` · ${detail}` : ''}
      </p>
      <p className="actions">
        <a href="/">返回首页 / Back to the home page</a>
      </p>
      {stack ? <pre className="stack">{stack}</pre> : null}
    </main>
  );
}
