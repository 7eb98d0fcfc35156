import { isFormaError } from '../../../engine/errors.ts';
import type { EntityDocument, MetadataDocument } from '../../../engine/metadata/model.ts';
import { entityTable, systemFields, type ColumnField } from '../../../engine/records/entity-table.ts';
import { runQuery, type FilterTree, type SortKey } from '../../../engine/records/query/index.ts';
import { unsortableKinds, valueKind } from '../../../engine/records/query/operators.ts';
import type { Cell } from '../../format.server.ts';
import { filterFields } from '../../lists/fields.server.ts';
import type { FieldChoice, FilterProblem } from '../../lists/filter.ts';
import { readableProblems } from '../../lists/problems.server.ts';
import { formatListRows, listColumns, listViewOf, queryFieldsOf } from '../../records.server.ts';
import { label, t } from '../../text/index.ts';
import type { Admin } from '../admin.server.ts';
import { PAGE_SIZE, PREVIEW_ROWS, type ColumnChoice } from './draft.ts';

/**
 * The list view the designer edits: the entity's (`<entity>_all` first, as the staff list picks
 * it), or, when it has none, a new `<entity>_all` with the columns staff see now.
 */
export function editedView(admin: Admin, entity: EntityDocument): { view: MetadataDocument; isNew: boolean } {
  const view = listViewOf(admin, entity.name);
  if (view) return { view, isNew: false };
  const entityLabel = (locale: 'zh-CN' | 'en') => t(locale, 'alv_default_label', { entity: label(entity.label, locale) });
  return {
    isNew: true,
    view: {
      kind: 'listView', name: `${entity.name}_all`, label: { 'zh-CN': entityLabel('zh-CN'), en: entityLabel('en') }, entity: entity.name,
      columns: listColumns(admin, entity, undefined).map((column) => ({ field: column.field })),
      pageSize: PAGE_SIZE.default,
    },
  };
}

/**
 * The fields a column or a sort key can name: the entity's active fields, and one hop through
 * each of its lookups the active fields of the looked-up entity (`customer.name`), each saying
 * whether the records engine can sort on it.
 */
export function columnChoices(admin: Admin, entity: EntityDocument): ColumnChoice[] {
  const table = entityTable(admin.model, admin.workspace, entity.name);
  const group = label(entity.label, admin.locale);
  const choice = (field: ColumnField, path: string, text: string, heading: string): ColumnChoice => ({
    path, label: text, group: heading, fieldType: field.definition['x-forma'].type,
    sortable: !unsortableKinds.has(valueKind(field.definition['x-forma'].type, field.type)),
  });
  const choices = [...table.fields.values()].map((f) => choice(f, f.name, label(f.definition['x-forma'].label, admin.locale), group));
  for (const lookup of table.fields.values()) {
    if (lookup.definition['x-forma'].type !== 'lookup') continue;
    const target = activeTable(admin, lookup.definition['x-forma'].target!);
    if (!target) continue;
    const lookupLabel = label(lookup.definition['x-forma'].label, admin.locale);
    const heading = t(admin.locale, 'alv_lookup_group', { lookup: lookupLabel, entity: label(target.entity.label, admin.locale) });
    for (const far of target.fields.values()) {
      choices.push(choice(far, `${lookup.name}.${far.name}`, `${lookupLabel}.${label(far.definition['x-forma'].label, admin.locale)}`, heading));
    }
  }
  return choices;
}

/**
 * The fields the default filter's builder offers: the staff filter builder's, without the
 * system columns (创建时间…), which a list view's filter cannot name (the model check takes
 * only the entity's fields there).
 */
export function viewFilterFields(admin: Admin, entity: EntityDocument): FieldChoice[] {
  const system = new Set<string>(systemFields);
  return filterFields(admin, entity).filter((f) => !system.has(f.path));
}

/** What the preview shows: the draft's columns (field paths in order), sort and filter. */
export interface PreviewRequest {
  columns: string[];
  sort: SortKey[];
  filter?: FilterTree;
}

