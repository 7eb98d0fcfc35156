import type { Kysely } from 'kysely';
import { forgetAccess } from '../../engine/security/access.ts';
import { ADMIN_ROLE, type Actor } from '../../engine/security/actor.ts';

/**
 * Makes a test actor a real user (same id and login) holding `roles` in a workspace — the
 * built-in administrator by default — so the engine's permission checks know them.
 *
 * @example beforeAll(() => enrol(db, sales, 'crm'));
 */
export async function enrol(db: Kysely<any>, actor: Actor, workspace: string, roles: string[] = [ADMIN_ROLE]): Promise<void> {
  await db.insertInto('forma.user')
    .values({ id: actor.id, login: actor.name, display_name: actor.name, active: true })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  if (roles.length) await db.insertInto('forma.user_role').values(roles.map((role) => ({ user_id: actor.id, workspace, role }))).onConflict((oc) => oc.doNothing()).execute();
  forgetAccess();
}
