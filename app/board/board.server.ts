// The kanban board (看板) on the server: which field makes the columns, and one page of a
// column's cards through the records engine (record scope, hidden fields, capped counts).
import type { EntityDocument, FieldDefinition, MetadataDocument } from '../../engine/metadata/model.ts';
import { runQuery, type FilterTree, type SortKey } from '../../engine/records/query/index.ts';
import { entityRuntime } from '../../engine/records/runtime.ts';
import { formatRecords, listViewOf } from '../records.server.ts';
import type { Staff } from '../staff.server.ts';
import { label, t } from '../text/index.ts';
import { BOARD_PAGE_SIZE, EMPTY_COLUMN, type BoardCard, type BoardColumn, type ColumnPage } from './board.ts';

/** What a board is made of: the field whose options are its columns and the fields its cards show. */
export interface Kanban {
  entity: EntityDocument;
  view: MetadataDocument | undefined;
  groupBy: string;
  group: FieldDefinition;
  /** The field naming a card (the entity's display field). */
  titleField: string | undefined;
  /** The other fields a card shows, in order: the entity's own fields the person sees. */
  cardFields: string[];
  /** The columns, in option order, without cards: the option's value, label and colour. */
  columns: { key: string; label: string; color?: string }[];
  sort: SortKey[];
  filter?: FilterTree;
  /** Whether the person may change the group field at all (the engine still decides for each record). */
  canMove: boolean;
}

/**
 * The board of an entity for a person: the list view's `kanban` (group field and card fields)
 * when it has one, else the first choice field they see, with the list's columns on the cards;
 * undefined when the entity has no choice field they see. Columns follow the option order and
 * colours; records without a value get a column of their own unless the field is required.
 */
export function kanbanOf(staff: Staff, entity: EntityDocument): Kanban | undefined {
  const rules = staff.access.entity(entity.name);
  const hidden = rules?.hidden ?? new Set<string>();
  const usable = (name: string) => {
    const field = entity.schema.properties[name];
    return field && !field['x-forma'].archived && !hidden.has(name) ? field : undefined;
  };
  const view = listViewOf(staff, entity.name);
  const configured = view?.kanban as { groupBy: string; cardFields: string[] } | undefined;
  const isChoice = (name: string) => usable(name)?.['x-forma'].type === 'select' && (usable(name)?.['x-forma'].options?.length ?? 0) > 0;
  const groupBy = configured && isChoice(configured.groupBy)
    ? configured.groupBy
    : Object.keys(entity.schema.properties).find(isChoice);
  if (!groupBy) return undefined;
  const group = entity.schema.properties[groupBy]!;
  const titleField = entityRuntime(staff.model, staff.workspace, entity.name).display?.name;
  const wanted = configured?.groupBy === groupBy
    ? configured.cardFields
    : ((view?.columns as { field: string }[] | undefined)?.map((c) => c.field) ?? Object.keys(entity.schema.properties)).slice(0, 5);
  // Paths through lookups (`customer.level`) are not fields of the record a card shows; the
  // group field is the column itself; line items and long texts do not fit on a card.
  const cardFields = wanted.filter((name) => name !== titleField && name !== groupBy && usable(name)
    && !['lines', 'richtext', 'textarea', 'file'].includes(usable(name)!['x-forma'].type));
  const columns = (group['x-forma'].options ?? []).map((option) => ({
    key: option.value, label: label(option.label, staff.locale), ...(option.color ? { color: option.color } : {}),
  }));
  if (!entity.schema.required?.includes(groupBy)) columns.push({ key: EMPTY_COLUMN, label: t(staff.locale, 'board_empty_column') });
  return {
    entity, view, groupBy, group, titleField, cardFields, columns,
    sort: (view?.defaultSort as SortKey[] | undefined) ?? [{ field: 'created_at', direction: 'desc' }],
    ...(view?.defaultFilter ? { filter: view.defaultFilter as FilterTree } : {}),
    canMove: Boolean(rules?.rights.has('update')) && !rules?.readOnly.has(groupBy),
  };
}

/**
 * One page of a column: the records of the list view (its default filter and sort) whose group
 * field holds the column's option (or nothing, for the empty column), after `after` (the
 * previous page's cursor), as cards; with the column's count on the first page only.
 */
export async function columnPage(staff: Staff, kanban: Kanban, key: string, after?: string): Promise<ColumnPage> {
  const condition: FilterTree = key === EMPTY_COLUMN ? { field: kanban.groupBy, op: 'is_empty' } : { field: kanban.groupBy, op: 'eq', value: key };
  const fields = [...new Set([...(kanban.titleField ? [kanban.titleField] : []), ...kanban.cardFields])];
  const page = await runQuery(staff.ctx, staff.session.actor, kanban.entity.name, {
    filter: kanban.filter ? { and: [kanban.filter, condition] } : condition,
    sort: kanban.sort, fields, page: { size: BOARD_PAGE_SIZE, ...(after ? { after } : {}) }, count: !after,
  });
  const formatted = await formatRecords(staff, kanban.entity, page.records, fields);
  const cards: BoardCard[] = page.records.map((record, i) => {
    const { cells } = formatted[i]!;
    return {
      id: String(record.id),
      version: Number(record.version),
      title: (kanban.titleField && cells[kanban.titleField]?.text) || '—',
      fields: kanban.cardFields.map((field) => {
        const definition = kanban.entity.schema.properties[field]!;
        return { field, label: label(definition['x-forma'].label, staff.locale), type: definition['x-forma'].type, cell: cells[field] ?? { text: '' } };
      }),
    };
  });
  return { cards, ...(page.next ? { next: page.next } : {}), ...(page.total ? { total: page.total } : {}) };
}

/** Every column with its first page and its count. */
export async function boardColumns(staff: Staff, kanban: Kanban): Promise<BoardColumn[]> {
  return Promise.all(kanban.columns.map(async (column) => ({ ...column, ...(await columnPage(staff, kanban, column.key)) })));
}
