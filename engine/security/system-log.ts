import { sql, type Kysely } from 'kysely';
import { FormaError, problem, type Problem } from '../errors.ts';
import type { Actor } from './actor.ts';

/**
 * What the system log (系统日志) records: a closed list, so a search by action finds everything
 * of that kind. `record.batch` is one row per batch call (its records' own history is in
 * `forma.record_change`). `login_locked` is a login refused for a while after repeated failures
 * (until `details.until`); `session.refused` a session cookie or CSRF token that was not accepted.
 */
export const SYSTEM_ACTIONS = [
  'login', 'login_failed', 'login_locked', 'logout', 'session.refused',
  'record.create', 'record.update', 'record.delete', 'record.restore', 'record.purge', 'record.batch',
  'export', 'print', 'metadata.change', 'permission.change',
  'token.create', 'token.revoke', 'user.create', 'user.password', 'department.create',
  'access_denied', 'record.share', 'record.unshare',
] as const;

export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

/** One event to log; `outcome` defaults to `failure` for `login_failed`, else `success`. */
export interface SystemEvent {
  workspace?: string;
  /** Who acted: an actor, or only a name (e.g. the login someone tried to sign in with). */
  actor?: Actor | { name: string };
  action: SystemAction;
  entity?: string;
  recordId?: string;
  /** The client's address, as the app received it. */
  address?: string;
  outcome?: 'success' | 'failure';
  /** Anything more, as JSON: never a password or a token. */
  details?: Record<string, unknown>;
}

/** One row of the system log, as searches return it. */
export interface SystemLogEntry {
  id: number;
  at: Date;
  workspace: string | null;
  actor: { id: string | null; name: string };
  action: SystemAction;
  entity: string | null;
  recordId: string | null;
  address: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown>;
}

/** Names are cut to this length, so a 1 MB "login" typed at the sign-in screen stays a short row. */
const TEXT_MAX = 200;
const ACTIONS = new Set<string>(SYSTEM_ACTIONS);

/**
 * Appends one event to the system log. Pass the transaction of the change it records, so the
 * change and its log row commit or roll back together. The table refuses UPDATE, DELETE and
 * TRUNCATE in the database: a logged event stays.
 *
 * @example await logEvent(trx, { workspace, actor, action: 'metadata.change', details: { version } });
 */
