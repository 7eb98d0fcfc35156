import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { FormaError } from '../errors.ts';
import { requireUserAdministrator } from './access.ts';
import { newSecret, secretHash } from './secrets.ts';
import { UUID } from '../records/context.ts';
import type { Actor } from './actor.ts';
import { inTransaction, logEvent } from './system-log.ts';
import { findUserByLogin } from './users.ts';

/** A token as created: the secret itself is in this value only, never in the database. */
export interface CreatedApiToken {
  id: string;
  token: string;
  expiresAt: Date;
}

const PREFIX = 'forma_';
/** `forma_` + 32 random bytes in base64url (43 characters): anything else is not a token. */
const TOKEN = /^forma_[A-Za-z0-9_-]{43}$/;
const MAX_DAYS = 3650;
const LABEL_MAX = 200;
/** Writing `last_used_at` on every request would make every API call a write: once a minute is enough. */
const LAST_USED_PRECISION_MS = 60_000;

/**
 * Creates an API token for a user, valid for `days` (default 90). The token (`forma_…`) is
 * returned once; only its SHA-256 is stored, so it cannot be shown again — a lost token is
 * revoked and replaced.
 *
 * @example const { id, token, expiresAt } = await createApiToken(db, systemActor('cli'), { login: 'erp-sync', days: 365, label: 'ERP 同步' });
 */
export async function createApiToken(
  db: Kysely<any>, actor: Actor, input: { login: string; days?: number; label?: string },
): Promise<CreatedApiToken> {
  const days = input.days ?? 90;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw new FormaError('token_days_invalid', { days, max: MAX_DAYS });
  if (input.label !== undefined && input.label.length > LABEL_MAX) throw new FormaError('token_label_invalid', { max: LABEL_MAX });
  const user = await findUserByLogin(db, input.login);
  // A user may issue tokens for themselves; for anyone else it takes an administrator.
  if (user?.id !== actor.id) await requireUserAdministrator(db, actor);
  if (!user) throw new FormaError('user_unknown', { login: input.login });
  if (!user.active) throw new FormaError('user_inactive', { login: input.login });

  const token = newSecret(PREFIX);
  const id = uuidv7();
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await inTransaction(db, async (trx) => {
    await trx.insertInto('forma.api_token')
      .values({ id, user_id: user.id, token_hash: secretHash(token), label: input.label ?? null, expires_at: expiresAt })
      .execute();
    await logEvent(trx, { actor, action: 'token.create', details: { token: id, login: user.login, label: input.label ?? null, expiresAt } });
  });
  return { id, token, expiresAt };
}

/**
 * The actor a request's token stands for: its user, when the token is known, not expired, not
 * revoked and its user active; otherwise undefined (the caller answers 401 without saying which).
 *
 * @example const actor = await actorForToken(db, bearer); if (!actor) return unauthorized();
 */
export async function actorForToken(db: Kysely<any>, token: string): Promise<Actor | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const row = await db.selectFrom('forma.api_token as t')
    .innerJoin('forma.user as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.last_used_at', 'u.id as user_id', 'u.login'])
    .where('t.token_hash', '=', secretHash(token))
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .where('u.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  const lastUsed = row.last_used_at ? new Date(row.last_used_at).getTime() : 0;
  if (Date.now() - lastUsed >= LAST_USED_PRECISION_MS) {
    // Conditional too, so simultaneous requests write it once.
    await db.updateTable('forma.api_token').set({ last_used_at: sql`now()` })
      .where('id', '=', row.token_id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
      .execute();
  }
  return { id: row.user_id, name: row.login, kind: 'user' };
}

/** Revokes a token for good (revoking it again changes nothing); an unknown id is `token_unknown`. */
export async function revokeApiToken(db: Kysely<any>, actor: Actor, id: string): Promise<void> {
  const found = UUID.test(id)
    ? await db.selectFrom('forma.api_token').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst()
    : undefined;
  // Like issuing: one's own tokens, or anyone's for an administrator (who alone learns whether an id exists).
  if (found?.user_id !== actor.id) await requireUserAdministrator(db, actor);
  if (!found) throw new FormaError('token_unknown', { id });
  await inTransaction(db, async (trx) => {
    const revoked = await trx.updateTable('forma.api_token').set({ revoked_at: sql`now()` }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(revoked.numUpdatedRows) > 0) await logEvent(trx, { actor, action: 'token.revoke', details: { token: id } });
  });
}
