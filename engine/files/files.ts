import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { readWithin } from './bounded-stream.ts';
import { FormaError } from '../errors.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { accessOf, logRefusal, permissionDenied } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { UUID, type RecordsContext } from '../records/context.ts';
import { entityTable } from '../records/entity-table.ts';

/** What a `file` field holds, one per attached file (see engine/field-types/file.ts). */
export interface FileReference {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

/** The size limit of a field without `maxSizeMb`, and the most any field may allow. */
export const DEFAULT_FILE_LIMIT_MB = 20;
export const MAX_FILE_LIMIT_MB = 100;

const MB = 1024 * 1024;

export interface StoreFileInput {
  entity: string;
  field: string;
  /** The file's name as the person's computer called it: kept for display and download only, never part of a path. */
  name: string;
  contentType?: string;
  bytes: ReadableStream<Uint8Array> | Uint8Array;
  /** Where Forma keeps its data: files go under `<dataDir>/files`. */
  dataDir: string;
  /** The size the client announced (Content-Length): refused at once when already over the limit. */
  declaredSize?: number;
}

/**
 * The size limit of an entity's `file` field, in MB, for an actor who may attach files to it:
 * `entity_unknown` (404) when the entity does not exist for them, `permission_denied` (403,
 * logged) without `create` or `update` on it, `file_field_invalid` (400) when the field is no
 * `file` field, `field_forbidden` (403) when it is hidden from them or read-only for them.
 */
export async function fileFieldLimit(ctx: RecordsContext, actor: Actor, entity: string, field: string): Promise<number> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  const rules = access.entity(entity);
  if (!rules) throw new FormaError('entity_unknown', { entity });
  if (!rules.rights.has('create') && !rules.rights.has('update')) {
    await logRefusal(ctx.db, permissionDenied(ctx.workspace, actor, 'update', { entity }, access.label(entity)));
  }
  const definition = entityTable(model, ctx.workspace, entity).fields.get(field)?.definition;
  if (!definition || definition['x-forma'].type !== 'file') throw new FormaError('file_field_invalid', { entity, field });
  if (rules.hidden.has(field) || rules.readOnly.has(field)) throw new FormaError('field_forbidden', { count: 1 });
  return Math.min(definition['x-forma'].maxSizeMb ?? DEFAULT_FILE_LIMIT_MB, MAX_FILE_LIMIT_MB);
}

/**
 * Stores an uploaded file for a `file` field of an entity and returns the reference to put in
 * the field (see `fileFieldLimit` for who may). The bytes are written, counted and hashed as
 * they come, to `<dataDir>/files/<workspace>/<yyyy>/<mm>/<id>` — a path made of Forma's own
 * names only — and recorded in `forma.file`. Past the field's limit (`maxSizeMb`, 20 MB when
 * unset, never more than 100 MB) it is refused with `file_too_large` and nothing is kept.
 *
 * A file stored here is attached only once a record's field holds its reference; files
 * uploaded but never attached (a form abandoned after choosing a file) stay until a clean-up
 * removes them — none exists yet — and nobody can download them meanwhile (see `readFile`).
 *
 * @example const ref = await storeFile(ctx, actor, { entity: 'contract', field: 'attachments', name: '合同.pdf', contentType: 'application/pdf', bytes, dataDir });
 */
