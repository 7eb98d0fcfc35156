import type { Locale } from '../../engine/i18n/text.ts';
import { lineParentsOf } from '../../engine/metadata/check-model.ts';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import {
  activeFields, entitiesOf, isArchivedEntity, type EntityDocument, type FieldDefinition, type Model,
} from '../../engine/metadata/model.ts';
import common from '../../engine/metadata/schemas/common.schema.json' with { type: 'json' };
import listView from '../../engine/metadata/schemas/listView.schema.json' with { type: 'json' };
import { systemFields } from '../../engine/records/entity-table.ts';
import recordQuery from '../../engine/records/query/query.schema.json' with { type: 'json' };
import { nullable, writableFields } from '../../engine/records/record-validator.ts';
import { accessOf, type Access, type Right } from '../../engine/security/access.ts';
import { endpoint, json, queryParameters } from './http.server.ts';
import { preferredLocale } from './locale.server.ts';
import { metadataApi, printApi } from './openapi-metadata-print.server.ts';

export type Schema = Record<string, unknown>;
type Translate = (zh: string, en: string) => string;

/** A part of the API described in a file of its own: its paths, the schemas they use and their tag. */
export interface ApiPart {
  tag: Schema;
  paths: Record<string, Schema>;
  schemas: Record<string, Schema>;
}

/** What those parts are described with: the caller's language and this document's shared pieces. */
export interface DocumentTools {
  t: Translate;
  ref: typeof ref;
  errors: typeof errorRefs;
  /** An error answer described for one operation, where the shared response would say too little. */
  refusal: (description: string) => Schema;
  jsonBody: typeof jsonBody;
  /** An optional query parameter, described in both languages. */
  query: (name: string, schema: Schema, zh: string, en: string) => Schema;
}

/**
 * `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the REST API for the workspace's
 * current metadata and the caller's roles, titles in the caller's language (`Accept-Language`:
 * zh-CN by default, en). Built on request, so a field added a second ago is in it.
 */
export const openApiEndpoint = endpoint({
  GET: async ({ request, deps, actor }) => {
    queryParameters(request, []);
    const { model, version } = await cachedModel(deps.db, deps.workspace);
    const locale = preferredLocale(request.headers.get('Accept-Language'));
    const access = await accessOf(deps.db, deps.workspace, actor, model);
    return json(openApiDocument(model, version, locale, access), 200, { 'Content-Language': locale, Vary: 'Accept-Language' });
  },
});

const documents = new WeakMap<Model, Map<string, Schema>>();

/**
 * The OpenAPI 3.1 document of a model as the caller may use it: per entity they may read the
 * record as returned (`Customer`) and what they may write (`CustomerCreate`, `CustomerUpdate`),
 * derived from the entity's own JSON Schema — archived fields and entities, and fields hidden
 * from the caller's roles, left out; read-only ones not writable; titles from the labels — and
 * the paths of the operations their roles allow on every entity that is not a line-item
 * entity; the metadata API for administrators, the print API for whoever may print records of
 * some entity. Built once per model object, language and set of roles: a new metadata version
 * is a new model, so the document follows it.
 *
 * @example openApiDocument(model, 12, 'en', access).components.schemas.Customer.properties.name.title // 'Customer name'
 */
export function openApiDocument(model: Model, metadataVersion: number, locale: Locale, access: Access): Schema {
  let perCaller = documents.get(model);
  if (!perCaller) documents.set(model, (perCaller = new Map()));
  // What the document shows depends on the roles only, never on the person holding them.
  const key = `${locale}\n${access.admin ? '*' : access.roles.join(',')}`;
  let document = perCaller.get(key);
  if (!document) perCaller.set(key, (document = build(model, metadataVersion, locale, access)));
  return document;
}

/** The operations of an entity's paths and the right each needs (`admin`: administrators only). */
const operationRights: Record<string, Right | Right[] | 'admin'> = {
  list: 'read', query: 'read', search: 'read', similar: 'read', get: 'read', history: 'read', export: 'export',
  create: 'create', update: 'update', delete: 'delete', restore: 'delete', purge: 'admin', batch: ['update', 'batchDelete'],
};

