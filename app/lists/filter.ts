// The filter builder's model and its translation to and from the records engine's filter
// language (docs/records.md): plain functions, used by the list page's loader on the server and
// by the builder in the browser, so a filter in the URL (`?filter=<JSON>`) means the same on both.
import type { FilterTree, Operator, Scalar } from '../../engine/records/query/record-query.ts';
import type { ValueKind } from '../../engine/records/query/operators.ts';

export type { FilterTree, Operator, ValueKind };

/** A field a filter (or a batch update) can use, as the browser needs it. */
export interface FieldChoice {
  /** `level`, or one hop through a lookup `customer.level`. */
  path: string;
  /** `客户等级`, or `客户.客户等级`. */
  label: string;
  /** The heading it is listed under: the entity, or the lookup it is reached through. */
  group: string;
  kind: ValueKind;
  /** The field type (`select`, `money`, `user`…), for the right input. */
  fieldType: string;
  /** The operators the builder offers (the engine's `operatorsOf` for the kind). */
  ops: Operator[];
  /** Options to pick from: select options, or users for user fields. */
  options?: { value: string; label: string; color?: string }[];
  /** Whether a batch update may leave it empty. */
  required?: boolean;
}

/** User fields pick from the workspace's people: the list comes once with the page and is put in the fields here. */
export function withPeople(fields: readonly FieldChoice[], people: FieldChoice['options']): FieldChoice[] {
  return fields.map((f) => (f.fieldType === 'user' ? { ...f, options: people } : f));
}

/** A value as the inputs hold it: text, several texts (lists), or two (between). */
export type InputValue = string | string[];

export interface BuilderCondition {
  type: 'condition';
  id: string;
  field: string;
  op: Operator | '';
  value: InputValue;
  /** The JSON Pointer of this node in the filter it was read from (where the engine reports its problems). */
  at?: string;
}

export interface BuilderGroup {
  type: 'group';
  id: string;
  mode: 'and' | 'or';
  children: BuilderNode[];
  at?: string;
}

/** A part of a filter the builder cannot show as conditions (a `not`, a deeper nesting): kept as it is. */
export interface BuilderRaw {
  type: 'raw';
  id: string;
  tree: FilterTree;
  at?: string;
}

export type BuilderNode = BuilderCondition | BuilderGroup | BuilderRaw;

/** One problem of a filter, at its node: what the engine said, or what the builder saw missing. */
export interface FilterProblem {
  /** JSON Pointer into the person's filter (the URL's), '' for the whole filter. */
  path: string;
  message: string;
}

/** How deeply the builder nests groups: the root group and one level of groups in it. */
export const MAX_GROUP_DEPTH = 2;

let counter = 0;
/** A fresh node id (keys of the builder's rows). */
export function nodeId(): string {
  counter += 1;
  return `n${counter}`;
}

/**
 * The filter in a list's URL (`?filter=<JSON>`), or what is wrong with it: a filter is an object
 * (its shape and fields are the engine's to check, which reports every problem at its place).
 */
export function parseFilterParam(text: string | null | undefined): { tree?: FilterTree; error?: 'json' | 'shape' } {
  if (text === null || text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'shape' };
  return { tree: value as FilterTree };
}

/** The URL form of a filter: compact JSON (URLSearchParams encodes it). */
export function filterParam(tree: FilterTree): string {
  return JSON.stringify(tree);
}

/**
 * A filter with its keys in one order (`field`, `op`, `value`; groups as they are): JSON read
 * back from the database (jsonb) comes with its keys reordered, and a saved filter should give
 * the same address, and be recognised as the one in use, however it was stored.
 */
export function canonicalFilter(tree: FilterTree): FilterTree {
  if (!isObject(tree)) return tree;
  const t = tree as Record<string, unknown>;
  for (const mode of ['and', 'or'] as const) {
    if (Array.isArray(t[mode]) && Object.keys(t).length === 1) return { [mode]: (t[mode] as FilterTree[]).map(canonicalFilter) } as FilterTree;
  }
  if (t.not !== undefined && Object.keys(t).length === 1) return { not: canonicalFilter(t.not as FilterTree) };
  if ('field' in t || 'op' in t) {
    const { field, op, value, ...rest } = t;
    return { field, op, ...(value !== undefined ? { value } : {}), ...rest } as FilterTree;
  }
  return tree;
}

/** Both filters must hold: the list view's own and the person's. */
export function combineFilters(...filters: (FilterTree | undefined)[]): FilterTree | undefined {
  const present = filters.filter((f): f is FilterTree => f !== undefined);
  if (present.length <= 1) return present[0];
  return { and: present };
}

/**
 * A problem pointer of the engine (`/filter/and/0/value`) as a pointer into the person's filter
 * (`/value`), given where their filter sits in the query (`/filter`, or `/filter/and/0` when the
 * list view has a filter of its own); undefined for a problem elsewhere.
 */
export function personalPointer(enginePath: string, prefix: string): string | undefined {
  if (enginePath === prefix) return '';
  return enginePath.startsWith(`${prefix}/`) ? enginePath.slice(prefix.length) : undefined;
}

