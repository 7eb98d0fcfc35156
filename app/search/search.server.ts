// The global search of the top bar (issue 6 §1) and the caller lookup (来电弹屏, §6): every
// answer through the records engine, so the person's record scope and hidden fields hold.
import { documentKey, type EntityDocument } from '../../engine/metadata/model.ts';
import { runQuery, type FilterTree, type SortKey } from '../../engine/records/query/index.ts';
import { entityRuntime } from '../../engine/records/runtime.ts';
import { lookupByPhone, quickSearch, type PhoneMatch } from '../../engine/records/search.ts';
import type { Cell } from '../format.server.ts';
import { CALLER_ENTITIES } from './caller.ts';
import { navigation } from '../navigation.server.ts';
import { formatListRows, formatRecords, listColumns, listViewOf, queryFieldsOf } from '../records.server.ts';
import type { Staff } from '../staff.server.ts';
import { label } from '../text/index.ts';


/** Hits of one entity for a search text, best first. */
export interface SearchGroup {
  entity: string;
  label: string;
  hits: { id: string; label: string; matched: string[] }[];
  /** More records match than shown: the list's quick search has them all. */
  more: boolean;
}

/**
 * Quick search across every entity the person may read that has searchable fields they see, in
 * the menu's order: a few best hits per entity, entities without hits left out.
 *
 * @example await searchEverything(staff, '新时代') // [{ entity: 'customer', hits: [{ label: '新时代网络公司', … }] }, { entity: 'opportunity', … }]
 */
export async function searchEverything(staff: Staff, text: string, perEntity = 5): Promise<SearchGroup[]> {
  const entities = navigation(staff.model, staff.access, staff.locale).flatMap((m) => m.entities).map((e) => entityOf(staff, e.name)!)
    .filter((entity) => entity && searchableFields(staff, entity).length > 0);
  const groups = await Promise.all(entities.map(async (entity): Promise<SearchGroup & { best: number }> => {
    const fields = entity.schema.properties;
    const hits = await quickSearch(staff.ctx, staff.session.actor, entity.name, text, { limit: perEntity + 1 });
    return {
      entity: entity.name,
      label: label(entity.label, staff.locale),
      hits: hits.slice(0, perEntity).map((hit) => ({
        id: hit.id, label: hit.label ?? '—', matched: hit.matched.map((f) => label(fields[f]?.['x-forma'].label, staff.locale) || f),
      })),
      more: hits.length > perEntity,
      best: hits[0]?.score ?? 0,
    };
  }));
  // Entities whose best hit starts with the text first (the customer named so before the
  // activities mentioning it), then by the best hit's score; the menu's order among equals.
  const starts = (g: SearchGroup) => (g.hits[0]?.label.toLowerCase().startsWith(text.trim().toLowerCase()) ? 1 : 0);
  return groups.filter((g) => g.hits.length > 0).sort((a, b) => starts(b) - starts(a) || b.best - a.best).map(({ best: _best, ...g }) => g);
}

/** A record shown on the caller card: its name, a link, and a few of its list's fields formatted. */
export interface CardRecord {
  entity: string;
  entityLabel: string;
  id: string;
  name: string;
  fields: { label: string; cell: Cell }[];
}

/** A small table of related records (activities, orders): headers and formatted rows. */
export interface RelatedTable {
  entity: string;
  columns: { field: string; label: string }[];
  rows: { id: string; cells: Cell[] }[];
  /** For orders: whether these are the open ones (a status tells), or just the latest. */
  open?: boolean;
}

/** One caller: the customer (when the person may read it) and the records holding the number. */
export interface Caller {
  key: string;
  /** With the label of its phone field when the number is the customer's own. */
  customer?: CardRecord & { matchedField?: string };
  /** The records whose phone field holds the number, with the field's label. */
  matches: (CardRecord & { field: string })[];
  activities?: RelatedTable;
  orders?: RelatedTable;
}

/**
 * Who is calling from `number` (来电弹屏): the records of every entity with a phone field
 * holding it (customers, contacts…), grouped by their customer — a contact's customer, an
 * order's customer — each customer with its latest activities and its open orders (the latest
 * ones while sales orders carry no status).
 *
 * @example await callersOf(staff, '021-6888 1234') // [{ customer: { name: '新时代网络公司', … }, matches: [{ entity: 'customer', field: '电话', … }], activities, orders }]
 */