function build(model: Model, metadataVersion: number, locale: Locale, access: Access): Schema {
  const t: Translate = (zh, en) => (locale === 'en' ? en : zh);
  const lineParents = lineParentsOf(model);
  const readable = (name: string) => access.entity(name)?.rights.has('read') ?? false;
  // Line items come with a parent the caller may read.
  const entities = entitiesOf(model).filter((e) => !isArchivedEntity(e)
    && (lineParents.has(e.name) ? lineParents.get(e.name)!.some((parent) => readable(parent.split('.')[0]!)) : readable(e.name)));
  const shared = { ...sharedSchemas(t), ...queryComponents() };
  const tools: DocumentTools = {
    t, ref, errors: errorRefs, jsonBody,
    refusal: (description) => ({ description, content: errorContent }),
    query: (name, schema, zh, en) => ({ name, in: 'query', required: false, schema, description: t(zh, en) }),
  };
  const parts = { metadata: metadataApi(tools), print: printApi(tools) };
  // Their schema names are kept from entities for every caller, so an entity's names do not depend on who asks.
  const taken = new Set([...Object.keys(shared), ...Object.values(parts).flatMap((part) => Object.keys(part.schemas))]);
  const names = schemaNames(entities.map((e) => e.name), taken);
  const builder: Builder = { ...tools, model, locale, names, access };

  const schemas: Record<string, Schema> = { ...shared };
  const paths: Record<string, Schema> = {};
  const tags: Schema[] = [];
  for (const entity of entities) {
    const n = names.get(entity.name)!;
    const isLine = lineParents.has(entity.name);
    schemas[n.record] = recordSchema(builder, entity, isLine);
    schemas[n.create] = writeSchema(builder, entity, 'create', isLine);
    if (isLine) continue;
    schemas[n.update] = writeSchema(builder, entity, 'update', false);
    tags.push({ name: entity.name, description: label(entity.label, locale) });
    Object.assign(paths, allowedPaths(access, entity.name, entityPaths(builder, entity)));
  }
  paths['/api/v1/phone-lookup'] = {
    get: {
      operationId: 'phoneLookup',
      summary: t('来电弹屏：按电话号码查找客户、联系人等记录', 'Who is calling: records of any entity holding a phone number'),
      parameters: [
        { name: 'number', in: 'query', required: true, schema: { type: 'string' }, description: t('电话号码（标点与 +86 前缀不影响查找）', 'The number (punctuation and a +86 prefix do not matter)') },
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50 }, description: t('每个字段最多返回条数', 'At most this many records per field') },
      ],
      responses: {
        200: {
          description: t('号码所在的记录', 'The records holding the number'),
          content: { 'application/json': { schema: { type: 'object', required: ['matches'], properties: { matches: { type: 'array', items: ref('PhoneMatch') } } } } },
        },
        400: { $ref: '#/components/responses/BadRequest' },
        401: { $ref: '#/components/responses/Unauthorized' },
      },
    },
  };
  paths['/api/v1/openapi.json'] = {
    get: {
      operationId: 'openapi',
      summary: t('本 API 的 OpenAPI 描述（随元数据实时更新）', 'This API described in OpenAPI, always current with the metadata'),
      responses: {
        200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } },
        401: { $ref: '#/components/responses/Unauthorized' },
      },
    },
  };
  // Printing needs the `print` right on an entity whose records the caller reads.
  const mayPrint = entities.some((e) => !lineParents.has(e.name) && access.entity(e.name)!.rights.has('print'));
  for (const part of [access.admin && parts.metadata, mayPrint && parts.print]) {
    if (!part) continue;
    Object.assign(paths, part.paths);
    Object.assign(schemas, part.schemas);
    tags.push(part.tag);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Forma REST API',
      version: `v1 (metadata ${metadataVersion})`,
      description: t(
        '按当前元数据生成，只列出调用者有权使用的操作：各实体的记录接口、元数据接口（仅管理员）和打印接口（有打印权限时）。所有请求需携带 API 令牌：`Authorization: Bearer <令牌>`（用 `npx forma token:create` 创建）。错误统一为 `{"error": {code, message, problems}}`。',
        'Generated from the current metadata, with only the operations the caller may use: the records of each entity, the metadata API for administrators, printing for those who may print. Every request needs an API token: `Authorization: Bearer <token>` (issued with `npx forma token:create`). Errors are always `{"error": {code, message, problems}}`.',
      ),
    },
    tags,
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas,
      responses: errorResponses(t),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: t('API 令牌（forma_…）', 'API token (forma_…)') } },
    },
  };
}

