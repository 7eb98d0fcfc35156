import type { ErrorObject, ValidateFunction } from 'ajv';
import { FormaError, problem, type Problem } from '../../errors.ts';
import type { MessageCode } from '../../i18n/messages.ts';
import { createAjv, escapePointer, schemaProblems } from '../../metadata/ajv.ts';
import type { Model } from '../../metadata/model.ts';
import type { Access, ScopePurpose } from '../../security/access.ts';
import common from '../../metadata/schemas/common.schema.json' with { type: 'json' };
import listView from '../../metadata/schemas/listView.schema.json' with { type: 'json' };
import { entityTable, systemFields, type ColumnField, type EntityTable } from '../entity-table.ts';
import type { Expression, SqlBool } from 'kysely';
import { columnValue } from '../values.ts';
import { databaseRefusal } from '../column-input.ts';
import { decodeCursor, type CheckedSortKey, type Cursor } from './cursor.ts';
import { operatorsOf, unsortableKinds } from './operators.ts';
import { columnResolver, isRefusal, recordAlias, type LookupJoin, type QueryColumn } from './query-columns.ts';
import querySchema from './query.schema.json' with { type: 'json' };
import { defaultPageSize, defaultSort, queryLimits, type Operator, type RecordQuery } from './record-query.ts';

/**
 * A query that passed every check, with every field resolved to its column and every value in
 * column form: what `runQuery` compiles to SQL, and what reports build their aggregations on.
 */
export interface CheckedQuery {
  table: EntityTable;
  joins: LookupJoin[];
  filter?: CheckedFilter;
  sort: CheckedSortKey[];
  page: { size: number; number?: number; after?: Cursor };
  /** The entity's own fields to return, in the order asked for. */
  fields: ColumnField[];
  deleted: 'exclude' | 'only';
  count: boolean;
  /** The actor's record scope on the alias `r`: part of every statement built from the query. */
  scope?: Expression<SqlBool>;
}

export type CheckedFilter =
  | { and: CheckedFilter[] }
  | { or: CheckedFilter[] }
  | { not: CheckedFilter }
  | { column: QueryColumn; op: Operator; value: unknown };

/**
 * Checks a query (untrusted JSON) against its schema, the entity's metadata and what `access`
 * may see, and returns it resolved — with the actor's record scope for `purpose` (reading, or
 * changing the records in a batch) — or throws `query_invalid` listing every problem with its
 * JSON Pointer into the query: unknown, archived or hidden fields (own, or one hop through a lookup), operators that do not
 * fit the field, values that do not fit the field's JSON Schema, unsortable fields, bad
 * cursors. Parts whose shape is wrong are not checked further, so one mistake is reported once.
 *
 * @example
 *   checkQuery(model, 'main', 'customer', { filter: { field: 'credit', op: 'contains', value: '5' } });
 *   // throws query_invalid: [{ code: 'query_operator_unsupported', path: '/filter/op', … }]
 */
