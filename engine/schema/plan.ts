import { sql, type Kysely } from 'kysely';
import { FormaError, problem, type Problem } from '../errors.ts';
import { fieldType } from '../field-types/registry.ts';
import { columnTypeSql, sameColumnType } from '../field-types/field-type.ts';
import { fillText, type LocalizedText } from '../i18n/text.ts';
import { escapePointer } from '../metadata/ajv.ts';
import { kindLabel } from '../metadata/kind-labels.ts';
import { checkModel } from '../metadata/check-model.ts';
import {
  documentKey, entitiesOf, isArchivedEntity, isArchivedField, isEntity,
  type EntityDocument, type FieldDefinition, type MetadataDocument, type Model,
} from '../metadata/model.ts';
import { readDocuments, type DocumentInput } from '../metadata/read-documents.ts';
import { entityTable } from '../records/entity-table.ts';
import { formLayoutOf, requiredWhenPlacements, requiredWhenRules } from '../records/layout-rules.ts';
import { requiredWhenFields } from '../records/record-validator.ts';
import { conditionNarrowing, DataChecks, emptyField } from './data-checks.ts';
import type { DataCheck, Operation, Risk, Step } from './operations.ts';
import { modelShape, workspaceSchema, type TableShape } from './physical.ts';

/**
 * A change to a workspace's metadata: documents to create or replace, and documents to remove
 * (an entity is archived, never dropped: its table and data stay).
 */
export interface ChangeSet {
  upsert?: DocumentInput[];
  remove?: { kind: string; name: string }[];
}

/** What a change set would do, step by step, planned against the current metadata and data. */
export interface Plan {
  workspace: string;
  baseVersion: number;
  operations: Operation[];
  /** Why the plan is refused: the failed data checks. Empty when it may be applied. */
  problems: Problem[];
  refused: boolean;
  destructive: boolean;
  /** The documents the new version writes, and those it removes. */
  written: MetadataDocument[];
  removed: { kind: string; name: string }[];
}

/**
 * Plans a change set: validates the documents and the whole model they produce, then lists the
 * DDL and metadata operations in order, each marked safe / checked / destructive, with the data
 * checks already run. Throws a FormaError (`metadata_invalid`) listing every problem when the
 * metadata itself is wrong; a plan whose data checks fail comes back `refused` with its problems.
 *
 * @example
 *   const plan = await planChangeSet(db, 'main', current, 3, { upsert: [{ document: customer }] });
 *   plan.operations.map((o) => `${o.risk} ${o.summary.en}`);
 */
export async function planChangeSet(
  db: Kysely<any>, workspace: string, current: Model, baseVersion: number, change: ChangeSet,
): Promise<Plan> {
  const { next, problems } = checkChangeSet(current, change);
  if (problems.length) throw new FormaError('metadata_invalid', { count: problems.length }, problems);
  return planModelChange(db, workspace, current, next, baseVersion);
}

/**
 * The model a change set would produce and everything wrong with it — each document against its
 * meta-schema, then the whole model (references, names, formulas) and the field changes the
 * engine cannot make — without touching the database: what a designer asks as the admin types.
 *
 * @example checkChangeSet(model, { upsert: [{ document: customer }] }).problems
 */
export function checkChangeSet(current: Model, change: ChangeSet): { next: Model; problems: Problem[] } {
  const { read, problems } = readDocuments(change.upsert ?? []);
  const next = new Map(current);
  const sources = new Map<string, string>();
  for (const { document, source } of read) {
    const key = documentKey(document);
    const before = current.get(key);
    next.set(key, isEntity(document) && before && isEntity(before) ? keepArchivedFields(document, before) : document);
    sources.set(key, source);
  }
  for (const [i, ref] of (change.remove ?? []).entries()) {
    const key = documentKey(ref);
    const before = current.get(key);
    if (!before) problems.push(problem('document_unknown', `/remove/${i}`, { kind: ref.kind, name: ref.name }));
    else if (isEntity(before)) next.set(key, archiveEntity(before));
    else next.delete(key);
  }
  if (!problems.length) {
    problems.push(...checkModel(next, sources));
    problems.push(...checkFieldChanges(current, next, sources));
  }
  return { next, problems };
}