interface SchemaNames {
  record: string;
  create: string;
  update: string;
}

interface Builder extends DocumentTools {
  model: Model;
  locale: Locale;
  names: ReadonlyMap<string, SchemaNames>;
  access: Access;
}

/** An entity's paths without the operations the caller's roles do not allow (and without paths left empty). */
function allowedPaths(access: Access, entity: string, paths: Record<string, Schema>): Record<string, Schema> {
  const rights = access.entity(entity)?.rights;
  const allowed = (operationId: string) => {
    const needs = operationRights[operationId.slice(entity.length + 1)] ?? 'admin';
    if (needs === 'admin' || access.admin) return access.admin;
    return (Array.isArray(needs) ? needs : [needs]).some((right) => rights?.has(right));
  };
  const kept: Record<string, Schema> = {};
  for (const [path, item] of Object.entries(paths)) {
    // A path item holds operations (with an operationId) and what they share (`parameters`).
    const operationOf = (value: unknown) => (value as { operationId?: string }).operationId;
    const entries = Object.entries(item).filter(([, value]) => operationOf(value) === undefined || allowed(operationOf(value)!));
    if (entries.some(([, value]) => operationOf(value) !== undefined)) kept[path] = Object.fromEntries(entries);
  }
  return kept;
}

/** The fields of an entity hidden from the caller, and those they may not write. */
function restrictions(b: Builder, entity: string): { hidden: ReadonlySet<string>; readOnly: ReadonlySet<string> } {
  const rules = b.access.entity(entity);
  return { hidden: rules?.hidden ?? new Set(), readOnly: rules?.readOnly ?? new Set() };
}

/**
 * Component names of each entity's schemas: `quote_line` → `QuoteLine`, `QuoteLineCreate`,
 * `QuoteLineUpdate`. Should two entities (or an entity and a shared schema) come out with the
 * same name — `order_update` next to `order`, or an entity called `error` — both fall back to
 * names no derived name can take (`entity.order_update`, `entity.order_update.Create`…), so the
 * names do not depend on which entity came first.
 */
