import { requireUserAdministrator } from '../../engine/security/access.ts';
import { searchSystemLog, type SystemAction } from '../../engine/security/system-log.ts';
import { endpoint, json, queryParameters } from './http.server.ts';

/**
 * `GET /api/v1/system-log?user=<login>&action=<a>,<b>&from=<ISO time>&to=<ISO time>&limit=N&before=<id>`:
 * the system log (系统日志), newest first, for administrators (403 for anyone else). `next` is
 * the `before` of the next page back in time, when there may be one. The ledger is read-only:
 * no method changes it.
 */
export const systemLogEndpoint = endpoint({
  GET: async ({ request, deps, actor }) => {
    const parameters = queryParameters(request, ['user', 'action', 'from', 'to', 'limit', 'before']);
    await requireUserAdministrator(deps.db, actor);
    // Passed on as they come: the log's own checks report a bad value at its place (/from, /limit…).
    const number = (name: string) => (parameters.has(name) ? Number(parameters.get(name)) : undefined);
    const time = (name: string) => (parameters.has(name) ? new Date(parameters.get(name)!) : undefined);
    const limit = number('limit');
    const entries = await searchSystemLog(deps.db, {
      ...(parameters.has('user') ? { actor: parameters.get('user') } : {}),
      ...(parameters.has('action') ? { action: parameters.get('action')!.split(',') as SystemAction[] } : {}),
      ...(parameters.has('from') ? { from: time('from') } : {}),
      ...(parameters.has('to') ? { to: time('to') } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(parameters.has('before') ? { before: number('before') } : {}),
    });
    const full = entries.length === (limit ?? 100);
    return json({ entries, ...(full ? { next: entries.at(-1)!.id } : {}) });
  },
});