/**
 * The problems a node of the builder shows: a condition (or a raw part) every problem at or
 * inside it — its field, operator, value; a group those about itself (`/and`: "at least one").
 */
export function nodeProblems(problems: readonly FilterProblem[], node: BuilderNode): FilterProblem[] {
  const { at } = node;
  if (at === undefined) return [];
  if (node.type === 'group') return problems.filter((p) => p.path === at || p.path === `${at}/and` || p.path === `${at}/or`);
  return problems.filter((p) => p.path === at || p.path.startsWith(`${at}/`));
}

/** The problems no node of the builder shows (their node was removed, or they concern no node): shown above it. */
export function unplacedProblems(problems: readonly FilterProblem[], root: BuilderGroup): FilterProblem[] {
  const shown = new Set<FilterProblem>();
  const walk = (node: BuilderNode) => {
    for (const p of nodeProblems(problems, node)) shown.add(p);
    if (node.type === 'group') node.children.forEach(walk);
  };
  walk(root);
  return problems.filter((p) => !shown.has(p));
}

/** An empty builder: one group where every condition must hold. */
export function emptyBuilder(): BuilderGroup {
  return { type: 'group', id: nodeId(), mode: 'and', children: [] };
}

/**
 * The builder's model of a filter: and/or groups (nested as deep as the builder shows them) of
 * conditions, each remembering its JSON Pointer so the engine's problems find their condition.
 * A bare condition becomes the single condition of an "all of" group; anything the builder
 * cannot show (a `not`, deeper groups) is kept as it is, as a raw node.
 */
export function treeToBuilder(tree: FilterTree | undefined, fields: readonly FieldChoice[] = []): BuilderGroup {
  if (tree === undefined) return emptyBuilder();
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const node = (t: FilterTree, at: string, depth: number): BuilderNode => {
    if (isObject(t) && Array.isArray((t as { and?: unknown }).and) && depth <= MAX_GROUP_DEPTH) {
      return group('and', (t as { and: FilterTree[] }).and, at, depth);
    }
    if (isObject(t) && Array.isArray((t as { or?: unknown }).or) && depth <= MAX_GROUP_DEPTH) {
      return group('or', (t as { or: FilterTree[] }).or, at, depth);
    }
    if (isCondition(t)) {
      const c = t as { field: string; op: Operator; value?: unknown };
      return { type: 'condition', id: nodeId(), field: c.field, op: c.op, value: inputOf(c.value, c.op, byPath.get(c.field)), at };
    }
    return { type: 'raw', id: nodeId(), tree: t, at };
  };
  const group = (mode: 'and' | 'or', children: FilterTree[], at: string, depth: number): BuilderGroup => ({
    type: 'group', id: nodeId(), mode, at, children: children.map((child, i) => node(child, `${at}/${mode}/${i}`, depth + 1)),
  });
  const root = node(tree, '', 1);
  return root.type === 'group' ? root : { type: 'group', id: nodeId(), mode: 'and', children: [root] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCondition(t: unknown): boolean {
  return isObject(t) && typeof t.field === 'string' && typeof t.op === 'string'
    && Object.keys(t).every((k) => k === 'field' || k === 'op' || k === 'value')
    && (t.value === undefined || ['string', 'number', 'boolean'].includes(typeof t.value) || Array.isArray(t.value));
}

/** Operators that take no value, a list of values, or two. */
export const NO_VALUE: ReadonlySet<Operator> = new Set(['is_empty', 'is_not_empty']);
export const LIST_VALUE: ReadonlySet<Operator> = new Set(['in', 'not_in']);

/** The operator a new condition on a field starts with. */
export function defaultOp(field: FieldChoice | undefined): Operator | '' {
  if (!field) return '';
  const preferred: Operator[] = field.kind === 'text' || field.kind === 'longText' ? ['contains', 'eq'] : ['eq', 'is_not_empty'];
  return preferred.find((op) => field.ops.includes(op)) ?? field.ops[0] ?? '';
}

/**
 * The input value fitting an operator, keeping what can be kept of the previous one: two texts
 * for `between`, a list of picked options for `in`/`not_in` on a field with options (typed
 * lists stay one text, split at commas when applied), else one text.
 */
export function valueForOp(value: InputValue, op: Operator | '', field?: FieldChoice): InputValue {
  const first = Array.isArray(value) ? (value[0] ?? '') : value;
  if (op === 'between') return Array.isArray(value) ? [value[0] ?? '', value[1] ?? ''] : [value, ''];
  if (op !== '' && LIST_VALUE.has(op)) {
    if (field?.options) return Array.isArray(value) ? value.filter(Boolean) : value ? [value] : [];
    return Array.isArray(value) ? value.filter(Boolean).join(', ') : value;
  }
  return first;
}

/** What the inputs show for a filter value. */
export function inputOf(value: unknown, op: Operator, field?: FieldChoice): InputValue {
  const one = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (field?.kind === 'datetime' && typeof v === 'string') return localMoment(v);
    return String(v);
  };
  if (op === 'between') return Array.isArray(value) ? [one(value[0]), one(value[1])] : [one(value), ''];
  if (LIST_VALUE.has(op)) {
    const list = Array.isArray(value) ? value.map(one) : value === undefined ? [] : [one(value)];
    return field && !field.options ? list.join(', ') : list;
  }
  return Array.isArray(value) ? one(value[0]) : one(value);
}

/** The workspace's time zone offset: Asia/Shanghai, which keeps no summer time. */
const ZONE = '+08:00';

/** An ISO moment as a `datetime-local` input shows it, on the workspace's clock. */
export function localMoment(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time + 8 * 3600_000).toISOString().slice(0, 16);
}