/**
 * Plans the way from one model to another that is already known to be valid (a rollback
 * target, a purge). Fields and entities missing from `next` are kept as archived.
 */
export async function planModelChange(
  db: Kysely<any>, workspace: string, current: Model, nextModel: Model, baseVersion: number,
  purge?: { table: string; column?: string },
): Promise<Plan> {
  const next = new Map(nextModel);
  if (!purge) {
    for (const [key, before] of current) {
      const after = next.get(key);
      if (!isEntity(before)) continue;
      if (!after) next.set(key, archiveEntity(before));
      else if (isEntity(after)) next.set(key, keepArchivedFields(after, before));
    }
  }
  const schema = workspaceSchema(workspace);
  const checks = new DataChecks(db, schema);
  const operations: Operation[] = [];
  await planTables(modelShape(current), modelShape(next), next, schema, checks, operations);
  await planDataChecks(current, next, checks, operations);
  await planRequiredWhenChecks(current, next, workspace, checks, operations);
  const written: MetadataDocument[] = [];
  const removed: { kind: string; name: string }[] = [];
  for (const [key, doc] of next) {
    const before = current.get(key);
    // Order-sensitive on purpose: moving a field is a change the admin made.
    if (before && JSON.stringify(before) === JSON.stringify(doc)) continue;
    written.push(doc);
    const change = !before ? 'create'
      : isEntity(doc) && isEntity(before) && isArchivedEntity(doc) !== isArchivedEntity(before)
        ? (isArchivedEntity(doc) ? 'archive' : 'restore')
        : 'update';
    operations.push(op({ op: 'saveDocument', kind: doc.kind, name: doc.name, change }, 'safe', texts.saveDocument[change], { kind: kindLabel(doc.kind), name: doc.name }));
  }
  for (const [key, doc] of current) {
    if (next.has(key)) continue;
    removed.push({ kind: doc.kind, name: doc.name });
    operations.push(op({ op: 'saveDocument', kind: doc.kind, name: doc.name, change: 'remove' }, 'safe', texts.saveDocument.remove, { kind: kindLabel(doc.kind), name: doc.name }));
  }
  const failed = operations.flatMap((o) => (o.check && !o.check.passed && o.check.problem ? [o.check.problem] : []));
  return {
    workspace, baseVersion, operations, problems: failed, refused: failed.length > 0,
    destructive: operations.some((o) => o.risk === 'destructive'), written, removed,
  };
}

/** Fields the new document leaves out are archived, not lost: they stay, hidden, with their column. */
function keepArchivedFields(next: EntityDocument, current: EntityDocument): EntityDocument {
  const missing = Object.entries(current.schema.properties).filter(([name]) => !(name in next.schema.properties));
  if (!missing.length) return next;
  const properties = { ...next.schema.properties };
  for (const [name, field] of missing) properties[name] = { ...field, 'x-forma': { ...field['x-forma'], archived: true } };
  return { ...next, schema: { ...next.schema, properties } };
}

function archiveEntity(entity: EntityDocument): EntityDocument {
  return { ...entity, schema: { ...entity.schema, 'x-forma': { ...entity.schema['x-forma'], archived: true } } };
}

