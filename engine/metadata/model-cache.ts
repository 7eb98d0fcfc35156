import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Model } from './model.ts';
import { currentVersion, loadModel } from './store.ts';

/** A workspace's model at its current version, as kept in memory. */
export interface CachedModel {
  version: number;
  model: Model;
}

const caches = new WeakMap<Kysely<any>, Map<string, Promise<CachedModel>>>();

/**
 * The workspace's current model, read from the store once and kept until a metadata change is
 * applied through this database handle (`forgetCachedModel`, called by the apply path). Anything
 * derived from a model (compiled validators, formula trees) is memoised on the model object
 * itself, so it is dropped with it. Processes sharing a PostgreSQL server learn of each other's
 * changes through `watchMetadataChanges`.
 *
 * @example const { model, version } = await cachedModel(db, 'main');
 */
export function cachedModel(db: Kysely<any>, workspace: string): Promise<CachedModel> {
  let perWorkspace = caches.get(db);
  if (!perWorkspace) caches.set(db, (perWorkspace = new Map()));
  let entry = perWorkspace.get(workspace);
  if (!entry) {
    entry = Promise.all([currentVersion(db, workspace), loadModel({ db, workspace })]).then(([version, model]) => ({ version, model }));
    perWorkspace.set(workspace, entry);
    entry.catch(() => perWorkspace!.delete(workspace));
  }
  return entry;
}

/** Drops the cached model of a workspace: the next call reads the store again. */
export function forgetCachedModel(db: Kysely<any>, workspace: string): void {
  caches.get(db)?.delete(workspace);
}

const CHANNEL = 'forma_metadata';

/**
 * Tells every process watching this database that a workspace's metadata changed: a NOTIFY sent
 * in the change's own transaction, so it is delivered when (and only if) the change commits.
 */
export async function announceMetadataChange(trx: Transaction<any>, workspace: string): Promise<void> {
  await sql`select pg_notify(${CHANNEL}, ${workspace})`.execute(trx);
}

/**
 * Keeps this process's cached models current with changes applied by other processes on the
 * same database (several app servers behind a load balancer, the CLI beside a running server):
 * each announcement drops that workspace's cached model. Resolves to a function that stops it.
 *
 * @example const stop = await watchMetadataChanges(database); … await stop();
 */
export function watchMetadataChanges(database: Database): Promise<() => Promise<void>> {
  return database.listen(CHANNEL, (workspace) => {
    // '*': announcements may have been missed while the listening connection was down.
    if (workspace === '*') caches.get(database.db)?.clear();
    else forgetCachedModel(database.db, workspace);
  });
}
