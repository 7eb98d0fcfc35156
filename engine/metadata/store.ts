import { sql, type Kysely, type Transaction } from 'kysely';
import { FormaError } from '../errors.ts';
import type { Actor } from '../security/actor.ts';
import { documentKey, type EntityDocument, type MetadataDocument, type Model } from './model.ts';

/** Where an engine call works: the database and the workspace (its schema holds the generated tables). */
export interface WorkspaceContext {
  db: Kysely<any>;
  workspace: string;
}

/** One version of a workspace's metadata: who made it, when, why, and what it did. */
export interface MetadataVersion {
  version: number;
  createdAt: Date;
  actor: { id: string; name: string };
  reason: string | null;
  operations: unknown[];
}

/** Creates the workspace's row when it does not exist yet (its schema comes with its first change). */
export async function ensureWorkspace(db: Kysely<any>, workspace: string, schemaName: string): Promise<void> {
  await db
    .insertInto('forma.workspace')
    .values({ name: workspace, schema_name: schemaName })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** The workspace's current metadata version (0 before its first change). */
export async function currentVersion(db: Kysely<any>, workspace: string): Promise<number> {
  const row = await db.selectFrom('forma.workspace').select('metadata_version').where('name', '=', workspace).executeTakeFirst();
  return row?.metadata_version ?? 0;
}

/**
 * Takes the workspace's metadata lock for the rest of the transaction and returns the version it
 * is at: two changes to the same workspace run one after the other, never interleaved.
 */
export async function lockWorkspace(trx: Transaction<any>, workspace: string): Promise<number> {
  const row = await trx
    .selectFrom('forma.workspace')
    .select('metadata_version')
    .where('name', '=', workspace)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.metadata_version;
}

/**
 * The documents of a workspace at a version (the current one when omitted).
 *
 * @example const model = await loadModel(ctx); model.get('entity:customer')
 */
export async function loadModel(ctx: WorkspaceContext, version?: number): Promise<Model> {
  let query = ctx.db.selectFrom('forma.metadata_document').select(['kind', 'name', 'body']).where('workspace', '=', ctx.workspace);
  query = version === undefined
    ? query.where('valid_to', 'is', null)
    : query
        .where('valid_from', '<=', version)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', version)]));
  const rows = await query.orderBy('kind').orderBy('name').execute();
  return new Map(rows.map((r) => [documentKey(r), parseBody(r.body) as MetadataDocument]));
}

/** Writes a new version: closes the replaced documents, inserts the new ones, records who and why. */
export async function writeVersion(
  trx: Transaction<any>,
  workspace: string,
  version: number,
  change: { written: MetadataDocument[]; removed: { kind: string; name: string }[] },
  actor: Actor,
  reason: string | undefined,
  operations: unknown[],
): Promise<void> {
  for (const doc of [...change.written, ...change.removed]) {
    await trx
      .updateTable('forma.metadata_document')
      .set({ valid_to: version })
      .where('workspace', '=', workspace)
      .where('kind', '=', doc.kind)
      .where('name', '=', doc.name)
      .where('valid_to', 'is', null)
      .execute();
  }
  if (change.written.length) {
    await trx
      .insertInto('forma.metadata_document')
      .values(change.written.map((doc) => ({
        workspace, kind: doc.kind, name: doc.name, valid_from: version, body: JSON.stringify(doc),
      })))
      .execute();
  }
  await trx
    .insertInto('forma.metadata_version')
    .values({
      workspace, version, actor_id: actor.id, actor_name: actor.name, reason: reason ?? null,
      operations: JSON.stringify(operations),
    })
    .execute();
  await trx.updateTable('forma.workspace').set({ metadata_version: version }).where('name', '=', workspace).execute();
}

/** Every version of the workspace's metadata, newest first. */
export async function history(ctx: WorkspaceContext): Promise<MetadataVersion[]> {
  const rows = await ctx.db
    .selectFrom('forma.metadata_version')
    .selectAll()
    .where('workspace', '=', ctx.workspace)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    createdAt: new Date(r.created_at),
    actor: { id: r.actor_id, name: r.actor_name },
    reason: r.reason,
    operations: parseBody(r.operations) as unknown[],
  }));
}

/** Who made a version (for conflict messages). */
export async function versionAuthor(db: Kysely<any>, workspace: string, version: number): Promise<string> {
  const row = await db
    .selectFrom('forma.metadata_version')
    .select(['actor_name', sql<string>`to_char(created_at, 'YYYY-MM-DD HH24:MI')`.as('at')])
    .where('workspace', '=', workspace)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? `${row.actor_name}, ${row.at}` : '?';
}

/**
 * Which of the given documents (`kind:name` keys) another version changed after `version`, with
 * the newest version that did: the documents an admin read at `version` and someone else changed since.
 */
export async function changedSince(
  db: Kysely<any>, workspace: string, keys: readonly { kind: string; name: string }[], version: number,
): Promise<{ kind: string; name: string; version: number }[]> {
  if (!keys.length) return [];
  const rows = await db
    .selectFrom('forma.metadata_document')
    .select(['kind', 'name', 'valid_from', 'valid_to'])
    .where('workspace', '=', workspace)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('name', '=', k.name)]))))
    .where((eb) => eb.or([eb('valid_from', '>', version), eb('valid_to', '>', version)]))
    .execute();
  const newest = new Map<string, { kind: string; name: string; version: number }>();
  for (const r of rows) {
    const at = Math.max(r.valid_from > version ? r.valid_from : 0, r.valid_to !== null && r.valid_to > version ? r.valid_to : 0);
    const key = documentKey(r);
    if ((newest.get(key)?.version ?? 0) < at) newest.set(key, { kind: r.kind, name: r.name, version: at });
  }
  return [...newest.values()];
}

export async function assertVersionExists(ctx: WorkspaceContext, version: number): Promise<void> {
  const row = await ctx.db
    .selectFrom('forma.metadata_version')
    .select('version')
    .where('workspace', '=', ctx.workspace)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new FormaError('version_unknown', { version });
}

/**
 * The version that archived each archived field of an entity: the first of the entity's versions
 * with the field archived after the last one with it active. Read in one pass over the entity's
 * versions; a field archived ever since it was added is left out.
 *
 * @example const archivedIn = (await fieldsArchivedIn(ctx, 'customer')).get('wechat'); const before = await loadModel(ctx, archivedIn - 1);
 */
export async function fieldsArchivedIn(ctx: WorkspaceContext, entity: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom('forma.metadata_document')
    .select(['valid_from', 'body'])
    .where('workspace', '=', ctx.workspace)
    .where('kind', '=', 'entity')
    .where('name', '=', entity)
    .orderBy('valid_from', 'desc')
    .execute();
  const found = new Map<string, number>();
  // The archived fields not yet seen active, with the oldest version seen archiving them so far.
  const pending = new Map<string, number>();
  for (const [i, row] of rows.entries()) {
    const properties = (parseBody(row.body) as EntityDocument).schema.properties;
    if (i === 0) {
      for (const [name, field] of Object.entries(properties)) if (field['x-forma'].archived === true) pending.set(name, row.valid_from);
      continue;
    }
    for (const name of pending.keys()) {
      const options = properties[name]?.['x-forma'];
      if (options?.archived === true) pending.set(name, row.valid_from);
      else {
        if (options) found.set(name, pending.get(name)!);
        pending.delete(name);
      }
    }
    if (!pending.size) break;
  }
  return found;
}

// jsonb arrives parsed from `pg`, and as text or parsed from PGlite depending on the query path.
function parseBody(body: unknown): unknown {
  return typeof body === 'string' ? JSON.parse(body) : body;
}