export async function callersOf(staff: Staff, number: string): Promise<Caller[]> {
  const found = await lookupByPhone(staff.ctx, staff.session.actor, number, { limit: 10 });
  const groups = new Map<string, { customerId?: string; matches: PhoneMatch[] }>();
  for (const match of found) {
    const customerId = customerOf(staff, match);
    const key = customerId ? `customer:${customerId}` : `${match.entity}:${match.record.id}`;
    const group = groups.get(key) ?? { ...(customerId ? { customerId } : {}), matches: [] };
    if (!group.matches.some((m) => m.entity === match.entity && m.record.id === match.record.id)) group.matches.push(match);
    groups.set(key, group);
  }
  const callers = await Promise.all([...groups].map(async ([key, group]): Promise<Caller> => {
    const customer = group.customerId ? await customerCard(staff, group.customerId) : undefined;
    const matches = await Promise.all(group.matches.map(async (match) => {
      const entity = entityOf(staff, match.entity)!;
      // Under its customer's card a contact need not name the customer again.
      const link = customer ? customerLink(staff, entity) : undefined;
      const [card] = await cardRecords(staff, entity, [match.record], 6, link ? [link] : []);
      return { ...card!, field: label(entity.schema.properties[match.field]?.['x-forma'].label, staff.locale) || match.field };
    }));
    if (!customer) return { key, matches };
    const [activities, orders] = await Promise.all([latestActivities(staff, customer.id), openOrders(staff, customer.id)]);
    // The customer's own record is the card itself: the matches listed are the others (its contacts…).
    const own = matches.find((m) => m.entity === CALLER_ENTITIES.customer && m.id === customer.id);
    return {
      key,
      customer: { ...customer, ...(own ? { matchedField: own.field } : {}) },
      matches: matches.filter((m) => m !== own),
      ...(activities ? { activities } : {}),
      ...(orders ? { orders } : {}),
    };
  }));
  // The customer whose own number it is first, then those reached through a contact…
  return callers.sort((a, b) => Number(Boolean(b.customer?.matchedField)) - Number(Boolean(a.customer?.matchedField)));
}

/** The customer a matched record belongs to: itself, or the customer its first customer lookup points to. */
function customerOf(staff: Staff, match: PhoneMatch): string | undefined {
  if (match.entity === CALLER_ENTITIES.customer) return match.record.id;
  const entity = entityOf(staff, match.entity);
  const hidden = staff.access.entity(match.entity)?.hidden ?? new Set<string>();
  const field = Object.entries(entity?.schema.properties ?? {})
    .find(([name, f]) => f['x-forma'].type === 'lookup' && f['x-forma'].target === CALLER_ENTITIES.customer && !hidden.has(name) && match.record[name]);
  return field ? String(match.record[field[0]]) : undefined;
}

async function customerCard(staff: Staff, id: string): Promise<CardRecord | undefined> {
  const entity = readable(staff, CALLER_ENTITIES.customer);
  if (!entity) return undefined;
  const fields = fieldsOf(staff, entity, 10);
  const { records } = await runQuery(staff.ctx, staff.session.actor, entity.name, { filter: { field: 'id', op: 'eq', value: id }, fields, page: { size: 1 } });
  if (!records.length) return undefined;
  return (await cardRecords(staff, entity, records, 10))[0];
}

/** The customer's latest activities (联系记录), newest first. */
async function latestActivities(staff: Staff, customer: string): Promise<RelatedTable | undefined> {
  const entity = readable(staff, CALLER_ENTITIES.activity);
  const link = entity && customerLink(staff, entity);
  if (!entity || !link) return undefined;
  const time = entity.schema.properties.activity_time ? 'activity_time' : 'created_at';
  return relatedTable(staff, entity, { field: link, op: 'eq', value: customer }, [{ field: time, direction: 'desc' }, { field: 'created_at', direction: 'desc' }], link);
}

/**
 * The customer's open sales orders: those whose status is not a closed option of the order's
 * status field (a select with options marked `closed`, e.g. 已完成 / 已取消 in the standard CRM).
 * An order entity without such a field shows the latest orders, marked as such (`open: false`).
 */
async function openOrders(staff: Staff, customer: string): Promise<RelatedTable | undefined> {
  const entity = readable(staff, CALLER_ENTITIES.order);
  const link = entity && customerLink(staff, entity);
  if (!entity || !link) return undefined;
  const sort: SortKey[] = [{ field: 'created_at', direction: 'desc' }];
  const ofCustomer: FilterTree = { field: link, op: 'eq', value: customer };
  const status = closingField(staff, entity);
  if (!status) return { ...(await relatedTable(staff, entity, ofCustomer, sort, link)), open: false };
  const notClosed: FilterTree = { or: [{ field: status.field, op: 'is_empty' }, { field: status.field, op: 'not_in', value: status.closed }] };
  return { ...(await relatedTable(staff, entity, { and: [ofCustomer, notClosed] }, sort, link)), open: true };
}