function schemaNames(entities: string[], taken: ReadonlySet<string>): Map<string, SchemaNames> {
  const pretty = new Map(entities.map((name) => {
    const base = name.replace(/(^|_)([a-z])/g, (_, _underscore, letter: string) => letter.toUpperCase());
    return [name, { record: base, create: `${base}Create`, update: `${base}Update` }];
  }));
  const uses = new Map<string, number>();
  for (const n of pretty.values()) for (const v of Object.values(n)) uses.set(v, (uses.get(v) ?? 0) + 1);
  return new Map(entities.map((name) => {
    const n = pretty.get(name)!;
    const clash = Object.values(n).some((v) => uses.get(v)! > 1 || taken.has(v));
    return [name, clash ? { record: `entity.${name}`, create: `entity.${name}.Create`, update: `entity.${name}.Update` } : n];
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The shared error responses of these statuses (`components.responses`). */
function errorRefs(...statuses: number[]): Record<number, Schema> {
  return Object.fromEntries(statuses.map((s) => [s, { $ref: `#/components/responses/${responseNames[s]}` }]));
}

/** A required JSON request body of this schema. */
function jsonBody(schema: Schema): Schema {
  return { required: true, content: { 'application/json': { schema } } };
}

function label(text: Readonly<Partial<Record<Locale, string>>> | undefined, locale: Locale): string {
  return text?.[locale] ?? text?.['zh-CN'] ?? text?.en ?? '';
}

/** A field's own JSON Schema, without Forma's options, titled in the caller's language. */
function fieldSchema(field: FieldDefinition, locale: Locale): Schema {
  const { 'x-forma': options, ...schema } = field;
  return {
    ...schema,
    title: label(options.label, locale),
    ...(options.help ? { description: label(options.help, locale) } : {}),
  };
}

const systemFieldSchemas = (t: Translate): Record<(typeof systemFields)[number], Schema> => ({
  id: { type: 'string', format: 'uuid', title: 'ID', readOnly: true },
  created_at: { type: 'string', format: 'date-time', title: t('创建时间', 'Created at'), readOnly: true },
  created_by: { type: 'string', title: t('创建人', 'Created by'), readOnly: true },
  updated_at: { type: 'string', format: 'date-time', title: t('修改时间', 'Updated at'), readOnly: true },
  updated_by: { type: 'string', title: t('修改人', 'Updated by'), readOnly: true },
  owner_id: { type: ['string', 'null'], format: 'uuid', title: t('负责人', 'Owner'), readOnly: true },
  version: { type: 'integer', minimum: 1, title: t('版本', 'Version'), readOnly: true },
  deleted_at: { type: ['string', 'null'], format: 'date-time', title: t('删除时间（回收站）', 'Deleted at (recycle bin)'), readOnly: true },
});

/**
 * A record as the API returns it. Read alone, a record carries every active field, its line
 * items and `_labels` (the display name of each lookup's record); in a list, the fields asked
 * for, without lines and labels — hence only the system fields are required. A line item, as
 * it comes inside its parent, is its id and fields.
 */
function recordSchema(b: Builder, entity: EntityDocument, isLine: boolean): Schema {
  const required = new Set(entity.schema.required ?? []);
  const properties: Record<string, Schema> = isLine ? { id: systemFieldSchemas(b.t).id } : { ...systemFieldSchemas(b.t) };
  const lookups: string[] = [];
  const { hidden } = restrictions(b, entity.name);
  for (const [name, field] of activeFields(entity)) {
    if (hidden.has(name)) continue;
    const options = field['x-forma'];
    if (options.type === 'lines') {
      properties[name] = { title: label(options.label, b.locale), type: 'array', items: ref(b.names.get(options.entity!)!.record) };
      continue;
    }
    if (options.type === 'lookup') lookups.push(name);
    const schema = fieldSchema(field, b.locale);
    properties[name] = required.has(name) ? schema : nullable(schema);
  }
  if (!isLine) {
    properties._labels = {
      type: 'object',
      title: b.t('查找字段所指记录的名称', 'Display names of the records lookups point to'),
      readOnly: true,
      properties: Object.fromEntries(lookups.map((name) => [name, { type: ['string', 'null'] }])),
      additionalProperties: false,
    };
  }
  return {
    type: 'object',
    title: label(entity.label, b.locale),
    ...(entity.description ? { description: label(entity.description, b.locale) } : {}),
    properties,
    required: isLine ? ['id'] : [...systemFields],
    additionalProperties: false,
  };
}

/**
 * What a client may write: the active fields Forma does not fill in itself (formulas and
 * system-numbered fields are absent), each nullable unless required; line items as a list of
 * the child's create schema plus the `id` of a row to keep. An update sends only the fields it
 * changes, with the `version` it read.
 */
function writeSchema(b: Builder, entity: EntityDocument, mode: 'create' | 'update', isLine: boolean): Schema {
  const properties: Record<string, Schema> = {};
  const mustHave: string[] = [];
  if (isLine) {
    properties.id = { type: 'string', format: 'uuid', title: b.t('要保留的已有明细行 ID', 'Id of an existing line to keep') };
  }
  const { hidden, readOnly } = restrictions(b, entity.name);
  for (const { name, definition, requiredOnCreate, lines } of writableFields(b.model, entity)) {
    if (hidden.has(name) || readOnly.has(name)) continue;
    if (lines) {
      properties[name] = {
        title: label(definition['x-forma'].label, b.locale), type: 'array', maxItems: 1000,
        items: ref(b.names.get(lines)!.create),
        description: b.t('替换全部明细行：带 id 的行保留并更新，不带 id 的行新增，未列出的行删除', 'Replaces the lines: rows with an id are kept and updated, rows without one added, rows left out deleted'),
      };
      continue;
    }
    const { readOnly: _readOnly, ...schema } = fieldSchema(definition, b.locale);
    properties[name] = requiredOnCreate ? schema : nullable(schema);
    if (requiredOnCreate && mode === 'create') mustHave.push(name);
  }
  if (mode === 'update') {
    properties.version = {
      type: 'integer', minimum: 1, title: b.t('读取时的版本', 'Version read'),
      description: b.t('乐观锁：记录在此期间被他人修改时返回 409', 'Optimistic locking: 409 when the record changed since'),
    };
    mustHave.push('version');
  }
  const entityLabel = label(entity.label, b.locale);
  return {
    type: 'object',
    title: mode === 'create' ? b.t(`新建${entityLabel}`, `New ${entityLabel}`) : b.t(`修改${entityLabel}`, `Changes to ${entityLabel}`),
    properties,
    ...(mustHave.length ? { required: mustHave } : {}),
    additionalProperties: false,
  };
}

function entityPaths(b: Builder, entity: EntityDocument): Record<string, Schema> {
  const { t, errors, query, refusal } = b;
  const n = b.names.get(entity.name)!;
  const name = entity.name;
  const what = label(entity.label, b.locale);
  const base = `/api/v1/records/${name}`;
  const tags = [name];
  const record = (description: string) => ({ description, content: { 'application/json': { schema: ref(n.record) } } });
  const page = {
    description: t('一页记录', 'One page of records'),
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['records'],
          properties: {
            records: { type: 'array', items: ref(n.record) },
            next: { type: 'string', description: t('下一页的游标（参数 after）；最后一页没有', 'Cursor of the next page (parameter `after`); absent on the last page') },
            total: ref('QueryTotal'),
          },
          additionalProperties: false,
        },
      },
    },
  };
  const noContent = (description: string) => ({ description });
  const hits = (description: string) => ({
    description,
    content: { 'application/json': { schema: { type: 'object', required: ['hits'], properties: { hits: { type: 'array', items: ref('SearchHit') } } } } },
  });
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: t('记录 ID', 'Record id') };

  return {
    [base]: {
      get: {
        operationId: `${name}.list`, tags, summary: t(`查询${what}列表`, `List ${what} records`),
        parameters: [
          query('filter', { type: 'string' }, '筛选条件（JSON 文本，结构见 RecordQuery.filter）', 'Filter tree as JSON text (see RecordQuery.filter)'),
          query('sort', { type: 'string' }, '排序字段，逗号分隔，"-" 表示降序，如 name,-created_at', 'Sort fields, comma-separated, "-" for descending: name,-created_at'),
          query('size', { type: 'integer', minimum: 1, maximum: 200 }, '每页条数（默认 50）', 'Records per page (default 50)'),
          query('after', { type: 'string' }, '上一页返回的 next 游标', 'The `next` cursor of the previous page'),
          query('page', { type: 'integer', minimum: 1 }, '页码（从 1 开始，不能与 after 同用）', 'Page number from 1 (not with `after`)'),
          query('count', { type: 'boolean' }, '同时返回总数', 'Also return the total'),
          query('fields', { type: 'string' }, '返回的字段，逗号分隔（系统字段总会返回）', 'Fields to return, comma-separated (system fields always come)'),
          query('deleted', { enum: ['only'] }, 'only：查询回收站', '`only`: list the recycle bin'),
        ],
        responses: { 200: page, ...errors(400, 401, 404) },
      },
      post: {
        operationId: `${name}.create`, tags, summary: t(`新建${what}`, `Create a ${what} record`),
        requestBody: jsonBody(ref(n.create)),
        responses: {
          201: { ...record(t('已创建', 'Created')), headers: { Location: { description: t('新记录的地址', 'URL of the new record'), schema: { type: 'string', format: 'uri' } } } },
          ...errors(400, 401, 404, 413, 415),
        },
      },
    },
    [`${base}/query`]: {
      post: {
        operationId: `${name}.query`, tags, summary: t(`按条件查询${what}`, `Find ${what} records`),
        requestBody: jsonBody(ref('RecordQuery')),
        responses: { 200: page, ...errors(400, 401, 404, 413, 415) },
      },
    },
    [`${base}/search`]: {
      get: {
        operationId: `${name}.search`, tags, summary: t(`快速查找${what}`, `Quick search of ${what} records`),
        parameters: [
          { name: 'q', in: 'query', required: true, schema: { type: 'string' }, description: t('要查找的文字（可搜中文片段）', 'The text to look for (Chinese substrings too)') },
          query('limit', { type: 'integer', minimum: 1, maximum: 100 }, '最多返回条数（默认 20）', 'At most this many (default 20)'),
        ],
        responses: { 200: hits(t('最匹配的在前', 'Best match first')), ...errors(400, 401, 404) },
      },
    },
    [`${base}/export`]: {
      get: {
        operationId: `${name}.export`, tags, summary: t(`导出${what}（Excel 或 CSV）`, `Export ${what} records (Excel or CSV)`),
        description: t(
          '筛选出的全部记录（无筛选时为全部），按排序逐页读取并流式输出；字段为调用者可见的（或 fields 指定的），表头用调用者的语言，值的格式与界面相同。CSV 为带 BOM 的 UTF-8。需要导出权限。',
          'Every record the filter matches (all without one), in the sort, read page by page and streamed; the fields the caller may see (or those in `fields`), headers in their language, values formatted as the screens show them. CSV is UTF-8 with a byte order mark. Needs the export right.',
        ),
        parameters: [
          query('format', { enum: ['xlsx', 'csv'] }, '文件格式（默认 xlsx）', 'File format (default xlsx)'),
          query('filter', { type: 'string' }, '筛选条件（JSON，与 query 接口的 filter 相同）', 'Filter (JSON, as `filter` of the query operation)'),
          query('sort', { type: 'string' }, '排序字段，逗号分隔，- 表示降序（如 -code,name）', 'Sort fields, comma-separated, - for descending (e.g. -code,name)'),
          query('fields', { type: 'string' }, '要导出的字段，逗号分隔', 'Fields to export, comma-separated'),
        ],
        responses: {
          200: {
            description: t('导出的文件（附件）', 'The exported file (an attachment)'),
            headers: { 'Content-Disposition': { schema: { type: 'string' }, description: t('文件名', 'The file name') } },
            content: {
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          403: refusal(t('没有导出权限', 'No export right')),
          ...errors(400, 401, 404),
        },
      },
    },
    [`${base}/similar`]: {
      post: {
        operationId: `${name}.similar`, tags, summary: t(`查找相似${what}（防止重复录入）`, `Similar ${what} records (to avoid entering one twice)`),
        requestBody: jsonBody({
          type: 'object', required: ['values'], additionalProperties: false,
          properties: {
            values: { type: 'object', description: t('正在录入的字段值', 'The values being typed in') },
            except: { type: 'string', format: 'uuid', description: t('正在编辑的记录，不列出', 'The record being edited, left out') },
            limit: { type: 'integer', minimum: 1, maximum: 50 },
          },
        }),
        responses: { 200: hits(t('可能重复的记录', 'Records that may be the same')), ...errors(400, 401, 404, 413, 415) },
      },
    },
    [`${base}/batch`]: {
      post: {
        operationId: `${name}.batch`, tags, summary: t(`批量处理${what}`, `Change many ${what} records at once`),
        requestBody: jsonBody(ref('BatchRequest')),
        responses: {
          200: {
            description: t('在一个事务中完成；changed 为实际变化的记录数', 'Done in one transaction; `changed` counts the records that changed'),
            content: { 'application/json': { schema: { type: 'object', required: ['changed'], properties: { changed: { type: 'integer', minimum: 0 } } } } },
          },
          ...errors(400, 401, 404, 413, 415),
        },
      },
    },
    [`${base}/{id}`]: {
      parameters: [id],
      get: {
        operationId: `${name}.get`, tags, summary: t(`读取${what}`, `Read a ${what} record`),
        parameters: [query('deleted', { enum: ['include'] }, 'include：也查找回收站中的记录', '`include`: also find it in the recycle bin')],
        responses: { 200: record(t('记录', 'The record')), ...errors(400, 401, 404) },
      },
      patch: {
        operationId: `${name}.update`, tags, summary: t(`修改${what}`, `Change a ${what} record`),
        requestBody: jsonBody(ref(n.update)),
        responses: { 200: record(t('修改后的记录', 'The record as changed')), ...errors(400, 401, 404, 409, 413, 415) },
      },
      delete: {
        operationId: `${name}.delete`, tags, summary: t(`删除${what}（移入回收站）`, `Move a ${what} record to the recycle bin`),
        parameters: [query('version', { type: 'integer', minimum: 1 }, '读取时的版本：记录已被修改时返回 409', 'Version read: 409 when the record changed since')],
        responses: { 204: noContent(t('已移入回收站', 'In the recycle bin')), ...errors(400, 401, 404, 409) },
      },
    },
    [`${base}/{id}/restore`]: {
      parameters: [id],
      post: {
        operationId: `${name}.restore`, tags, summary: t(`从回收站恢复${what}`, `Restore a ${what} record from the recycle bin`),
        responses: { 200: record(t('恢复后的记录', 'The restored record')), ...errors(400, 401, 404, 409) },
      },
    },
    [`${base}/{id}/purge`]: {
      parameters: [id],
      post: {
        operationId: `${name}.purge`, tags, summary: t(`永久删除回收站中的${what}`, `Delete a ${what} record in the recycle bin for good`),
        responses: { 204: noContent(t('已永久删除', 'Deleted for good')), ...errors(400, 401, 404, 409) },
      },
    },
    [`${base}/{id}/history`]: {
      parameters: [id],
      get: {
        operationId: `${name}.history`, tags, summary: t(`${what}的变更记录`, `Change history of a ${what} record`),
        responses: {
          200: {
            description: t('变更记录，按时间先后', 'Changes, oldest first'),
            content: { 'application/json': { schema: { type: 'object', required: ['history'], properties: { history: { type: 'array', items: ref('RecordChange') } } } } },
          },
          ...errors(400, 401, 404),
        },
      },
    },
  };
}

const responseNames: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 413: 'PayloadTooLarge', 415: 'UnsupportedMediaType',
};

/** What every error answer carries: `{ "error": { code, message, problems } }`. */
const errorContent = { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: ref('Error') } } } };

