import type { Kysely } from 'kysely';
import { FormaError } from '../../engine/errors.ts';
import type { Actor } from '../../engine/security/actor.ts';
import { csrfTokenMatches, sessionFor, type Session } from '../../engine/security/sessions.ts';
import { actorForToken } from '../../engine/security/tokens.ts';
import { apiError } from './errors.server.ts';

/** The cookie that carries a browser's session token, set by `POST /api/v1/session`. */
export const SESSION_COOKIE = 'forma_session';

/** Methods that change nothing: a session cookie alone may make them, without the CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who is calling, and in which cookie session (none for an API token). */
export interface Caller {
  actor: Actor;
  session?: Session;
}

/**
 * Who is calling: the user of the request's API token (`Authorization: Bearer forma_…`) when it
 * sends an Authorization header, else of its session cookie (`forma_session`), or a thrown
 * `unauthenticated` (401). The one place a request becomes an actor. Which of "none", "unknown",
 * "expired", "revoked" or "ended" it was is not said: that would help someone guessing tokens.
 * A cookie request that may change something (any method but GET, HEAD and OPTIONS) must also
 * carry its session's CSRF token in `X-CSRF-Token`, else 403 `csrf_invalid`: a page of another
 * site can make the browser send the cookie, but cannot read the token to send along.
 *
 * @example const { actor } = await authenticate(request, db, address);
 */
export async function authenticate(request: Request, db: Kysely<any>, address?: string): Promise<Caller> {
  const authorization = request.headers.get('Authorization');
  if (authorization !== null) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    const actor = match ? await actorForToken(db, match[1]!) : undefined;
    if (!actor) throw new FormaError('unauthenticated');
    return { actor };
  }
  const token = sessionToken(request);
  const session = token === undefined ? undefined : await sessionFor(db, token, address);
  if (!session) throw new FormaError('unauthenticated');
  if (!SAFE_METHODS.has(request.method) && !(await csrfTokenMatches(db, session, request.headers.get('X-CSRF-Token'), address))) {
    throw apiError(403, 'csrf_invalid');
  }
  return { actor: session.actor, session };
}

/** The session token in the request's `forma_session` cookie, if it sent one. */
export function sessionToken(request: Request): string | undefined {
  for (const pair of (request.headers.get('Cookie') ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals > 0 && pair.slice(0, equals).trim() === SESSION_COOKIE) return pair.slice(equals + 1).trim();
  }
  return undefined;
}

/**
 * The session cookie: HttpOnly, so no script — nor an injected one — reads the token; SameSite=Lax,
 * so other sites' pages do not send it along with their requests (links to Forma still work);
 * Secure when the app is served over https. `seconds` 0 deletes it.
 */
export function sessionCookie(request: Request, token: string, seconds: number): string {
  const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${Math.max(0, seconds)}; HttpOnly; SameSite=Lax${secure}`;
}
