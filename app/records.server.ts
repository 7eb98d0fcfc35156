import { documentKey, entitiesOf, isArchivedEntity, type EntityDocument, type FieldDefinition, type MetadataDocument } from '../engine/metadata/model.ts';
import { isFormaError } from '../engine/errors.ts';
import { runQuery } from '../engine/records/query/index.ts';
import { userNames } from '../engine/security/users.ts';
import { formatCell, type Cell } from './format.server.ts';
import type { Staff } from './staff.server.ts';
import { label, t, type Locale } from './text/index.ts';

/** A column of a list: the field, its header, and whether people may hide it. */
export interface Column {
  field: string;
  label: string;
  width?: number;
  hideable: boolean;
  sortable: boolean;
}

/**
 * The entity a staff page is about, or the page's error: 404 when it does not exist for the
 * person (or sits in a module their roles hide), 403 when their roles may not read it.
 */
export function readableEntity(staff: Staff, name: string): EntityDocument {
  const entity = staff.model.get(documentKey({ kind: 'entity', name })) as EntityDocument | undefined;
  const rules = staff.access.entity(name);
  if (!entity || isArchivedEntity(entity) || !rules) throw new Response(t(staff.locale, 'not_found_lead'), { status: 404 });
  if (!rules.rights.has('read')) throw new Response(t(staff.locale, 'forbidden_title'), { status: 403 });
  return entity;
}

/** The admin's list view of an entity (`<entity>_all` first), if there is one. */
export function listViewOf(staff: Staff, entity: string): MetadataDocument | undefined {
  const views = [...staff.model.values()].filter((doc) => doc.kind === 'listView' && doc.entity === entity);
  return views.find((v) => v.name === `${entity}_all`) ?? views[0];
}

/** Field types a list cannot sort by. */
const UNSORTABLE = new Set(['multiselect', 'file', 'richtext', 'textarea', 'lines']);

/**
 * The columns of an entity's list: the list view's, in its order (统一字段顺序) — own fields and
 * fields one lookup away (`customer.level`, headed 「客户 · 客户等级」) — without fields hidden
 * from the person or of an entity they may not read; without a list view, the entity's first fields.
 */
export function listColumns(staff: Staff, entity: EntityDocument, view: MetadataDocument | undefined): Column[] {
  type Configured = { field: string; width?: number; hideable?: boolean };
  const configured: Configured[] = (view?.columns as Configured[] | undefined)
    ?? Object.keys(entity.schema.properties).slice(0, 8).map((field) => ({ field }));
  return configured.flatMap((column) => {
    const [first, far] = column.field.split('.') as [string, string | undefined];
    const field = visibleField(staff, entity, first);
    if (!field || field['x-forma'].type === 'lines') return [];
    let header = label(field['x-forma'].label, staff.locale);
    let shown = field;
    if (far !== undefined) {
      const target = field['x-forma'].type === 'lookup' ? readableTarget(staff, field['x-forma'].target!) : undefined;
      const farField = target && visibleField(staff, target, far);
      if (!farField) return [];
      header = `${header} · ${label(farField['x-forma'].label, staff.locale)}`;
      shown = farField;
    }
    return [{
      field: column.field, label: header, ...(column.width ? { width: column.width } : {}),
      hideable: column.hideable !== false, sortable: !UNSORTABLE.has(shown['x-forma'].type),
    }];
  });
}

/** A field of an entity that is in use and not hidden from the person. */
function visibleField(staff: Staff, entity: EntityDocument, name: string): FieldDefinition | undefined {
  const field = entity.schema.properties[name];
  const hidden = staff.access.entity(entity.name)?.hidden;
  return field && !field['x-forma'].archived && !hidden?.has(name) ? field : undefined;
}

/** An entity in use that the person may read, by name. */
function readableTarget(staff: Staff, name: string): EntityDocument | undefined {
  const target = staff.model.get(documentKey({ kind: 'entity', name })) as EntityDocument | undefined;
  return target && !isArchivedEntity(target) && staff.access.entity(name)?.rights.has('read') ? target : undefined;
}

