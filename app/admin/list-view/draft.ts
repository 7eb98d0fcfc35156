// The list view designer's draft: the columns, sort, filter and page size of a `listView`
// document as the admin edits them (widths and the page size still as typed), the document it
// makes, and what is wrong with it at each control — before anything goes to the server.
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import type { FilterTree, SortKey } from '../../../engine/records/query/record-query.ts';
import type { TextKey } from '../../text/index.ts';

/** A field a column (or a sort key) can show: own, or one hop through a lookup (`customer.name`). */
export interface ColumnChoice {
  /** `name`, or `customer.name`. */
  path: string;
  /** `客户名称`, or `客户.客户名称`. */
  label: string;
  /** The heading it is listed under: the entity, or the lookup it is reached through. */
  group: string;
  /** The field type (`text`, `multiselect`…). */
  fieldType: string;
  /** Whether the records engine sorts on it. */
  sortable: boolean;
}

/** Column widths the meta-schema takes, in pixels. */
export const WIDTH = { min: 40, max: 800 } as const;
/** How many records the designer's preview shows. */
export const PREVIEW_ROWS = 10;
/** Page sizes the meta-schema takes. */
export const PAGE_SIZE = { min: 10, max: 200, default: 50 } as const;

/** A column as the admin edits it. */
export interface DraftColumn {
  /** Stable while the column is dragged around (the field may repeat while the admin fixes a duplicate). */
  key: string;
  field: string;
  /** As typed; '' is automatic. */
  width: string;
  hideable: boolean;
}

/** A default sort key as the admin edits it. */
export interface DraftSortKey {
  key: string;
  field: string;
  direction: 'asc' | 'desc';
}

/** What the designer edits of a list view: columns, default sort and filter, page size. */
export interface ListViewDraft {
  columns: DraftColumn[];
  sort: DraftSortKey[];
  filter?: FilterTree;
  pageSize: string;
}

/** A control of the designer a problem is shown at: a column's field or width, a sort key, the page size, the column list. */
export type ViewPlace =
  | { at: 'column'; key: string; part: 'field' | 'width' }
  | { at: 'sort'; key: string }
  | { at: 'pageSize' }
  | { at: 'columns' };

/** A problem of the draft at its control, as a text key and its parameters. */
export interface ViewProblem {
  place: ViewPlace;
  key: TextKey;
  params?: Record<string, string | number>;
}

let counter = 0;
/** A fresh key for a row of the designer. */
export function rowKey(): string {
  counter += 1;
  return `r${counter}`;
}

type StoredColumn = { field: string; width?: number; hideable?: boolean };

/** The draft of a list view document. */
export function draftOfView(view: MetadataDocument): ListViewDraft {
  return {
    columns: ((view.columns as StoredColumn[] | undefined) ?? []).map((c) => ({
      key: rowKey(), field: c.field, width: c.width === undefined ? '' : String(c.width), hideable: c.hideable !== false,
    })),
    sort: ((view.defaultSort as SortKey[] | undefined) ?? []).map((s) => ({ key: rowKey(), field: s.field, direction: s.direction ?? 'asc' })),
    ...(view.defaultFilter ? { filter: view.defaultFilter as FilterTree } : {}),
    pageSize: String(view.pageSize ?? PAGE_SIZE.default),
  };
}

/**
 * The list view document of a draft, keeping what the designer does not edit (label,
 * description, kanban) from `view`. A column's width is left out when automatic and
 * `hideable` only written when false (the meta-schema's default is true); numbers not yet
 * whole stay as typed, so the server's check refuses them too.
 */
export function viewOfDraft(view: MetadataDocument, draft: ListViewDraft): MetadataDocument {
  const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);
  const { defaultSort: _sort, defaultFilter: _filter, pageSize: _size, ...rest } = view;
  return {
    ...rest,
    columns: draft.columns.map((c) => ({
      field: c.field,
      ...(c.width.trim() === '' ? {} : { width: whole(c.width) }),
      ...(c.hideable ? {} : { hideable: false }),
    })),
    ...(draft.sort.length ? { defaultSort: draft.sort.map((s) => ({ field: s.field, direction: s.direction })) } : {}),
    ...(draft.filter ? { defaultFilter: draft.filter } : {}),
    pageSize: whole(draft.pageSize),
  };
}

