import type { Kysely } from 'kysely';
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
 * itself, so it is dropped with it. Processes that share a PostgreSQL server learn of each
 * other's changes through LISTEN/NOTIFY (app integration; see docs/decisions/0003).
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