/** The first records as the draft would list them, or where the engine refused the draft's sort or filter. */
export interface ListPreview {
  rows: { id: string; cells: Record<string, Cell> }[];
  total?: { value: number; exact: boolean };
  /** The engine's problems: at a sort key (by its index), in the filter (pointers into it, for the builder), or elsewhere. */
  problems: { sort: { index: number; message: string }[]; filter: FilterProblem[]; other: string[] };
}

/** The preview request of a list view document (what the designer shows before any edit). */
export function previewRequestOfView(view: MetadataDocument): PreviewRequest {
  return {
    columns: ((view.columns as { field: string }[] | undefined) ?? []).map((c) => c.field),
    sort: ((view.defaultSort as SortKey[] | undefined) ?? []).map((s) => ({ field: s.field, direction: s.direction ?? 'asc' })),
    ...(view.defaultFilter ? { filter: view.defaultFilter as FilterTree } : {}),
  };
}

/** The preview request in the designer's address (`?preview=<JSON>`); a malformed one is the browser's bug: 400. */
export function parsePreviewRequest(json: string): PreviewRequest {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Response('Bad request: preview is not JSON', { status: 400 });
  }
  const request = value as Partial<PreviewRequest> | null;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  if (!request || !strings(request.columns) || !Array.isArray(request.sort)
    || !request.sort.every((s) => typeof s?.field === 'string' && (s.direction === 'asc' || s.direction === 'desc'))
    || (request.filter !== undefined && (typeof request.filter !== 'object' || request.filter === null || Array.isArray(request.filter)))) {
    throw new Response('Bad request: preview', { status: 400 });
  }
  return request as PreviewRequest;
}

/**
 * The first records of the entity as a draft list view shows them — its columns (own fields
 * and fields one lookup away), sort and filter — through the records engine as the admin, the
 * cells formatted as the staff list formats them. What the engine refuses in the sort or the
 * filter comes back as problems at their place instead of rows. Columns naming no active field
 * stay empty (the designer says why at the column).
 */
export async function previewList(admin: Admin, entity: EntityDocument, request: PreviewRequest, filterChoices: readonly FieldChoice[]): Promise<ListPreview> {
  // The columns naming a field the admin sees (the designer says at the others why they stay empty).
  const shown = listColumns(admin, entity, { columns: request.columns.map((field) => ({ field })) } as unknown as MetadataDocument).map((c) => c.field);
  try {
    const page = await runQuery(admin.ctx, admin.session.actor, entity.name, {
      fields: queryFieldsOf(shown), page: { size: PREVIEW_ROWS }, count: true,
      ...(request.sort.length ? { sort: request.sort } : {}),
      ...(request.filter ? { filter: request.filter } : {}),
    });
    const rows = await formatListRows(admin, entity, page.records, shown);
    return { rows, ...(page.total ? { total: page.total } : {}), problems: { sort: [], filter: [], other: [] } };
  } catch (error) {
    if (!isFormaError(error) || error.code !== 'query_invalid') throw error;
    const sort = error.problems.flatMap((p) => {
      const index = /^\/sort\/(\d+)/.exec(p.path)?.[1];
      return index === undefined ? [] : [{ index: Number(index), message: p.message[admin.locale] }];
    });
    const rest = error.problems.filter((p) => !p.path.startsWith('/sort/'));
    const { problems: filter, others } = readableProblems(rest, request.filter, '/filter', filterChoices, admin.locale);
    return { rows: [], problems: { sort, filter, other: others } };
  }
}

/** The table of an entity that is in use, or undefined for an archived or unknown one. */
function activeTable(admin: Admin, name: string): ReturnType<typeof entityTable> | undefined {
  try {
    return entityTable(admin.model, admin.workspace, name);
  } catch (error) {
    if (isFormaError(error)) return undefined;
    throw error;
  }
}