/**
 * Everything the designer itself can see wrong with a draft, each at its control: a column or
 * sort key naming a field that is not (or no longer) there, a column shown twice, a width or
 * page size out of range, a sort on a field the records engine cannot sort, no column at all.
 * The engine checks the same document again (and more) when the admin reviews it.
 */
export function draftProblems(draft: ListViewDraft, choices: readonly ColumnChoice[]): ViewProblem[] {
  const problems: ViewProblem[] = [];
  const byPath = new Map(choices.map((c) => [c.path, c]));
  if (!draft.columns.length) problems.push({ place: { at: 'columns' }, key: 'alv_problem_no_columns' });
  const firstAt = new Map<string, number>();
  draft.columns.forEach((column, i) => {
    const choice = byPath.get(column.field);
    const field = { at: 'column', key: column.key, part: 'field' } as const;
    if (!choice) problems.push({ place: field, key: 'alv_problem_field', params: { field: column.field } });
    else if (firstAt.has(column.field)) problems.push({ place: field, key: 'alv_problem_duplicate', params: { label: choice.label, n: firstAt.get(column.field)! + 1 } });
    if (!firstAt.has(column.field)) firstAt.set(column.field, i);
    if (!widthFits(column.width)) problems.push({ place: { at: 'column', key: column.key, part: 'width' }, key: 'alv_problem_width', params: WIDTH });
  });
  const sorted = new Set<string>();
  for (const key of draft.sort) {
    const choice = byPath.get(key.field);
    const place = { at: 'sort', key: key.key } as const;
    if (!choice) problems.push({ place, key: 'alv_problem_sort_field', params: { field: key.field } });
    else if (!choice.sortable) problems.push({ place, key: 'alv_problem_unsortable', params: { label: choice.label, type: choice.fieldType } });
    else if (sorted.has(key.field)) problems.push({ place, key: 'alv_problem_sort_duplicate', params: { label: choice.label } });
    sorted.add(key.field);
  }
  const size = draft.pageSize.trim();
  if (!/^\d+$/.test(size) || Number(size) < PAGE_SIZE.min || Number(size) > PAGE_SIZE.max) {
    problems.push({ place: { at: 'pageSize' }, key: 'alv_problem_page_size', params: { min: PAGE_SIZE.min, max: PAGE_SIZE.max } });
  }
  return problems;
}

/** Whether a typed width is one the meta-schema takes ('' is automatic). */
function widthFits(width: string): boolean {
  const text = width.trim();
  return text === '' || (/^\d+$/.test(text) && Number(text) >= WIDTH.min && Number(text) <= WIDTH.max);
}

/**
 * The place a problem of the engine about the list view document is shown at: `/columns/2/width`
 * at the width of the third column of the draft it checked, `/defaultSort/0/field` at the first
 * sort key, `/pageSize` at the page size; undefined for the rest (the filter's are placed by
 * the filter builder, others shown above the review).
 */
export function placeOfPath(path: string, checked: ListViewDraft): ViewPlace | undefined {
  const [, top, index, part] = path.split('/');
  if (top === 'columns' && index !== undefined) {
    const column = checked.columns[Number(index)];
    return column ? { at: 'column', key: column.key, part: part === 'width' ? 'width' : 'field' } : { at: 'columns' };
  }
  if (top === 'columns') return { at: 'columns' };
  if (top === 'defaultSort' && index !== undefined && checked.sort[Number(index)]) return { at: 'sort', key: checked.sort[Number(index)]!.key };
  if (top === 'pageSize') return { at: 'pageSize' };
  return undefined;
}

/** Whether two places are the same control. */
export function samePlace(a: ViewPlace, b: ViewPlace): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
