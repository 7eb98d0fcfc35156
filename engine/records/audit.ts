import type { Kysely, Transaction } from 'kysely';
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../security/actor.ts';
import { logEvent } from '../security/system-log.ts';

export type RecordOperation = 'create' | 'update' | 'delete' | 'restore' | 'purge';

/** One entry of a record's change history (变更记录). */
export interface RecordChange {
  operation: RecordOperation;
  at: string;
  actor: { id: string; name: string };
  version: number;
  /** Each changed field with its value before and after: `{ phone: ['021-1', '021-2'] }`. */
  changes: Record<string, [unknown, unknown]>;
}

/** The fields whose values differ between two states of a record, as [before, after] pairs. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [b, a] = [before[key] ?? null, after[key] ?? null];
    if (!isDeepStrictEqual(b, a)) changes[key] = [b, a];
  }
  return changes;
}

/**
 * Appends a history entry and its system log row inside the write's own transaction: no write
 * without its trace.
 */
export async function recordChange(
  trx: Transaction<any>, workspace: string, entity: string, recordId: string, operation: RecordOperation,
  actor: Actor, version: number, changes: Record<string, [unknown, unknown]>,
): Promise<void> {
  await trx
    .insertInto('forma.record_change')
    .values({
      workspace, entity, record_id: recordId, operation, actor_id: actor.id, actor_name: actor.name,
      record_version: version, changes: JSON.stringify(changes),
    })
    .execute();
  await logEvent(trx, { workspace, actor, action: `record.${operation}`, entity, recordId, details: { version, fields: Object.keys(changes) } });
}

/** A record's change history, oldest first. */
export async function recordHistory(db: Kysely<any>, workspace: string, entity: string, recordId: string): Promise<RecordChange[]> {
  const rows = await db
    .selectFrom('forma.record_change')
    .select(['operation', 'at', 'actor_id', 'actor_name', 'record_version', 'changes'])
    .where('workspace', '=', workspace)
    .where('entity', '=', entity)
    .where('record_id', '=', recordId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    operation: r.operation,
    at: new Date(r.at).toISOString(),
    actor: { id: r.actor_id, name: r.actor_name },
    version: r.record_version,
    changes: typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes,
  }));
}