/** A field keeps its column for life, and only changes type where its data can follow. */
function checkFieldChanges(current: Model, next: Model, sources: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  const scalar = (type: string) => !['lookup', 'lines', 'file', 'multiselect', 'user'].includes(type);
  for (const [key, after] of next) {
    const before = current.get(key);
    if (!before || !isEntity(before) || !isEntity(after)) continue;
    const source = sources.get(key) ?? key;
    for (const [name, field] of Object.entries(after.schema.properties)) {
      const old = before.schema.properties[name];
      if (!old) continue;
      const at = `/schema/properties/${escapePointer(name)}/x-forma`;
      const [o, n] = [old['x-forma'], field['x-forma']];
      const [oldColumn, newColumn] = [o.column ?? name, n.column ?? name];
      if (oldColumn !== newColumn) problems.push(problem('column_immutable', `${at}/column`, { field: name, column: oldColumn }, source));
      if (o.type === 'lookup' && n.type === 'lookup' && o.target !== n.target) {
        problems.push(problem('lookup_target_change', `${at}/target`, { field: name, from: o.target, to: n.target }, source));
      } else if (o.type === 'lines' && n.type === 'lines' && o.entity !== n.entity) {
        problems.push(problem('type_change_unsupported', `${at}/entity`, { field: name, from: `lines(${o.entity})`, to: `lines(${n.entity})` }, source));
      } else if (o.type !== n.type && !(scalar(o.type) && scalar(n.type))) {
        problems.push(problem('type_change_unsupported', `${at}/type`, { field: name, from: o.type, to: n.type }, source));
      }
    }
  }
  return problems;
}

async function planTables(
  currentShape: Map<string, TableShape>, nextShape: Map<string, TableShape>, next: Model,
  schema: string, checks: DataChecks, operations: Operation[],
) {
  const foreignKeys: Operation[] = [];
  if (currentShape.size === 0 && nextShape.size > 0) {
    operations.push(op({ op: 'createSchema', schema }, 'safe', texts.createSchema, { schema }));
  }
  for (const [table, after] of parentsFirst(nextShape)) {
    const before = currentShape.get(table);
    if (!before) {
      operations.push(op({ op: 'createTable', table, columns: [...after.columns.values()], lineOf: after.lineOf, hasState: after.hasState }, 'safe', texts.createTable, { table }));
      for (const index of after.indexes.values()) operations.push(op({ op: 'createIndex', table, index }, 'safe', texts.createIndex, { table, column: index.column }));
      for (const foreignKey of after.foreignKeys.values()) foreignKeys.push(op({ op: 'addForeignKey', table, foreignKey }, 'safe', texts.addForeignKey, { table, column: foreignKey.column, target: foreignKey.target }));
      continue;
    }
    const entity = next.get(documentKey({ kind: 'entity', name: table })) as EntityDocument;
    if (before.lineOf !== after.lineOf) {
      if (before.lineOf) throw new FormaError('lines_entity_change', { entity: table });
      const rows = await checks.rows(table);
      operations.push(op({ op: 'addLineColumns', table, parent: after.lineOf! }, 'checked', texts.addLineColumns, { table, parent: after.lineOf },
        rows === 0 ? pass() : fail(rows, problem('check_parent_rows', '', { entity: table, count: rows }, `entity:${table}`))));
    }
    if (after.hasState && !before.hasState) operations.push(op({ op: 'addStateColumn', table }, 'safe', texts.addStateColumn, { table }));
    for (const [name, column] of after.columns) {
      const old = before.columns.get(name);
      const source = `entity:${table}`;
      const at = `/schema/properties/${escapePointer(column.field)}`;
      if (!old) {
        const field = entity.schema.properties[column.field]!;
        if (!column.notNull) {
          operations.push(op({ op: 'addColumn', table, column }, 'safe', texts.addColumn, { table, column: name }));
        } else if ('default' in field) {
          operations.push(op({ op: 'addColumn', table, column, backfill: field.default }, 'safe', texts.addColumnWithDefault, { table, column: name, value: JSON.stringify(field.default) }));
        } else {
          const rows = await checks.rows(table);
          operations.push(op({ op: 'addColumn', table, column }, 'checked', texts.addRequiredColumn, { table, column: name },
            rows === 0 ? pass() : fail(rows, problem('check_rows_without_default', at, { entity: table, field: column.field, count: rows }, source))));
        }
        continue;
      }
      if (!sameColumnType(old.type, column.type)) {
        let count = await checks.unconvertible(table, name, column.type);
        let check = count === 0 ? pass() : fail(count, problem('check_conversion', at, { field: column.field, count, to: columnTypeSql(column.type) }, source));
        if (count === 0 && old.type.sql === 'numeric' && column.type.sql === 'numeric' && column.type.scale < old.type.scale) {
          count = await checks.precisionLoss(table, name, column.type.scale);
          if (count) check = fail(count, problem('check_precision', at, { field: column.field, count, scale: column.type.scale }, source));
        }
        operations.push(op({ op: 'alterColumnType', table, column: name, from: old.type, to: column.type }, 'checked', texts.alterColumnType,
          { table, column: name, from: columnTypeSql(old.type), to: columnTypeSql(column.type) }, check));
      }
      if (column.notNull && !old.notNull) {
        const count = await checks.nulls(table, name);
        operations.push(op({ op: 'setNotNull', table, column: name }, 'checked', texts.setNotNull, { table, column: name },
          count === 0 ? pass() : fail(count, problem('check_required_nulls', at, { entity: table, field: column.field, count }, source))));
      } else if (!column.notNull && old.notNull) {
        operations.push(op({ op: 'dropNotNull', table, column: name }, 'safe', texts.dropNotNull, { table, column: name }));
      }
    }
    for (const [name] of before.columns) {
      if (!after.columns.has(name)) operations.push(op({ op: 'dropColumn', table, column: name }, 'destructive', texts.dropColumn, { table, column: name }));
    }
    for (const [name, index] of before.indexes) {
      if (!after.indexes.has(name)) operations.push(op({ op: 'dropIndex', table, index }, 'safe', texts.dropIndex, { table, column: index.column }));
    }
    for (const [name, index] of after.indexes) {
      if (before.indexes.has(name)) continue;
      if (!index.unique || !before.columns.has(index.column)) {
        operations.push(op({ op: 'createIndex', table, index }, 'safe', texts.createIndex, { table, column: index.column }));
        continue;
      }
      const count = await checks.duplicates(table, index.column);
      const field = after.columns.get(index.column)!.field;
      operations.push(op({ op: 'createIndex', table, index }, 'checked', texts.createUniqueIndex, { table, column: index.column },
        count === 0 ? pass() : fail(count, problem('check_duplicates', `/schema/properties/${escapePointer(field)}/x-forma/unique`, { field, count }, `entity:${table}`))));
    }
    for (const [name, foreignKey] of before.foreignKeys) {
      if (!after.foreignKeys.has(name)) operations.push(op({ op: 'dropForeignKey', table, foreignKey }, 'safe', texts.dropForeignKey, { table, column: foreignKey.column }));
    }
    for (const [name, foreignKey] of after.foreignKeys) {
      if (!before.foreignKeys.has(name)) foreignKeys.push(op({ op: 'addForeignKey', table, foreignKey }, 'safe', texts.addForeignKey, { table, column: foreignKey.column, target: foreignKey.target }));
    }
  }
  operations.push(...foreignKeys);
  for (const [table] of currentShape) {
    if (!nextShape.has(table)) operations.push(op({ op: 'dropTable', table }, 'destructive', texts.dropTable, { table }));
  }
}