/** A `datetime-local` input's value as the ISO moment the engine takes, on the workspace's clock. */
export function isoMoment(local: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00${ZONE}` : local;
}

/** Texts typed into one box for a list of values: split at commas (, ，、) and line breaks. */
export function splitList(text: string): string[] {
  return text.split(/[,，、\n]/).map((s) => s.trim()).filter(Boolean);
}

/** One input text as the value the engine takes for a field's kind; undefined when empty. */
export function scalarOf(text: string, field: FieldChoice | undefined): Scalar | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  switch (field?.kind) {
    case 'number': {
      const n = Number(trimmed.replace(/[,，\s]/g, ''));
      return Number.isFinite(n) ? n : trimmed; // the engine says what is wrong with it, at the condition
    }
    case 'boolean':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
    case 'datetime':
      return isoMoment(trimmed);
    default:
      return text;
  }
}

/** The builder's texts, by key, for `builderToTree`'s problems (the caller's language). */
export interface BuilderTexts {
  pickField: string;
  pickOperator: string;
  enterValue: string;
}

/**
 * The filter the builder stands for, and the conditions not filled in yet (by node id): empty
 * groups are left out, a condition needs a field, an operator and its value(s). Values are
 * converted for the field's kind (numbers, booleans, moments with the workspace's zone).
 */
export function builderToTree(root: BuilderGroup, fields: readonly FieldChoice[], texts: BuilderTexts): { tree?: FilterTree; missing: Map<string, string> } {
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const missing = new Map<string, string>();
  const convert = (node: BuilderNode): FilterTree | undefined => {
    if (node.type === 'raw') return node.tree;
    if (node.type === 'group') {
      const children = node.children.map(convert).filter((c): c is FilterTree => c !== undefined);
      return children.length ? ({ [node.mode]: children } as FilterTree) : undefined;
    }
    if (!node.field) return void missing.set(node.id, texts.pickField);
    if (!node.op) return void missing.set(node.id, texts.pickOperator);
    const field = byPath.get(node.field);
    const { op } = node;
    if (NO_VALUE.has(op)) return { field: node.field, op };
    if (LIST_VALUE.has(op)) {
      const texts_ = Array.isArray(node.value) ? node.value : splitList(node.value);
      const values = texts_.map((v) => scalarOf(v, field)).filter((v): v is Scalar => v !== undefined);
      if (!values.length) return void missing.set(node.id, texts.enterValue);
      return { field: node.field, op, value: values };
    }
    if (op === 'between') {
      const [low, high] = (Array.isArray(node.value) ? node.value : [node.value, '']).map((v) => scalarOf(v ?? '', field));
      if (low === undefined || high === undefined) return void missing.set(node.id, texts.enterValue);
      return { field: node.field, op, value: [low, high] };
    }
    const value = scalarOf(Array.isArray(node.value) ? (node.value[0] ?? '') : node.value, field);
    if (value === undefined) return void missing.set(node.id, texts.enterValue);
    return { field: node.field, op, value };
  };
  const tree = convert(root);
  return { ...(tree ? { tree } : {}), missing };
}

/** How many conditions a filter holds (for the "筛选 (3)" button). */
export function conditionCount(tree: FilterTree | undefined): number {
  if (!tree || !isObject(tree)) return 0;
  const t = tree as Record<string, unknown>;
  if (Array.isArray(t.and)) return (t.and as FilterTree[]).reduce((n, c) => n + conditionCount(c), 0);
  if (Array.isArray(t.or)) return (t.or as FilterTree[]).reduce((n, c) => n + conditionCount(c), 0);
  if (t.not !== undefined) return conditionCount(t.not as FilterTree);
  return 1;
}

/** Changes one node of the builder (by id), returning a new model: React state stays immutable. */
export function updateNode(root: BuilderGroup, id: string, change: (node: BuilderNode) => BuilderNode | undefined): BuilderGroup {
  const walk = (node: BuilderNode): BuilderNode | undefined => {
    if (node.id === id) return change(node);
    if (node.type !== 'group') return node;
    const children = node.children.map(walk);
    if (children.every((c, i) => c === node.children[i])) return node;
    return { ...node, children: children.filter((c): c is BuilderNode => c !== undefined) };
  };
  return (walk(root) as BuilderGroup | undefined) ?? emptyBuilder();
}
