import { FormaError } from '../../engine/errors.ts';
import { SignInRefused, signIn, signOut, type Session } from '../../engine/security/sessions.ts';
import { changePassword } from '../../engine/security/users.ts';
import { sessionCookie, sessionToken } from './auth.server.ts';
import { ApiError, statusOf } from './errors.server.ts';
import { endpoint, json, noContent, publicMethod, queryParameters, readJson } from './http.server.ts';

/**
 * Signing in to the web app, `/api/v1/session`: `POST { login, password }` signs in — the session
 * token goes into an HttpOnly cookie, never into the body — `GET` tells who is signed in and the
 * CSRF token to send with every change (`X-CSRF-Token`), `DELETE` signs out. A sign-in form of
 * another site cannot post here: the body must be JSON, which a cross-site form cannot send.
 */
export const sessionEndpoint = endpoint({
  POST: publicMethod(async ({ request, deps, address }) => {
    queryParameters(request, []);
    const body = (await readJson(request)) as { login?: unknown; password?: unknown } | null;
    const signedIn = await signIn(deps.db, {
      login: body?.login as string,
      password: body?.password as string,
      address,
      userAgent: request.headers.get('User-Agent') ?? undefined,
      previousToken: sessionToken(request),
    }).catch(withRetryAfter);
    const seconds = Math.floor((signedIn.expiresAt.getTime() - Date.now()) / 1000);
    return json(
      { user: { id: signedIn.user.id, login: signedIn.user.login, displayName: signedIn.user.displayName }, csrfToken: signedIn.csrfToken, expiresAt: signedIn.expiresAt },
      200,
      { 'Set-Cookie': sessionCookie(request, signedIn.token, seconds) },
    );
  }),
  GET: async ({ request, session }) => {
    queryParameters(request, []);
    const { user, csrfToken, expiresAt } = inSession(session);
    return json({ user, csrfToken, expiresAt });
  },
  DELETE: async ({ request, deps, session, address }) => {
    queryParameters(request, []);
    inSession(session);
    await signOut(deps.db, sessionToken(request)!, address);
    return noContent({ 'Set-Cookie': sessionCookie(request, '', 0) });
  },
});

/**
 * `POST /api/v1/session/password` with `{ current, next }`: changes the caller's own password
 * (204). Their other sessions end; the one it is made in stays.
 */
export const sessionPassword = endpoint({
  POST: async ({ request, deps, actor, session, address }) => {
    queryParameters(request, []);
    const body = (await readJson(request)) as { current?: unknown; next?: unknown } | null;
    await changePassword(deps.db, actor, { current: body?.current as string, next: body?.next as string, session: session?.sessionId, address });
    return noContent();
  },
});

/** The cookie session of a call; an API token has none to describe or end (401). */
function inSession(session: Session | undefined): Session {
  if (!session) throw new FormaError('unauthenticated');
  return session;
}

/** A sign-in refused for a while answers with Retry-After (in seconds) besides its message. */
function withRetryAfter(error: unknown): never {
  if (error instanceof SignInRefused) {
    throw new ApiError(statusOf(error.code), error.code, error.text, error.problems, { 'Retry-After': String(error.retryAfter) });
  }
  throw error;
}
