/**
 * Who is acting. Every engine call takes one, so permissions and the audit trail are never
 * optional. Users get their own ids once the security module lands; the system actor stands
 * for the installer, the CLI and scheduled work.
 */
export interface Actor {
  id: string;
  name: string;
  kind: 'user' | 'system';
}

/** The system acting on behalf of a named tool, e.g. `systemActor('cli')`. */
export function systemActor(tool: string): Actor {
  return { id: '00000000-0000-0000-0000-000000000000', name: `system:${tool}`, kind: 'system' };
}

/**
 * The role every workspace has without a document: the administrator (系统管理员), who may do
 * everything. The initial `admin` user holds it; a role document may not take its name.
 */
export const ADMIN_ROLE = 'admin';
