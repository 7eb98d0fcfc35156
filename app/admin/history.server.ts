import { history } from '../../engine/metadata/store.ts';
import type { Admin } from './admin.server.ts';

/** One line of the metadata history as the admin pages show it. */
export interface VersionRow {
  version: number;
  at: string;
  who: string;
  reason: string | null;
  steps: number;
}

/** The workspace's metadata versions, newest first (`limit` of them when given). */
export async function versionRows(admin: Admin, limit?: number): Promise<VersionRow[]> {
  const versions = await history(admin.ctx);
  return versions.slice(0, limit ?? versions.length).map((v) => ({
    version: v.version,
    at: v.createdAt.toISOString(),
    who: v.actor.name,
    reason: v.reason,
    steps: v.operations.length,
  }));
}
