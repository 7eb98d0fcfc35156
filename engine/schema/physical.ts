import { createHash } from 'node:crypto';
import { fieldType } from '../field-types/registry.ts';
import type { ColumnType } from '../field-types/field-type.ts';
import { entitiesOf, type EntityDocument, type Model } from '../metadata/model.ts';
import { isOwnerBinding } from '../metadata/names.ts';

/**
 * The physical shape of an entity's table as its metadata asks for it. Names come only from
 * validated metadata (the name pattern) and are always quoted when used; the planner compares
 * two shapes to find the DDL that turns one into the other.
 */
export interface TableShape {
  table: string;
  /** The parent table when the entity holds the rows of a `lines` field. */
  lineOf?: string;
  hasState: boolean;
  columns: Map<string, ColumnShape>;
  indexes: Map<string, IndexShape>;
  foreignKeys: Map<string, ForeignKeyShape>;
}

export interface ColumnShape {
  column: string;
  field: string;
  type: ColumnType;
  notNull: boolean;
}

export interface IndexShape {
  name: string;
  column: string;
  /**
   * `btree`: on (column, id) — filters, and sorted pages read straight off the index in either
   * direction (id breaks ties); unique ones on the column alone. `owned`: on (owner_id, column,
   * id) — the same for someone whose record scope is their own records, so a salesperson's
   * sorted list of their 50,000 customers among a million is read off an index too. `digits`:
   * a B-tree on the value's digits only, so '021-6888 1234' is found as 02168881234.
   */
  method: 'btree' | 'owned' | 'gin' | 'trigram' | 'digits';
  unique: boolean;
}

export interface ForeignKeyShape {
  name: string;
  column: string;
  target: string;
}

const POSTGRES_NAME_LIMIT = 63;

/** The PostgreSQL schema holding a workspace's generated tables. */
export function workspaceSchema(workspace: string): string {
  return `ws_${workspace}`;
}

/** A derived object name, shortened with a hash when it would pass PostgreSQL's 63-byte limit. */
export function objectName(...parts: string[]): string {
  const full = parts.join('_');
  if (full.length <= POSTGRES_NAME_LIMIT) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, POSTGRES_NAME_LIMIT - 9)}_${hash}`;
}

/** The table shape of every entity of a model (archived ones too: their tables stay). */
export function modelShape(model: Model): Map<string, TableShape> {
  const lineOf = new Map<string, string>();
  for (const entity of entitiesOf(model)) {
    // Archived lines fields still link their rows to the parent: the link outlives the field.
    for (const field of Object.values(entity.schema.properties)) {
      if (field['x-forma'].type === 'lines') lineOf.set(field['x-forma'].entity!, entity.name);
    }
  }
  return new Map(entitiesOf(model).map((e) => [e.name, tableShape(e, lineOf.get(e.name))]));
}

function tableShape(entity: EntityDocument, lineOf: string | undefined): TableShape {
  const table = entity.name;
  const required = new Set(entity.schema.required ?? []);
  const shape: TableShape = {
    table, lineOf, hasState: Boolean(entity.schema['x-forma']?.workflow),
    columns: new Map(), indexes: new Map(), foreignKeys: new Map(),
  };
  const index = (column: string, method: IndexShape['method'], unique = false) => {
    const suffix = unique ? 'key' : method === 'trigram' ? 'trgm' : method === 'digits' ? 'digits' : method === 'owned' ? 'own' : 'idx';
    const name = objectName(table, column, suffix);
    shape.indexes.set(name, { name, column, method, unique });
  };
  for (const [fieldName, field] of Object.entries(entity.schema.properties)) {
    const options = field['x-forma'];
    const type = fieldType(options.type).column(options);
    if (!type) continue;
    const column = options.column ?? fieldName;
    // The owner field is the system owner_id column, created and indexed with every table.
    if (isOwnerBinding(options)) continue;
    const archived = options.archived === true;
    shape.columns.set(column, { column, field: fieldName, type, notNull: !archived && required.has(fieldName) });
    if (options.searchable) index(column, 'trigram');
    if (options.type === 'phone') index(column, 'digits');
    if (options.unique || options.type === 'autonumber') index(column, 'btree', true);
    else if (options.filterable || options.type === 'lookup') index(column, type.sql === 'text[]' ? 'gin' : 'btree');
    // Line items are reached through their parent: they have no owner of their own.
    if (options.filterable && !options.unique && type.sql !== 'text[]' && !lineOf) index(column, 'owned');
    if (options.type === 'lookup') {
      const name = objectName(table, column, 'fkey');
      shape.foreignKeys.set(name, { name, column, target: options.target! });
    }
  }
  return shape;
}
