/**
 * What a client asks for when it finds records, after `query.schema.json` accepted its shape.
 * The filter tree is the list view's (`listView.schema.json#/$defs/filter`), so a saved list
 * view's default filter runs as it is.
 */
export interface RecordQuery {
  filter?: FilterTree;
  /** Most significant first; default `[{ field: 'created_at', direction: 'desc' }]`. */
  sort?: SortKey[];
  /** By cursor (`after`, from the previous page's `next`) or by 1-based page number; size 1–200, default 50. */
  page?: { size?: number; after?: string } | { size?: number; number: number };
  /** The entity's own fields to return (default all active ones); system fields always come. */
  fields?: string[];
  /** `exclude` (default) leaves out the recycle bin, `only` lists it. */
  deleted?: 'exclude' | 'only';
  /** Also count the matching records. */
  count?: boolean;
}

export type FilterTree = { and: FilterTree[] } | { or: FilterTree[] } | { not: FilterTree } | Condition;

export type Scalar = string | number | boolean;

export interface Condition {
  /** A field of the entity (`credit`) or, one hop through a lookup, of the related record (`customer.level`). */
  field: string;
  op: Operator;
  /** Absent for is_empty/is_not_empty, a list for in/not_in, [low, high] for between, else one value. */
  value?: Scalar | Scalar[];
}

export type Operator =
  | 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'not_in'
  | 'contains' | 'starts_with' | 'between' | 'is_empty' | 'is_not_empty';

export interface SortKey {
  field: string;
  direction?: 'asc' | 'desc';
}

/**
 * One page of records, keyed by field name — with `_labels`, the names of the records the
 * returned lookups point to, when there are any — and the cursor of the next page when there is one.
 */
export interface QueryResult {
  records: Record<string, unknown>[];
  /** Pass as `page.after` to get the next page; absent on the last page. */
  next?: string;
  /** With `count: true`: exact up to `countCap`, above it PostgreSQL's estimate (`exact: false`). */
  total?: { value: number; exact: boolean };
}

export const defaultSort: readonly Required<SortKey>[] = [{ field: 'created_at', direction: 'desc' }];
export const defaultPageSize = 50;

/** Counting stops here; beyond it the total is the planner's estimate, so counts stay cheap on big tables. */
export const countCap = 10_000;

/**
 * Bounds on a query's size, checked before anything else: a filter is a tree walked
 * recursively, and every list item may become a problem to report, so neither may grow without end.
 */
export const queryLimits = { filterDepth: 16, filterNodes: 500, listItems: 1000 } as const;
