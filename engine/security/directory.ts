import type { Kysely } from 'kysely';

/** A person as pickers show them: to reassign records to, or to filter by. */
export interface Member {
  id: string;
  login: string;
  displayName: string;
}

/**
 * The active users who hold a role in a workspace — the people records there can be assigned
 * to — by display name, at most `limit` (default 1000). Names and logins only: what any
 * colleague may know of another.
 *
 * @example const people = await workspaceMembers(db, 'main'); // [{ id, login: 'sales1', displayName: '李明（销售一部）' }, …]
 */
export async function workspaceMembers(db: Kysely<any>, workspace: string, options: { limit?: number } = {}): Promise<Member[]> {
  const rows = await db.selectFrom('forma.user as u')
    .select(['u.id', 'u.login', 'u.display_name'])
    .where('u.active', '=', true)
    .where((eb) => eb.exists(eb.selectFrom('forma.user_role as r').select('r.role').whereRef('r.user_id', '=', 'u.id').where('r.workspace', '=', workspace)))
    .orderBy('u.display_name')
    .orderBy('u.login')
    .limit(Math.min(Math.max(1, options.limit ?? 1000), 10_000))
    .execute();
  return rows.map((r) => ({ id: String(r.id), login: String(r.login), displayName: String(r.display_name) }));
}
