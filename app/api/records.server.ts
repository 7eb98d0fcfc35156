import { FormaError, problem } from '../../engine/errors.ts';
import { parseJson } from '../../engine/metadata/load-documents.ts';
import type { Actor } from '../../engine/security/actor.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import { runQuery, type FilterTree } from '../../engine/records/query/index.ts';
import { getRecord, getRecordHistory } from '../../engine/records/read.ts';
import { createRecord, deleteRecord, purgeRecord, restoreRecord, updateRecord } from '../../engine/records/write.ts';
import { runBatch, type BatchAction } from '../../engine/records/batch.ts';
import { listShares, shareRecord, unshareRecord } from '../../engine/records/share.ts';
import { UUID } from '../../engine/records/context.ts';
import { lookupByPhone, quickSearch, similarRecords } from '../../engine/records/search.ts';
import { ApiError, apiError } from './errors.server.ts';
import { endpoint, json, noContent, queryParameters, readJson, type ApiDeps } from './http.server.ts';

/**
 * The REST API of records (`/api/v1/records/…`): thin over the records engine, which checks
 * everything. Each export is one route's handler; the route modules in `app/routes/api.*.ts`
 * only give it the process's database and workspace.
 */

/** `GET /api/v1/records/:entity` lists (query string), `POST` creates (201 + Location). */
export const recordCollection = endpoint({
  GET: async ({ request, params, deps, actor }) => {
    const query = queryFromParameters(queryParameters(request, listParameters));
    return json(await findRecords(deps, actor, entityOf(params), query));
  },
  POST: async ({ request, params, deps, actor }) => {
    const entity = entityOf(params);
    const record = await createRecord(context(deps), actor, entity, await readJson(request));
    const location = new URL(`/api/v1/records/${encodeURIComponent(entity)}/${record.id}`, request.url).href;
    return json(record, 201, { Location: location });
  },
});

/** `POST /api/v1/records/:entity/query`: the same list, asked with a JSON RecordQuery. */
export const recordQuery = endpoint({
  POST: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    return json(await findRecords(deps, actor, entityOf(params), await readJson(request)));
  },
});

/**
 * `GET /api/v1/records/:entity/:id` reads (`?deleted=include` also finds it in the recycle bin),
 * `PATCH` changes the fields sent at the `version` sent (409 when stale), `DELETE` moves it to
 * the recycle bin (`?version=` to refuse if it changed meanwhile).
 */
export const recordItem = endpoint({
  GET: async ({ request, params, deps, actor }) => {
    const deleted = queryParameters(request, ['deleted']).get('deleted');
    if (deleted !== undefined && deleted !== 'include') throw invalidParameter('deleted', '"include"', '"include"');
    const [entity, id] = recordOf(params);
    return json(await getRecord(context(deps), actor, entity, id, { includeDeleted: deleted === 'include' }));
  },
  PATCH: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const [entity, id] = recordOf(params);
    const { version, ...patch } = objectBody(await readJson(request));
    const read = typeof version === 'number' ? version : undefined; // anything else: record_version_required
    return json(await updateRecord(context(deps), actor, entity, id, patch, { version: read }));
  },
  DELETE: async ({ request, params, deps, actor }) => {
    const version = queryParameters(request, ['version']).get('version');
    if (version !== undefined && !/^[1-9][0-9]{0,8}$/.test(version)) throw invalidParameter('version', '正整数', 'a positive integer');
    const [entity, id] = recordOf(params);
    await deleteRecord(context(deps), actor, entity, id, { version: version === undefined ? undefined : Number(version) });
    return noContent();
  },
});

/** `POST /api/v1/records/:entity/:id/restore`: out of the recycle bin, 200 with the record. */
export const recordRestore = endpoint({
  POST: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const [entity, id] = recordOf(params);
    return json(await restoreRecord(context(deps), actor, entity, id));
  },
});

/** `POST /api/v1/records/:entity/:id/purge`: deletes a record in the recycle bin for good (204). */
export const recordPurge = endpoint({
  POST: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const [entity, id] = recordOf(params);
    await purgeRecord(context(deps), actor, entity, id);
    return noContent();
  },
});

/** `GET /api/v1/records/:entity/:id/history`: the record's change history, oldest first. */
export const recordHistory = endpoint({
  GET: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const [entity, id] = recordOf(params);
    return json({ history: await getRecordHistory(context(deps), actor, entity, id) });
  },
});

/**
 * `GET /api/v1/records/:entity/:id/shares`: who the record is shared with; `POST` with
 * `{ user: <login> }` or `{ department: <name or path> }` and `access: "read" | "edit"` shares
 * it (201), or changes the access of an existing share. For those who may change the record.
 */
export const recordShares = endpoint({
  GET: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const [entity, id] = recordOf(params);
    return json({ shares: await listShares(context(deps), actor, entity, id) });
  },
  POST: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const [entity, id] = recordOf(params);
    return json(await shareRecord(context(deps), actor, entity, id, objectBody(await readJson(request))), 201);
  },
});

/** `DELETE /api/v1/records/:entity/:id/shares/:share`: ends a share (204). */
export const recordShare = endpoint({
  DELETE: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const [entity, id] = recordOf(params);
    await unshareRecord(context(deps), actor, entity, id, params.share ?? '');
    return noContent();
  },
});

/**
 * `GET /api/v1/records/:entity/search?q=…&limit=…`: quick search over the entity's searchable
 * fields (Chinese substrings included), best first.
 */