/** The entity's select field with options marked `closed`, if the person sees one: what "open" means for its records. */
function closingField(staff: Staff, entity: EntityDocument): { field: string; closed: string[] } | undefined {
  const hidden = staff.access.entity(entity.name)?.hidden;
  for (const [field, definition] of Object.entries(entity.schema.properties)) {
    const options = definition['x-forma'];
    const closed = options.type === 'select' && !options.archived && !hidden?.has(field) ? (options.options ?? []).filter((o) => o.closed).map((o) => o.value) : [];
    if (closed.length) return { field, closed };
  }
  return undefined;
}

async function relatedTable(staff: Staff, entity: EntityDocument, filter: FilterTree, sort: SortKey[], link: string): Promise<RelatedTable> {
  const columns = listColumns(staff, entity, listViewOf(staff, entity.name)).filter((c) => c.field !== link).slice(0, 5);
  const fields = columns.map((c) => c.field);
  const { records } = await runQuery(staff.ctx, staff.session.actor, entity.name, { filter, sort, fields: queryFieldsOf(fields), page: { size: 5 } });
  const rows = await formatListRows(staff, entity, records, fields);
  return {
    entity: entity.name,
    columns: columns.map((c) => ({ field: c.field, label: c.label })),
    rows: rows.map((row) => ({ id: row.id, cells: fields.map((f) => row.cells[f] ?? { text: '' }) })),
  };
}

/** Records as caller-card entries: the name, then up to `count` of the list's other fields. */
async function cardRecords(
  staff: Staff, entity: EntityDocument, records: Record<string, unknown>[], count: number, except: string[] = [],
): Promise<CardRecord[]> {
  const display = entityRuntime(staff.model, staff.workspace, entity.name).display?.name;
  const columns = ownColumns(staff, entity).filter((c) => c.field !== display && !except.includes(c.field)).slice(0, count);
  const fields = [...(display ? [display] : []), ...columns.map((c) => c.field)];
  const rows = await formatRecords(staff, entity, records, fields);
  return rows.map((row) => ({
    entity: entity.name,
    entityLabel: label(entity.label, staff.locale),
    id: row.id,
    name: (display && row.cells[display]?.text) || '—',
    fields: columns.map((c) => ({ label: c.label, cell: row.cells[c.field] ?? { text: '' } })).filter((f) => f.cell.text),
  }));
}

/** The fields of an entity's list the person sees (its display field first), for a query. */
function fieldsOf(staff: Staff, entity: EntityDocument, count: number): string[] {
  const display = entityRuntime(staff.model, staff.workspace, entity.name).display?.name;
  const columns = ownColumns(staff, entity).map((c) => c.field).filter((f) => f !== display).slice(0, count);
  return [...(display ? [display] : []), ...columns];
}

/** The list's columns of the entity's own fields (a card has no room for fields one lookup away). */
function ownColumns(staff: Staff, entity: EntityDocument) {
  return listColumns(staff, entity, listViewOf(staff, entity.name)).filter((c) => !c.field.includes('.'));
}

/** The lookup field of an entity pointing to customers, when the person sees it. */
function customerLink(staff: Staff, entity: EntityDocument): string | undefined {
  const hidden = staff.access.entity(entity.name)?.hidden ?? new Set<string>();
  return Object.entries(entity.schema.properties)
    .find(([name, f]) => f['x-forma'].type === 'lookup' && f['x-forma'].target === CALLER_ENTITIES.customer && !f['x-forma'].archived && !hidden.has(name))?.[0];
}

function entityOf(staff: Staff, name: string): EntityDocument | undefined {
  return staff.model.get(documentKey({ kind: 'entity', name })) as EntityDocument | undefined;
}

/** The entity, when it exists and the person may read it. */
function readable(staff: Staff, name: string): EntityDocument | undefined {
  const entity = entityOf(staff, name);
  return entity && !entity.schema['x-forma']?.archived && staff.access.entity(name)?.rights.has('read') ? entity : undefined;
}

function searchableFields(staff: Staff, entity: EntityDocument): string[] {
  const hidden = staff.access.entity(entity.name)?.hidden ?? new Set<string>();
  return Object.entries(entity.schema.properties)
    .filter(([name, f]) => f['x-forma'].searchable === true && !f['x-forma'].archived && !hidden.has(name)).map(([name]) => name);
}