export function checkQuery(model: Model, workspace: string, entity: string, input: unknown, access: Access, purpose: ScopePurpose = 'read'): CheckedQuery {
  const table = entityTable(model, workspace, entity);
  const query = input === undefined ? {} : input;
  const limits = sizeProblems(query);
  if (limits.length) throw new FormaError('query_invalid', { count: limits.length }, limits);

  const validateShape = shapeValidator();
  const shape = validateShape(query) ? [] : distinct(schemaProblems(plainErrors(validateShape.errors ?? [])));
  const problems: Problem[] = [...shape];
  const report = (code: MessageCode, path: string, params: Record<string, unknown>) => problems.push(problem(code, path, params));
  const clean = (at: string) => !shape.some((p) => p.path === at || p.path.startsWith(`${at}/`));
  if (shape.some((p) => p.path === '')) throw new FormaError('query_invalid', { count: problems.length }, problems);
  const q = query as RecordQuery;
  const resolver = columnResolver(model, workspace, table, access);
  const validators = fieldValidators(model);

  function checkValue(column: QueryColumn, value: unknown, at: string): unknown {
    const validate = validators(column);
    if (!validate(value)) {
      for (const p of schemaProblems(validate.errors)) {
        report('query_value_invalid', at + p.path, { field: column.path, zh: p.message['zh-CN'], en: p.message.en });
      }
    } else {
      const refusal = databaseRefusal(column.type, value);
      if (refusal) report('query_value_invalid', at, { field: column.path, zh: refusal['zh-CN'], en: refusal.en });
    }
    return columnValue(column.type, value);
  }

  function checkCondition(node: { field: string; op: Operator; value?: unknown }, at: string): CheckedFilter | undefined {
    const column = resolver.resolve(node.field);
    if (isRefusal(column)) return void report(column.code, `${at}/field`, column.params);
    const operators = operatorsOf[column.kind];
    if (!operators.includes(node.op)) {
      return void report('query_operator_unsupported', `${at}/op`, { field: column.path, type: column.fieldType, op: node.op, ops: operators.join(', ') });
    }
    const { op, value } = node;
    if (op === 'is_empty' || op === 'is_not_empty') return { column, op, value: undefined };
    if (op === 'in' || op === 'not_in' || op === 'between') {
      return { column, op, value: (value as unknown[]).map((item, i) => checkValue(column, item, `${at}/value/${i}`)) };
    }
    if ((op === 'contains' || op === 'starts_with') && column.kind !== 'choices') {
      // A fragment of the value, not a value: the field's format, pattern and length do not apply.
      const refusal = databaseRefusal({ sql: 'text' }, value);
      if (refusal) report('query_value_invalid', `${at}/value`, { field: column.path, zh: refusal['zh-CN'], en: refusal.en });
      return { column, op, value };
    }
    return { column, op, value: checkValue(column, value, `${at}/value`) };
  }

  function checkFilter(node: unknown, at: string): CheckedFilter | undefined {
    if (!isObject(node)) return undefined;
    const branches = (key: 'and' | 'or') => (node[key] as unknown[]).map((child, i) => checkFilter(child, `${at}/${key}/${i}`));
    if (Array.isArray(node.and)) return { and: branches('and').filter((c) => c !== undefined) };
    if (Array.isArray(node.or)) return { or: branches('or').filter((c) => c !== undefined) };
    if ('not' in node) {
      const inner = checkFilter(node.not, `${at}/not`);
      return inner && { not: inner };
    }
    if (typeof node.field === 'string' && typeof node.op === 'string' && clean(at)) {
      return checkCondition(node as { field: string; op: Operator; value?: unknown }, at);
    }
    return undefined;
  }

  const filter = q.filter !== undefined ? checkFilter(q.filter, '/filter') : undefined;

  const sort: CheckedSortKey[] = [];
  const sortClean = clean('/sort');
  if (sortClean) {
    (q.sort ?? defaultSort).forEach((key, i) => {
      const column = resolver.resolve(key.field);
      if (isRefusal(column)) return void report(column.code, `/sort/${i}/field`, column.params);
      if (unsortableKinds.has(column.kind)) return void report('query_field_unsortable', `/sort/${i}/field`, { field: column.path, type: column.fieldType });
      sort.push({ column, direction: key.direction ?? 'asc' });
    });
  }

  const fields: ColumnField[] = [];
  if (q.fields && clean('/fields')) {
    const seen = new Set<string>();
    q.fields.forEach((name, i) => {
      const at = `/fields/${i}`;
      if (name.includes('.')) return void report('query_field_not_own', at, { field: name, lookup: name.split('.')[0] });
      if ((systemFields as readonly string[]).includes(name)) return; // they come anyway
      const resolved = resolver.resolve(name);
      if (isRefusal(resolved)) return void report(resolved.code, at, resolved.params);
      if (!seen.has(name)) fields.push(table.fields.get(name)!);
      seen.add(name);
    });
  }

  const page: CheckedQuery['page'] = { size: q.page?.size ?? defaultPageSize };
  if (q.page && 'number' in q.page) page.number = q.page.number;
  const after = q.page && 'after' in q.page ? q.page.after : undefined;
  if (after !== undefined && clean('/page') && sortClean && sort.length === (q.sort ?? defaultSort).length) {
    page.after = decodeCursor(after, sort);
    if (!page.after) report('query_cursor_invalid', '/page/after', {});
  }

  if (problems.length) throw new FormaError('query_invalid', { count: problems.length }, problems);
  return {
    table,
    joins: resolver.joins(),
    ...(filter ? { filter } : {}),
    sort,
    page,
    fields: q.fields ? fields : [...table.fields.values()].filter((f) => !access.entity(entity)?.hidden.has(f.name)),
    deleted: q.deleted ?? 'exclude',
    count: q.count ?? false,
    scope: access.scope(entity, recordAlias, purpose),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Size limits, checked before the schema: the filter tree is validated recursively, so an
 * absurdly deep one must not reach the validator, and lists are bounded so no request yields
 * an unbounded list of problems. Walks iteratively for the same reason.
 */
function sizeProblems(query: unknown): Problem[] {
  const problems: Problem[] = [];
  const stack: { value: unknown; at: string }[] = [{ value: query, at: '' }];
  while (stack.length) {
    const { value, at } = stack.pop()!;
    if (Array.isArray(value)) {
      if (value.length > queryLimits.listItems) problems.push(problem('query_list_too_long', at, { max: queryLimits.listItems }));
      else value.forEach((item, i) => stack.push({ value: item, at: `${at}/${i}` }));
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) stack.push({ value: item, at: `${at}/${escapePointer(key)}` });
    }
  }
  if (problems.length || !isObject(query) || query.filter === undefined) return problems;

  let nodes = 0;
  const filters: { node: unknown; at: string; depth: number }[] = [{ node: query.filter, at: '/filter', depth: 1 }];
  while (filters.length) {
    const { node, at, depth } = filters.pop()!;
    if (!isObject(node)) continue;
    nodes += 1;
    if (depth > queryLimits.filterDepth) {
      problems.push(problem('query_filter_too_deep', at, { max: queryLimits.filterDepth }));
      continue;
    }
    for (const key of ['and', 'or'] as const) {
      const children = node[key];
      if (Array.isArray(children)) children.forEach((child, i) => filters.push({ node: child, at: `${at}/${key}/${i}`, depth: depth + 1 }));
    }
    if ('not' in node) filters.push({ node: node.not, at: `${at}/not`, depth: depth + 1 });
  }
  if (nodes > queryLimits.filterNodes) problems.push(problem('query_filter_too_large', '/filter', { max: queryLimits.filterNodes, count: nodes }));
  return problems;
}

let shape: ValidateFunction | undefined;

/** The query's JSON Schema, compiled once per process with the schemas it refers to. */
function shapeValidator(): ValidateFunction {
  if (!shape) {
    const ajv = createAjv();
    ajv.addSchema(common);
    ajv.addSchema(listView);
    shape = ajv.compile(querySchema);
  }
  return shape;
}

/**
 * ajv's errors without its bookkeeping: the `if` that merely says its `then` failed (the
 * failure itself is reported), and a value that is none of string, number or boolean as one
 * "must be string,number,boolean" rather than four problems at the same place.
 */
function plainErrors(errors: ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const branchOf = (e: ErrorObject) =>
    anyOfs.find((a) => a !== e && a.instancePath === e.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`));
  return errors.flatMap((error): ErrorObject[] => {
    if (error.keyword === 'if' || branchOf(error)) return [];
    if (error.keyword !== 'anyOf') return [error];
    const branches = errors.filter((e) => branchOf(e) === error);
    if (!branches.length || branches.some((b) => b.keyword !== 'type')) return [error, ...branches];
    const type = branches.map((b) => (b.params as { type: string }).type).join(',');
    return [{ ...error, keyword: 'type', params: { type }, message: `must be ${type}` }];
  });
}

/** Problems once each: `{ and, or }` breaks the one-key rule of both, with the same message. */
function distinct(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.path}\n${p.message.en}`) && Boolean(seen.add(`${p.path}\n${p.message.en}`)));
}

const validatorsByModel = new WeakMap<Model, { ajv: ReturnType<typeof createAjv>; compiled: Map<string, ValidateFunction> }>();

/**
 * The compiled JSON Schema of one value of each field, cached with the model: a model is one
 * metadata version, so the cache goes when the version does.
 */
function fieldValidators(model: Model): (column: QueryColumn) => ValidateFunction {
  let cache = validatorsByModel.get(model);
  if (!cache) validatorsByModel.set(model, (cache = { ajv: createAjv(), compiled: new Map() }));
  const { ajv, compiled } = cache;
  return (column) => {
    let validate = compiled.get(column.schemaKey);
    if (!validate) {
      validate = ajv.compile(column.valueSchema);
      compiled.set(column.schemaKey, validate);
    }
    return validate;
  };
}