/** Tables in an order where a line-item table comes after the table it belongs to. */
function parentsFirst(shapes: Map<string, TableShape>): [string, TableShape][] {
  const depth = (shape: TableShape, seen = 0): number => {
    const parent = shape.lineOf ? shapes.get(shape.lineOf) : undefined;
    return parent && seen < shapes.size ? 1 + depth(parent, seen + 1) : 0;
  };
  return [...shapes].sort(([, a], [, b]) => depth(a) - depth(b));
}

/** Checks that need no DDL: a removed select option still in use, a shorter maximum length. */
async function planDataChecks(current: Model, next: Model, checks: DataChecks, operations: Operation[]) {
  for (const [key, after] of next) {
    const before = current.get(key);
    if (!before || !isEntity(before) || !isEntity(after) || isArchivedEntity(after)) continue;
    for (const [name, field] of Object.entries(after.schema.properties)) {
      const old = before.schema.properties[name];
      if (old && isArchivedField(old) !== isArchivedField(field)) {
        const step = isArchivedField(field) ? 'archiveField' : 'restoreField';
        operations.push(op({ op: step, table: after.name, field: name }, 'safe', texts[step], { table: after.name, field: name }));
      }
      if (!old || isArchivedField(field) || old['x-forma'].type !== field['x-forma'].type) continue;
      const column = field['x-forma'].column ?? name;
      const at = `/schema/properties/${escapePointer(name)}`;
      const source = `entity:${after.name}`;
      const removedOptions = optionValues(old).filter((v) => !optionValues(field).includes(v));
      if (removedOptions.length) {
        const count = await checks.usingValues(after.name, column, removedOptions, field['x-forma'].type === 'multiselect');
        const values = removedOptions.join(', ');
        operations.push(op({ op: 'checkData', table: after.name, column }, 'checked', texts.checkOptions, { table: after.name, column, values },
          count === 0 ? pass() : fail(count, problem('check_option_in_use', `${at}/x-forma/options`, { field: name, count, values }, source))));
      }
      const [oldMax, newMax] = [old.maxLength, field.maxLength] as [number | undefined, number | undefined];
      if (typeof newMax === 'number' && (oldMax === undefined || newMax < oldMax) && fieldType(field['x-forma'].type).column(field['x-forma'])?.sql === 'text') {
        const count = await checks.tooLong(after.name, column, newMax);
        operations.push(op({ op: 'checkData', table: after.name, column }, 'checked', texts.checkLength, { table: after.name, column, max: newMax },
          count === 0 ? pass() : fail(count, problem('check_too_long', `${at}/maxLength`, { field: name, count, max: newMax }, source))));
      }
    }
  }
}

