import type { Kysely } from 'kysely';
import { FormaError } from '../../engine/errors.ts';
import type { Actor } from '../../engine/security/actor.ts';
import { actorForToken } from '../../engine/security/tokens.ts';

/**
 * Who is calling: the user of the request's API token (`Authorization: Bearer forma_…`), or a
 * thrown `unauthenticated` (401). The one place a request becomes an actor: cookie sessions
 * plug in here when the login screen lands. Which of "no token", "unknown", "expired" or
 * "revoked" it was is not said: that would help someone guessing tokens.
 *
 * @example const actor = await authenticate(request, db);
 */
export async function authenticate(request: Request, db: Kysely<any>): Promise<Actor> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.get('Authorization') ?? '');
  const actor = match ? await actorForToken(db, match[1]!) : undefined;
  if (!actor) throw new FormaError('unauthenticated');
  return actor;
}