/** The fields a list query asks for to show `columns`: its own fields, and the lookup each one-hop column goes through. */
export function queryFieldsOf(columns: readonly string[]): string[] {
  return [...new Set(columns.map((c) => c.split('.')[0]!))];
}

/** Records formatted for a screen: each field's cell, with the names of their lookups and users. */
export async function formatRecords(
  staff: Staff, entity: EntityDocument, records: Record<string, unknown>[], fields: string[],
): Promise<{ id: string; cells: Record<string, Cell> }[]> {
  const userFields = fields.filter((f) => entity.schema.properties[f]?.['x-forma'].type === 'user');
  const users = await userNames(staff.db, records.flatMap((r) => [...userFields.map((f) => r[f] as string), r.owner_id as string, r.updated_by as string]));
  return records.map((record) => ({
    id: String(record.id),
    cells: Object.fromEntries(fields.map((f) => [f, formatCell(entity.schema.properties[f] as FieldDefinition, record[f], {
      locale: staff.locale, users, lookupLabel: (record._labels as Record<string, string | null> | undefined)?.[f],
    })])),
  }));
}

/**
 * The rows of a list: each column's cell, own fields as `formatRecords` makes them and fields
 * one lookup away (`customer.level`) read from the looked-up records through the records engine
 * as the person — one query per lookup for the whole page — so their scope and hidden fields
 * hold there too (a record they may not read leaves its cells empty).
 */
export async function formatListRows(
  staff: Staff, entity: EntityDocument, records: Record<string, unknown>[], columns: readonly string[],
): Promise<{ id: string; cells: Record<string, Cell> }[]> {
  const rows = await formatRecords(staff, entity, records, columns.filter((c) => !c.includes('.')));
  const hops = new Map<string, string[]>();
  for (const column of columns) {
    const [lookup, far] = column.split('.') as [string, string | undefined];
    if (far !== undefined) hops.set(lookup, [...(hops.get(lookup) ?? []), far]);
  }
  for (const [lookup, far] of hops) {
    const target = readableTarget(staff, entity.schema.properties[lookup]?.['x-forma'].target ?? '');
    const ids = [...new Set(records.map((r) => r[lookup]).filter((id): id is string => typeof id === 'string'))];
    if (!target || !ids.length) continue;
    const { records: linked } = await runQuery(staff.ctx, staff.session.actor, target.name, {
      filter: { field: 'id', op: 'in', value: ids }, fields: far, page: { size: ids.length },
    });
    const cells = new Map((await formatRecords(staff, target, linked, far)).map((row) => [row.id, row.cells]));
    rows.forEach((row, i) => {
      const found = cells.get(String(records[i]![lookup]));
      for (const name of far) if (found?.[name]) row.cells[`${lookup}.${name}`] = found[name]!;
    });
  }
  return rows;
}

/** Entities with a lookup to `entity`, and the field: the related lists of its record page. */
export function relatedLists(staff: Staff, entity: string): { entity: EntityDocument; field: string }[] {
  return entitiesOf(staff.model).flatMap((other) => {
    if (isArchivedEntity(other) || !staff.access.entity(other.name)?.rights.has('read')) return [];
    const hidden = staff.access.entity(other.name)!.hidden;
    return Object.entries(other.schema.properties)
      .filter(([name, f]) => f['x-forma'].type === 'lookup' && f['x-forma'].target === entity && !f['x-forma'].archived && !hidden.has(name))
      .map(([field]) => ({ entity: other, field }));
  });
}

/** An engine refusal on a page: its HTTP status and message in the person's language, as an error page. */
export function pageError(error: unknown, locale: Locale): never {
  if (isFormaError(error)) {
    const status = error.code === 'record_not_found' || error.code === 'entity_unknown' ? 404 : error.code === 'permission_denied' ? 403 : 400;
    throw new Response(error.text[locale], { status });
  }
  throw error;
}
