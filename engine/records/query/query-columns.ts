import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { ColumnType } from '../../field-types/field-type.ts';
import type { MessageCode } from '../../i18n/messages.ts';
import type { Model } from '../../metadata/model.ts';
import type { Access } from '../../security/access.ts';
import { entityTable, type EntityTable, type systemFields } from '../entity-table.ts';
import { valueKind, type ValueKind } from './operators.ts';

/**
 * A column a query filters or sorts on, resolved from a field path through the metadata: the
 * SQL reference is built from the table alias and the column name that `entityTable()` knows,
 * never from the text of the request.
 */
export interface QueryColumn {
  /** The path as the query names it: `credit`, `customer.level`. */
  path: string;
  /** `"r"."credit"`, or `"j0"."level"` through a lookup join. */
  ref: RawBuilder<unknown>;
  type: ColumnType;
  kind: ValueKind;
  /** The field type (or `uuid`/`user`/`datetime` for system columns), for messages. */
  fieldType: string;
  /** Whether the column can hold null: anything behind a LEFT JOIN can. */
  nullable: boolean;
  /** JSON Schema of one value of the field (one option for a multiselect). */
  valueSchema: Record<string, unknown>;
  /** Names `valueSchema` within a model, so its compiled validator is cached. */
  schemaKey: string;
}

/**
 * A lookup followed one hop: `left join <target> as <alias> on <alias>.id = r.<column> and
 * <scope>` — the related record counts only when the actor may read it.
 */
export interface LookupJoin {
  alias: string;
  table: string;
  column: string;
  scope?: Expression<SqlBool>;
}

/** Why a path names no column a query can use, as a message code and its parameters. */
export interface PathRefusal {
  code: MessageCode;
  params: Record<string, unknown>;
}

type SystemField = (typeof systemFields)[number];

/** The alias of the queried table in every statement the query module builds. */
export const recordAlias = 'r';

/** The column type of each system field, as records show them (`systemFields` in entity-table.ts). */
export const systemColumnTypes: Readonly<Record<SystemField, ColumnType>> = {
  id: { sql: 'uuid' },
  created_at: { sql: 'timestamptz' },
  created_by: { sql: 'uuid' },
  updated_at: { sql: 'timestamptz' },
  updated_by: { sql: 'uuid' },
  owner_id: { sql: 'uuid' },
  version: { sql: 'bigint' },
  deleted_at: { sql: 'timestamptz' },
};

const uuidSchema = { type: 'string', format: 'uuid' };
const momentSchema = { type: 'string', format: 'date-time' };

/**
 * System fields a query may filter and sort on, with how they behave. `version` (optimistic
 * locking) comes with every record but is not queryable: its column is a 4-byte integer,
 * which no field type has.
 */
const queryableSystemFields: Partial<Record<SystemField, { fieldType: string; nullable: boolean; schema: Record<string, unknown> }>> = {
  id: { fieldType: 'uuid', nullable: false, schema: uuidSchema },
  created_at: { fieldType: 'datetime', nullable: false, schema: momentSchema },
  created_by: { fieldType: 'user', nullable: true, schema: uuidSchema },
  updated_at: { fieldType: 'datetime', nullable: false, schema: momentSchema },
  updated_by: { fieldType: 'user', nullable: true, schema: uuidSchema },
  owner_id: { fieldType: 'user', nullable: true, schema: uuidSchema },
  deleted_at: { fieldType: 'datetime', nullable: true, schema: momentSchema },
};

/**
 * Resolves field paths of a query on `own`: its fields and system columns, or one hop through
 * a lookup (`customer.level`), which adds one LEFT JOIN per lookup however often it is used.
 * Archived fields and entities are unknown, and so are fields hidden from the actor and fields
 * of entities they may not read: a filter is no way to learn a hidden value.
 * Deeper paths never get here (the shape refuses them).
 */
export function columnResolver(model: Model, workspace: string, own: EntityTable, access: Access) {
  const joins = new Map<string, LookupJoin>();
  const hidden = (table: EntityTable) => access.entity(table.entity.name)?.hidden;

  function resolve(path: string): QueryColumn | PathRefusal {
    const [first, second] = path.split('.') as [string, string | undefined];
    if (second === undefined) return hidden(own)?.has(first) ? missing(own, first) : columnOf(own, recordAlias, first, path);
    const lookup = hidden(own)?.has(first) ? undefined : own.fields.get(first);
    if (!lookup) return missing(own, first);
    if (lookup.definition['x-forma'].type !== 'lookup') return { code: 'query_path_not_lookup', params: { field: first, path } };
    const unknown: PathRefusal = { code: 'field_unknown', params: { entity: own.entity.name, field: path } };
    let target: EntityTable;
    try {
      target = entityTable(model, workspace, lookup.definition['x-forma'].target!);
    } catch {
      return unknown; // target archived
    }
    if (!access.entity(target.entity.name)?.rights.has('read') || hidden(target)?.has(second)) return unknown;
    const alias = joins.get(first)?.alias ?? `j${joins.size}`;
    const join = joins.get(first) ?? { alias, table: target.table, column: lookup.column, scope: access.scope(target.entity.name, alias, 'read') };
    const column = columnOf(target, join.alias, second, path);
    if ('ref' in column) joins.set(first, join);
    return column;
  }

  return { resolve, joins: (): LookupJoin[] => [...joins.values()] };
}

export function isRefusal(resolved: QueryColumn | PathRefusal): resolved is PathRefusal {
  return 'code' in resolved;
}

function columnOf(table: EntityTable, alias: string, name: string, path: string): QueryColumn | PathRefusal {
  const joined = alias !== recordAlias;
  const system = Object.hasOwn(queryableSystemFields, name) ? queryableSystemFields[name as SystemField]! : undefined;
  if (system) {
    const type = systemColumnTypes[name as SystemField];
    return {
      path, ref: sql.id(alias, name), type, kind: valueKind(system.fieldType, type),
      fieldType: system.fieldType, nullable: joined || system.nullable, valueSchema: system.schema, schemaKey: `system:${name}`,
    };
  }
  const field = table.fields.get(name);
  if (!field) return missing(table, name);
  const fieldType = field.definition['x-forma'].type;
  const { 'x-forma': _options, ...schema } = field.definition;
  const kind = valueKind(fieldType, field.type);
  const required = table.entity.schema.required?.includes(name) ?? false;
  return {
    path, ref: sql.id(alias, field.column), type: field.type, kind, fieldType, nullable: joined || !required,
    valueSchema: kind === 'choices' ? (schema.items as Record<string, unknown>) : schema,
    schemaKey: `${table.entity.name}:${name}`,
  };
}

function missing(table: EntityTable, name: string): PathRefusal {
  const lines = table.lines.get(name);
  if (lines) return { code: 'query_lines_field', params: { field: name, entity: lines } };
  return { code: 'field_unknown', params: { entity: table.entity.name, field: name } };
}