export async function storeFile(ctx: RecordsContext, actor: Actor, input: StoreFileInput): Promise<FileReference> {
  const limitMb = await fileFieldLimit(ctx, actor, input.entity, input.field);
  const limit = limitMb * MB;
  const name = fileName(input.name);
  const contentType = mediaType(input.contentType);
  if (input.declaredSize !== undefined && input.declaredSize > limit) throw new FormaError('file_too_large', { limitMb });

  const id = randomUUID();
  const createdAt = new Date();
  const target = filePath(input.dataDir, ctx.workspace, createdAt, id);
  await mkdir(path.dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(target, 'wx');
  try {
    try {
      const bytes = input.bytes;
      const body = bytes instanceof Uint8Array
        ? new ReadableStream<Uint8Array>({ start: (controller) => { controller.enqueue(bytes); controller.close(); } })
        : bytes;
      const read = await readWithin(body, limit, async (chunk) => {
        hash.update(chunk);
        await handle.write(chunk);
      });
      if (read === undefined) throw new FormaError('file_too_large', { limitMb });
      size = read;
    } finally {
      await handle.close();
    }
    await ctx.db.insertInto('forma.file').values({
      id, workspace: ctx.workspace, entity: input.entity, field: input.field, name, content_type: contentType, size,
      sha256: hash.digest('hex'), created_by: actor.id, created_at: createdAt,
    }).execute();
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
  return { id, name, size, contentType };
}

/** A stored file as `readFile` gives it: its reference, its hash and its bytes. */
export interface StoredFile extends FileReference {
  sha256: string;
  stream: ReadableStream<Uint8Array>;
}

/**
 * A stored file, for an actor who may read a record (not in the recycle bin) of the file's
 * entity whose field holds it — within their record scope, the field not hidden from them —
 * else `file_not_found` (404), as for a file that does not exist: which files exist is nobody
 * else's business.
 *
 * @example const { name, contentType, stream } = await readFile(ctx, actor, id);
 */
export async function readFile(ctx: RecordsContext, actor: Actor, fileId: string, dataDir: string): Promise<StoredFile> {
  const notFound = new FormaError('file_not_found', { id: fileId.slice(0, 40) });
  if (!UUID.test(fileId)) throw notFound;
  const row = await ctx.db.selectFrom('forma.file').selectAll()
    .where('id', '=', fileId).where('workspace', '=', ctx.workspace).executeTakeFirst();
  if (!row) throw notFound;
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  const rules = access.entity(row.entity);
  if (!rules?.rights.has('read') || rules.hidden.has(row.field)) throw notFound;
  let column: string | undefined;
  let table;
  try {
    table = entityTable(model, ctx.workspace, row.entity);
    column = table.fields.get(row.field)?.column;
  } catch {
    throw notFound;
  }
  if (!column) throw notFound;
  const scope = access.scope(row.entity, 'r', 'read');
  const holder = JSON.stringify([{ id: fileId }]);
  const { rows } = await sql`
    select 1 as found from ${sql.id(table.schema, table.table)} as r
    where r.${sql.id(column)} @> ${holder}::jsonb and r.deleted_at is null${scope ? sql` and ${scope}` : sql``}
    limit 1`.execute(ctx.db);
  if (!rows.length) throw notFound;
  const file = filePath(dataDir, ctx.workspace, new Date(row.created_at), fileId);
  // Bytes gone from the disk (a data directory restored without its files): not found, not a crash mid-stream.
  if (!(await stat(file).then((s) => s.isFile(), () => false))) throw notFound;
  const stream = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  return { id: row.id, name: row.name, size: Number(row.size), contentType: row.content_type, sha256: row.sha256, stream };
}

/** Where a stored file's bytes are: only Forma's own names (workspace, date, uuid). */
export function filePath(dataDir: string, workspace: string, createdAt: Date, id: string): string {
  const yyyy = String(createdAt.getUTCFullYear());
  const mm = String(createdAt.getUTCMonth() + 1).padStart(2, '0');
  return path.join(dataDir, 'files', workspace, yyyy, mm, id);
}

/** The name to keep: its last path segment, without control characters, 1–255 characters. */
function fileName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const name = (raw.split(/[\\/]/).at(-1) ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!name) throw new FormaError('file_name_invalid', { detail: 'empty / 为空' });
  if (name.length > 255) throw new FormaError('file_name_invalid', { detail: 'over 255 characters / 超过 255 个字符' });
  return name;
}

/** The declared media type when it looks like one (`type/subtype`, parameters dropped), else octet-stream. */
function mediaType(raw: string | undefined): string {
  const essence = (raw ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence) && essence.length <= 255 ? essence : 'application/octet-stream';
}
