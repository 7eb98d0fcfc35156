import { describeChanges } from '../../engine/metadata/diff.ts';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import type { Model } from '../../engine/metadata/model.ts';
import { assertVersionExists, history, loadModel } from '../../engine/metadata/store.ts';
import { accessOf, requireAdmin } from '../../engine/security/access.ts';
import type { Actor } from '../../engine/security/actor.ts';
import { applyChange, planChange, rollbackTo } from '../../engine/schema/change.ts';
import type { ChangeSet } from '../../engine/schema/plan.ts';
import { apiError } from './errors.server.ts';
import { endpoint, json, queryParameters, readJson, type ApiDeps } from './http.server.ts';

/**
 * The REST API of the metadata (`/api/v1/metadata/…`), for administrators: the same plan →
 * apply path and checks as the admin designers, so a document refused in a designer is refused
 * here too. Changes are JSON `{ "upsert": [documents], "remove": [{ kind, name }] }`.
 */

/** `GET /api/v1/metadata`: the current version and every document of it. */
export const metadataDocuments = endpoint({
  GET: async ({ request, deps, actor }) => {
    queryParameters(request, []);
    const { model, version } = await adminModel(deps, actor);
    return json({ version, documents: [...model.values()] });
  },
});

/** `POST /api/v1/metadata/plan`: the plan of a change, with its data checks; changes nothing. */
export const metadataPlan = endpoint({
  POST: async ({ request, deps, actor }) => {
    queryParameters(request, []);
    await adminModel(deps, actor);
    const body = bodyObject(await readJson(request));
    return json(await planChange(deps, changeSetOf(body)));
  },
});

/**
 * `POST /api/v1/metadata/apply`: plans again and applies atomically. `basedOn` (the version the
 * documents were read at) refuses with 409 `metadata_conflict` when someone changed the same
 * documents since; `baseVersion` with 409 `plan_stale` when anything changed; `reason` goes in the history.
 */
export const metadataApply = endpoint({
  POST: async ({ request, deps, actor }) => {
    queryParameters(request, []);
    const body = bodyObject(await readJson(request));
    const applied = await applyChange(deps, actor, changeSetOf(body), {
      basedOn: optionalVersion(body, 'basedOn'), baseVersion: optionalVersion(body, 'baseVersion'), reason: optionalReason(body),
    });
    return json(applied);
  },
});

/** `GET /api/v1/metadata/history`: every version, newest first: who, when, why, its operations. */
export const metadataHistory = endpoint({
  GET: async ({ request, deps, actor }) => {
    queryParameters(request, []);
    await adminModel(deps, actor);
    return json({ versions: await history(deps) });
  },
});

/** `GET /api/v1/metadata/history/:version`: what one version changed, as readable lines per document. */
export const metadataVersion = endpoint({
  GET: async ({ request, params, deps, actor }) => {
    queryParameters(request, []);
    await adminModel(deps, actor);
    const version = Number(params.version);
    if (!Number.isInteger(version) || version < 1) throw apiError(400, 'body_member_invalid', versionExpected('version'));
    await assertVersionExists(deps, version);
    const before: Model = version > 1 ? await loadModel(deps, version - 1) : new Map();
    return json({ version, changes: describeChanges(before, await loadModel(deps, version)) });
  },
});

/** `POST /api/v1/metadata/rollback` `{ "version": N, "basedOn"?: M, "reason"?: "…" }`: back to version N through plan → apply. */
export const metadataRollback = endpoint({
  POST: async ({ request, deps, actor }) => {
    queryParameters(request, []);
    const body = bodyObject(await readJson(request));
    const version = optionalVersion(body, 'version');
    if (version === undefined) throw apiError(400, 'body_member_invalid', versionExpected('version'));
    return json(await rollbackTo(deps, actor, version, { basedOn: optionalVersion(body, 'basedOn'), reason: optionalReason(body) }));
  },
});

/** The current model, for an administrator only (403 for anyone else, logged). */
async function adminModel(deps: ApiDeps, actor: Actor) {
  const cached = await cachedModel(deps.db, deps.workspace);
  await requireAdmin(deps.db, deps.workspace, await accessOf(deps.db, deps.workspace, actor, cached.model));
  return cached;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw apiError(400, 'body_member_invalid', { member: '/', expectedZh: 'JSON 对象', expectedEn: 'a JSON object' });
  }
  return body as Record<string, unknown>;
}

function changeSetOf(body: Record<string, unknown>): ChangeSet {
  const { upsert = [], remove = [] } = body;
  if (!Array.isArray(upsert)) throw apiError(400, 'body_member_invalid', { member: 'upsert', expectedZh: '元数据文档数组', expectedEn: 'an array of metadata documents' });
  const names = Array.isArray(remove) && remove.every((r) => typeof r?.kind === 'string' && typeof r?.name === 'string');
  if (!names) throw apiError(400, 'body_member_invalid', { member: 'remove', expectedZh: '{ kind, name } 数组', expectedEn: 'an array of { kind, name }' });
  return { upsert: upsert.map((document, i) => ({ document, source: `/upsert/${i}` })), remove: remove as { kind: string; name: string }[] };
}

function optionalVersion(body: Record<string, unknown>, member: string): number | undefined {
  const value = body[member];
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0) throw apiError(400, 'body_member_invalid', versionExpected(member));
  return value as number;
}

function versionExpected(member: string) {
  return { member, expectedZh: '非负整数（版本号）', expectedEn: 'a non-negative integer (a version number)' };
}

function optionalReason(body: Record<string, unknown>): string | undefined {
  if (body.reason === undefined) return undefined;
  if (typeof body.reason !== 'string') throw apiError(400, 'body_member_invalid', { member: 'reason', expectedZh: '文本', expectedEn: 'text' });
  return body.reason.slice(0, 500);
}