/**
 * A form layout's new or changed `requiredWhen`: live records that meet the condition with the
 * field empty could not be saved again, so they refuse it until filled in — as making a field
 * required does. Conditions kept as they were are not checked again.
 */
async function planRequiredWhenChecks(current: Model, next: Model, workspace: string, checks: DataChecks, operations: Operation[]) {
  for (const entity of entitiesOf(next)) {
    const before = current.get(documentKey(entity));
    const layout = formLayoutOf(next, entity.name);
    if (!layout || isArchivedEntity(entity) || !before || !isEntity(before) || isArchivedEntity(before)) continue;
    const was = requiredWhenPlacements(formLayoutOf(current, entity.name));
    const placed = requiredWhenPlacements(layout);
    const changed = [...requiredWhenFields(next, entity)]
      .filter((field) => placed.has(field) && JSON.stringify(was.get(field)?.condition) !== JSON.stringify(placed.get(field)!.condition));
    const rules = requiredWhenRules(next, entity, new Set(changed));
    if (!rules.fields.length) continue;
    // The records as stored now (a field new in this change is empty in all of them): those that
    // may meet a condition with its field empty are read, and the rules decide.
    const table = entityTable(current, workspace, entity.name);
    const candidates = rules.fields.map((field) => {
      const narrowed = conditionNarrowing(placed.get(field)!.condition, table.fields);
      const column = table.fields.get(field);
      return column ? sql<boolean>`(${emptyField(column)} and ${narrowed})` : narrowed;
    });
    const counts = await checks.problemsPerPath(entity.name, [...table.fields.values()], rules.check, sql.join(candidates, sql` or `));
    for (const field of rules.fields) {
      const count = counts.get(`/${escapePointer(field)}`) ?? 0;
      const params = { table: entity.name, column: table.fields.get(field)?.column ?? field };
      const found = () => problem('check_required_when', placed.get(field)!.path, { count, field: entity.schema.properties[field]!['x-forma'].label }, `layout:${layout.name}`);
      operations.push(op({ op: 'checkData', ...params }, 'checked', texts.checkRequiredWhen, params, count === 0 ? pass() : fail(count, found())));
    }
  }
}

function optionValues(field: FieldDefinition): string[] {
  return (field['x-forma'].options ?? []).map((o) => o.value);
}

const pass = () => ({ passed: true, count: 0 });
const fail = (count: number, found: Problem) => ({ passed: false, count, problem: found });

function op(step: Step, risk: Risk, summary: LocalizedText, params: Record<string, unknown>, check?: DataCheck): Operation {
  return { ...step, risk, summary: fillText(summary, params), ...(check ? { check } : {}) };
}