export const recordSearch = endpoint({
  GET: async ({ request, params, deps, actor }) => {
    const parameters = queryParameters(request, ['q', 'limit']);
    const text = parameters.get('q')?.trim();
    if (!text) throw invalidParameter('q', '要查找的文字', 'the text to look for');
    const hits = await quickSearch(context(deps), actor, entityOf(params), text, { limit: limitOf(parameters, 100) });
    return json({ hits });
  },
});

/**
 * `POST /api/v1/records/:entity/similar` with `{ values, except?, limit? }`: existing records
 * like the one being typed in (查找相似客户), by its searchable fields and phone numbers.
 */
export const recordSimilar = endpoint({
  POST: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const body = objectBody(await readJson(request));
    const values = body.values;
    if (typeof values !== 'object' || values === null || Array.isArray(values)) throw invalidParameter('values', '字段值对象', 'an object of field values');
    const except = body.except;
    if (except !== undefined && (typeof except !== 'string' || !UUID.test(except))) throw invalidParameter('except', '记录 ID', 'a record id');
    const limit = body.limit;
    if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= 50)) throw invalidParameter('limit', '1 到 50 的整数', 'a whole number from 1 to 50');
    const hits = await similarRecords(context(deps), actor, entityOf(params), values as Record<string, unknown>, {
      ...(except ? { except: except as string } : {}), ...(limit ? { limit: limit as number } : {}),
    });
    return json({ hits });
  },
});

/**
 * `POST /api/v1/records/:entity/batch` with `{ ids, action }` or `{ filter, action }`: reassign
 * the owner, set a field, or move to the recycle bin, in one transaction; answers how many
 * records changed.
 */
export const recordBatch = endpoint({
  POST: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    const body = objectBody(await readJson(request));
    const target = 'filter' in body ? { filter: body.filter as FilterTree } : { ids: body.ids as string[] };
    const result = await runBatch(context(deps), actor, entityOf(params), target, body.action as BatchAction);
    return json(result);
  },
});

/** `GET /api/v1/phone-lookup?number=…`: who is calling (来电弹屏), across every entity with a phone field. */
export const phoneLookup = endpoint({
  GET: async ({ request, deps, actor }) => {
    const parameters = queryParameters(request, ['number', 'limit']);
    const number = parameters.get('number')?.trim();
    if (!number) throw invalidParameter('number', '电话号码', 'a phone number');
    return json({ matches: await lookupByPhone(context(deps), actor, number, { limit: limitOf(parameters, 50) }) });
  },
});

function limitOf(parameters: Map<string, string>, most: number): number | undefined {
  const limit = parameters.get('limit');
  if (limit === undefined) return undefined;
  if (!/^[0-9]{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > most) {
    throw invalidParameter('limit', `1 到 ${most} 的整数`, `a whole number from 1 to ${most}`);
  }
  return Number(limit);
}

/** A JSON body that must be an object, refused as the engine refuses a record that is not one. */
function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FormaError('record_invalid', { count: 1 }, [problem('document_not_object', '')]);
  }
  return body as Record<string, unknown>;
}

const listParameters = ['filter', 'sort', 'size', 'after', 'page', 'count', 'fields', 'deleted'] as const;

/**
 * The RecordQuery a list's query string stands for. Values are translated, not judged: what
 * does not look like its type is passed on as text, so the query's own checks report it at
 * its place in the query (`/page/size`), exactly as for `POST …/query`.
 */
function queryFromParameters(parameters: Map<string, string>): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  const filter = parameters.get('filter');
  if (filter !== undefined) {
    const parsed = parseJson(filter, 'filter');
    if ('problem' in parsed) throw new ApiError(400, 'json_malformed', parsed.problem.message, [parsed.problem]);
    query.filter = parsed.value;
  }
  const sort = parameters.get('sort');
  if (sort !== undefined) {
    query.sort = sort.split(',').map((key) => key.trim()).map((key) =>
      key.startsWith('-') ? { field: key.slice(1), direction: 'desc' } : { field: key, direction: 'asc' });
  }
  const page: Record<string, unknown> = {};
  const number = (text: string) => (/^[0-9]{1,9}$/.test(text) ? Number(text) : text);
  if (parameters.has('size')) page.size = number(parameters.get('size')!);
  if (parameters.has('page')) page.number = number(parameters.get('page')!);
  if (parameters.has('after')) page.after = parameters.get('after');
  if (Object.keys(page).length) query.page = page;
  const fields = parameters.get('fields');
  if (fields !== undefined) query.fields = fields.split(',').map((f) => f.trim());
  const count = parameters.get('count');
  if (count !== undefined) query.count = count === 'true' ? true : count === 'false' ? false : count;
  if (parameters.has('deleted')) query.deleted = parameters.get('deleted');
  return query;
}

async function findRecords(deps: ApiDeps, actor: Actor, entity: string, query: unknown) {
  return runQuery(context(deps), actor, entity, query);
}

function context(deps: ApiDeps): RecordsContext {
  return { db: deps.db, workspace: deps.workspace };
}

function entityOf(params: Record<string, string | undefined>): string {
  return params.entity ?? '';
}

function recordOf(params: Record<string, string | undefined>): [entity: string, id: string] {
  return [params.entity ?? '', params.id ?? ''];
}

function invalidParameter(name: string, expectedZh: string, expectedEn: string) {
  return apiError(400, 'parameter_invalid', { name, expectedZh, expectedEn });
}