function errorResponses(t: Translate): Record<string, Schema> {
  const describe = (zh: string, en: string) => ({ description: t(zh, en), content: errorContent });
  return {
    BadRequest: describe('输入无效：problems 列出每个问题及其位置（JSON Pointer）', 'Bad input: `problems` lists every problem with its place (JSON Pointer)'),
    Unauthorized: {
      ...describe('缺少 API 令牌，或令牌无效、已过期、已吊销', 'No API token, or an unknown, expired or revoked one'),
      headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer' } },
    },
    Forbidden: describe('只有管理员可以执行此操作', 'For administrators only'),
    NotFound: describe('实体或记录不存在', 'No such entity or record'),
    Conflict: describe('与记录当前状态冲突：版本已变（消息中含当前版本）、在/不在回收站、仍被引用', 'Conflicts with the record as it is: a newer version (named in the message), in or not in the recycle bin, still referenced'),
    PayloadTooLarge: describe('请求体超过 1 MiB', 'The body is over 1 MiB'),
    UnsupportedMediaType: describe('请求体须为 application/json', 'The body must be application/json'),
  };
}

function sharedSchemas(t: Translate): Record<string, Schema> {
  return {
    LocalizedText: {
      type: 'object',
      required: ['zh-CN', 'en'],
      properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } },
      additionalProperties: false,
    },
    Problem: {
      type: 'object',
      required: ['code', 'message', 'path'],
      properties: {
        code: { type: 'string' },
        message: ref('LocalizedText'),
        path: { type: 'string', description: t('出错位置（JSON Pointer）', 'Where (JSON Pointer)') },
        source: { type: 'string', description: t('哪一项输入', 'Which input') },
      },
    },
    Error: {
      type: 'object',
      required: ['code', 'message', 'problems'],
      properties: {
        code: { type: 'string', description: t('稳定的错误代码', 'Stable error code') },
        message: ref('LocalizedText'),
        problems: { type: 'array', items: ref('Problem') },
      },
    },
    RecordChange: {
      type: 'object',
      required: ['operation', 'at', 'actor', 'version', 'changes'],
      properties: {
        operation: { enum: ['create', 'update', 'delete', 'restore', 'purge'] },
        at: { type: 'string', format: 'date-time' },
        actor: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
        version: { type: 'integer' },
        changes: {
          type: 'object',
          description: t('每个变更字段的 [修改前, 修改后]', '[before, after] of each changed field'),
          additionalProperties: { type: 'array', minItems: 2, maxItems: 2 },
        },
      },
    },
    QueryTotal: {
      type: 'object',
      required: ['value', 'exact'],
      properties: {
        value: { type: 'integer', minimum: 0 },
        exact: { type: 'boolean', description: t('超过 10,000 条时为估算值', 'An estimate beyond 10,000 records') },
      },
    },
    SearchHit: {
      type: 'object',
      required: ['id', 'label', 'score', 'matched'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        label: { type: ['string', 'null'], description: t('记录名称', 'The record\'s name') },
        score: { type: 'number', minimum: 0, maximum: 1, description: t('相似程度（用于排序）；同一电话号码为 1', 'How close, for ordering; 1 for the same phone number') },
        matched: { type: 'array', items: { type: 'string' }, description: t('匹配的字段', 'The fields that matched') },
      },
    },
    PhoneMatch: {
      type: 'object',
      required: ['entity', 'field', 'record'],
      properties: {
        entity: { type: 'string' },
        field: { type: 'string' },
        record: { type: 'object', description: t('该实体的记录（含查找字段名称）', 'The record of that entity (with its lookups\' names)') },
      },
    },
    BatchRequest: {
      type: 'object',
      description: t('ids 或 filter 二选一：指定记录，或筛选条件匹配的全部记录（最多 10,000 条）', 'Either `ids` or `filter`: the records named, or every record the filter matches (at most 10,000)'),
      required: ['action'],
      oneOf: [{ required: ['ids'] }, { required: ['filter'] }],
      properties: {
        ids: { type: 'array', maxItems: 10000, items: { type: 'string', format: 'uuid' } },
        filter: ref('listView.filter'),
        action: {
          oneOf: [
            { type: 'object', required: ['type', 'owner'], properties: { type: { const: 'reassignOwner' }, owner: { type: 'string', format: 'uuid' } }, additionalProperties: false },
            { type: 'object', required: ['type', 'field', 'value'], properties: { type: { const: 'updateField' }, field: { type: 'string' }, value: {} }, additionalProperties: false },
            { type: 'object', required: ['type'], properties: { type: { const: 'delete' } }, additionalProperties: false },
          ],
        },
      },
      additionalProperties: false,
    },
  };
}