const texts = {
  createSchema: { 'zh-CN': '创建工作区模式 {schema}', en: 'Create workspace schema {schema}' },
  createTable: { 'zh-CN': '创建表 {table}', en: 'Create table {table}' },
  addLineColumns: { 'zh-CN': '{table} 成为 {parent} 的明细行（新增 parent_id、position 列）', en: 'Make {table} the line items of {parent} (add parent_id, position)' },
  addStateColumn: { 'zh-CN': '为 {table} 新增工作流状态列', en: 'Add the workflow state column to {table}' },
  addColumn: { 'zh-CN': '为 {table} 新增列 {column}', en: 'Add column {column} to {table}' },
  addColumnWithDefault: { 'zh-CN': '为 {table} 新增必填列 {column}，已有记录填入默认值 {value}', en: 'Add required column {column} to {table}, filling existing rows with {value}' },
  addRequiredColumn: { 'zh-CN': '为 {table} 新增必填列 {column}（要求表中没有记录）', en: 'Add required column {column} to {table} (needs the table to be empty)' },
  alterColumnType: { 'zh-CN': '将 {table}.{column} 的类型从 {from} 改为 {to}', en: 'Change the type of {table}.{column} from {from} to {to}' },
  setNotNull: { 'zh-CN': '将 {table}.{column} 设为必填', en: 'Make {table}.{column} required' },
  dropNotNull: { 'zh-CN': '{table}.{column} 不再必填', en: 'Make {table}.{column} optional' },
  createIndex: { 'zh-CN': '为 {table}.{column} 创建索引', en: 'Index {table}.{column}' },
  createUniqueIndex: { 'zh-CN': '为 {table}.{column} 创建唯一索引', en: 'Make {table}.{column} unique' },
  dropIndex: { 'zh-CN': '删除 {table}.{column} 的索引', en: 'Drop the index on {table}.{column}' },
  addForeignKey: { 'zh-CN': '{table}.{column} 引用 {target}', en: 'Make {table}.{column} reference {target}' },
  dropForeignKey: { 'zh-CN': '删除 {table}.{column} 的外键', en: 'Drop the foreign key of {table}.{column}' },
  dropColumn: { 'zh-CN': '永久删除列 {table}.{column} 及其数据', en: 'Permanently drop column {table}.{column} and its data' },
  dropTable: { 'zh-CN': '永久删除表 {table} 及其全部数据', en: 'Permanently drop table {table} and all its data' },
  archiveField: { 'zh-CN': '归档字段 {table}.{field}（列和数据保留，可恢复）', en: 'Archive field {table}.{field} (column and data kept, restorable)' },
  restoreField: { 'zh-CN': '恢复字段 {table}.{field} 及其数据', en: 'Restore field {table}.{field} with its data' },
  checkOptions: { 'zh-CN': '检查 {table}.{column} 是否仍在使用被删除的选项 {values}', en: 'Check that no {table}.{column} still uses removed option(s) {values}' },
  checkRequiredWhen: { 'zh-CN': '检查没有满足表单必填条件却未填写 {table}.{column} 的记录', en: 'Check that no record meets the form\'s condition making {table}.{column} required with it empty' },
  checkLength: { 'zh-CN': '检查 {table}.{column} 没有超过 {max} 个字符的值', en: 'Check that no {table}.{column} is longer than {max} characters' },
  saveDocument: {
    create: { 'zh-CN': '新建{kind} {name}', en: 'Create {kind} {name}' },
    update: { 'zh-CN': '更新{kind} {name}', en: 'Update {kind} {name}' },
    archive: { 'zh-CN': '归档{kind} {name}（表和数据保留）', en: 'Archive {kind} {name} (table and data kept)' },
    restore: { 'zh-CN': '恢复{kind} {name}', en: 'Restore {kind} {name}' },
    remove: { 'zh-CN': '移除{kind} {name}', en: 'Remove {kind} {name}' },
  },
} satisfies Record<string, LocalizedText | Record<string, LocalizedText>>;
