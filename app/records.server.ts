import { documentKey, entitiesOf, isArchivedEntity, type EntityDocument, type FieldDefinition, type MetadataDocument } from '../engine/metadata/model.ts';
import { isFormaError } from '../engine/errors.ts';
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

/**
 * The columns of an entity's list: the list view's, in its order (统一字段顺序), without fields
 * hidden from the person; without a list view, the entity's first fields.
 */
export function listColumns(staff: Staff, entity: EntityDocument, view: MetadataDocument | undefined): Column[] {
  const hidden = staff.access.entity(entity.name)?.hidden ?? new Set<string>();
  type Configured = { field: string; width?: number; hideable?: boolean };
  const configured: Configured[] = (view?.columns as Configured[] | undefined)
    ?? Object.keys(entity.schema.properties).slice(0, 8).map((field) => ({ field }));
  return configured.flatMap((column) => {
    const field = entity.schema.properties[column.field];
    if (!field || field['x-forma'].archived || hidden.has(column.field) || field['x-forma'].type === 'lines') return [];
    return [{
      field: column.field, label: label(field['x-forma'].label, staff.locale), ...(column.width ? { width: column.width } : {}),
      hideable: column.hideable !== false, sortable: !['multiselect', 'file', 'richtext', 'textarea'].includes(field['x-forma'].type),
    }];
  });
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