/**
 * The record query's JSON Schema (engine/records/query/query.schema.json) as components:
 * `RecordQuery` and every definition it reaches in the meta-schemas, named `<file>.<definition>`
 * (`listView.filter`), with `$ref`s rewritten to them. The published schema is the one the
 * engine checks queries with.
 */
function queryComponents(): Record<string, Schema> {
  queryComponentsOnce ??= rewriteQuerySchemas();
  return queryComponentsOnce;
}

let queryComponentsOnce: Record<string, Schema> | undefined;

const schemaFiles: Record<string, { stem: string; schema: Schema }> = {
  'query.schema.json': { stem: 'recordQuery', schema: recordQuery as Schema },
  'listView.schema.json': { stem: 'listView', schema: listView as Schema },
  'common.schema.json': { stem: 'common', schema: common as Schema },
};

function rewriteQuerySchemas(): Record<string, Schema> {
  const components: Record<string, Schema> = {};
  const pending: [file: string, definition: string][] = [];
  const rewrite = (node: unknown, file: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, file));
    if (typeof node !== 'object' || node === null) return node;
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema' || key === '$id') continue; // an $id inside components would move the base of every $ref below it
      if (key === '$ref' && typeof value === 'string') {
        const match = /^([A-Za-z0-9.]*)#\/\$defs\/([A-Za-z0-9_]+)$/.exec(value);
        if (!match) throw new Error(`query schema: unsupported $ref ${value}`);
        const target = match[1] || file;
        if (!schemaFiles[target]) throw new Error(`query schema: $ref to an unknown file ${value}`);
        pending.push([target, match[2]!]);
        out.$ref = `#/components/schemas/${schemaFiles[target]!.stem}.${match[2]}`;
      } else if (key !== '$defs') {
        out[key] = rewrite(value, file);
      }
    }
    return out;
  };
  components.RecordQuery = rewrite(recordQuery, 'query.schema.json') as Schema;
  for (let next = pending.shift(); next; next = pending.shift()) {
    const [file, definition] = next;
    const name = `${schemaFiles[file]!.stem}.${definition}`;
    if (components[name]) continue;
    const defs = schemaFiles[file]!.schema.$defs as Record<string, unknown> | undefined;
    if (!defs?.[definition]) throw new Error(`query schema: no definition ${definition} in ${file}`);
    components[name] = rewrite(defs[definition], file) as Schema;
  }
  return components;
}