export async function logEvent(db: Kysely<any>, event: SystemEvent): Promise<void> {
  if (!ACTIONS.has(event.action)) throw new FormaError('system_log_action_unknown', { action: String(event.action), actions: SYSTEM_ACTIONS.join(', ') });
  const actor = event.actor;
  await db.insertInto('forma.system_log')
    .values({
      workspace: event.workspace ?? null,
      actor_id: actor && 'id' in actor ? actor.id : null,
      actor_name: clip(actor?.name) || 'anonymous',
      action: event.action,
      entity: event.entity ?? null,
      record_id: event.recordId ?? null,
      address: clip(event.address) ?? null,
      outcome: event.outcome ?? (event.action === 'login_failed' ? 'failure' : 'success'),
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

/**
 * Runs `work` in the caller's transaction, or in a new one when `db` is not one: a change and
 * its log row commit together.
 */
export function inTransaction<T>(db: Kysely<any>, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** What to search the system log for; every given condition must hold. */
export interface SystemLogFilter {
  workspace?: string;
  /** The acting user's login (or a system actor's name, e.g. `system:cli`). */
  actor?: string;
  action?: SystemAction | SystemAction[];
  /** From this moment on (inclusive). */
  from?: Date;
  /** Until this moment (exclusive). */
  to?: Date;
  /** How many rows (default 100, at most 1000). */
  limit?: number;
  /** Only entries older than this entry (its `id`): the next page back in time. */
  before?: number;
}

const FILTER_KEYS = ['workspace', 'actor', 'action', 'from', 'to', 'limit', 'before'];
const LIMIT_DEFAULT = 100;
const LIMIT_MAX = 1000;

/**
 * The log entries matching a filter, newest first (by time, then id). To page back, pass the
 * last entry's `id` as `before`. A bad filter is refused with `system_log_filter_invalid`,
 * listing every problem at its place.
 *
 * @example const page = await searchSystemLog(db, { actor: 'sales1', action: ['login', 'login_failed'], from: since });
 * const next = await searchSystemLog(db, { actor: 'sales1', before: page.at(-1)!.id });
 */
export async function searchSystemLog(db: Kysely<any>, filter: SystemLogFilter = {}): Promise<SystemLogEntry[]> {
  const f = checkFilter(filter);
  let query = db.selectFrom('forma.system_log')
    .select(['id', 'at', 'workspace', 'actor_id', 'actor_name', 'action', 'entity', 'record_id', 'address', 'outcome', 'details']);
  if (f.workspace !== undefined) query = query.where('workspace', '=', f.workspace);
  if (f.actor !== undefined) query = query.where('actor_name', '=', f.actor);
  if (f.actions) query = query.where('action', 'in', f.actions);
  if (f.from) query = query.where('at', '>=', f.from);
  if (f.to) query = query.where('at', '<', f.to);
  if (f.before !== undefined) {
    // Row comparison on the sort key: a page starts exactly after the entry it was asked before.
    query = query.where(sql<boolean>`(at, id) < (select b.at, b.id from forma.system_log b where b.id = ${f.before})`);
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at),
    workspace: r.workspace,
    actor: { id: r.actor_id, name: r.actor_name },
    action: r.action,
    entity: r.entity,
    recordId: r.record_id,
    address: r.address,
    outcome: r.outcome,
    details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
  }));
}

interface CheckedFilter {
  workspace?: string;
  actor?: string;
  actions?: SystemAction[];
  from?: Date;
  to?: Date;
  limit: number;
  before?: number;
}

function checkFilter(filter: SystemLogFilter): CheckedFilter {
  const problems: Problem[] = [];
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new FormaError('system_log_filter_invalid', { count: 1 }, [problem('system_log_filter_unknown', '', { key: String(filter), keys: FILTER_KEYS.join(', ') })]);
  }
  for (const key of Object.keys(filter)) {
    if (!FILTER_KEYS.includes(key)) problems.push(problem('system_log_filter_unknown', `/${key}`, { key, keys: FILTER_KEYS.join(', ') }));
  }
  const text = (value: unknown) => typeof value === 'string' && value.length >= 1 && value.length <= TEXT_MAX;
  if (filter.workspace !== undefined && !text(filter.workspace)) problems.push(problem('system_log_workspace_invalid', '/workspace', { max: TEXT_MAX }));
  if (filter.actor !== undefined && !text(filter.actor)) problems.push(problem('system_log_actor_invalid', '/actor', { max: TEXT_MAX }));

  let actions: SystemAction[] | undefined;
  if (filter.action !== undefined) {
    const list: unknown[] = Array.isArray(filter.action) ? filter.action : [filter.action];
    const at = (i: number) => (Array.isArray(filter.action) ? `/action/${i}` : '/action');
    if (!list.length) problems.push(problem('system_log_action_unknown', '/action', { action: '', actions: SYSTEM_ACTIONS.join(', ') }));
    list.forEach((action, i) => {
      if (typeof action !== 'string' || !ACTIONS.has(action)) problems.push(problem('system_log_action_unknown', at(i), { action: String(action), actions: SYSTEM_ACTIONS.join(', ') }));
    });
    actions = [...new Set(list)] as SystemAction[];
  }

  const time = (value: unknown, path: string) => {
    if (value === undefined) return undefined;
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    problems.push(problem('system_log_time_invalid', path));
    return undefined;
  };
  const from = time(filter.from, '/from');
  const to = time(filter.to, '/to');
  if (from && to && from > to) problems.push(problem('system_log_range_invalid', '/to', { from: from.toISOString(), to: to.toISOString() }));

  const limit = filter.limit ?? LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMIT_MAX) problems.push(problem('system_log_limit_invalid', '/limit', { max: LIMIT_MAX, limit: String(filter.limit) }));
  const before = filter.before;
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) problems.push(problem('system_log_before_invalid', '/before', { before: String(before) }));

  if (problems.length) throw new FormaError('system_log_filter_invalid', { count: problems.length }, problems);
  return { workspace: filter.workspace, actor: filter.actor, actions, from, to, limit, before };
}

function clip(value: string | undefined): string | undefined {
  return value === undefined || value === null ? undefined : String(value).slice(0, TEXT_MAX);
}
