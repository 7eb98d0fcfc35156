import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { ValidateFunction } from 'ajv';
import type { ColumnType } from '../../field-types/field-type.ts';
import { createAjv } from '../../metadata/ajv.ts';
import { databaseRefusal } from '../column-input.ts';
import type { QueryColumn } from './query-columns.ts';

/** A sort key as the query compiles it. */
export interface CheckedSortKey {
  column: QueryColumn;
  direction: 'asc' | 'desc';
}

/** Where the previous page ended: its last row's sort values (in column text form) and id. */
export interface Cursor {
  values: CursorValue[];
  id: string;
}

export type CursorValue = string | boolean | null;

/**
 * The sort a cursor was made for, e.g. `['+level', '-credit']`: a cursor is refused with
 * another sort, where its values would mean something else.
 */
function signature(sort: readonly CheckedSortKey[]): string[] {
  return sort.map((key) => `${key.direction === 'asc' ? '+' : '-'}${key.column.path}`);
}

/** A cursor as clients pass it back: base64url of `{"s": signature, "v": values, "id": id}`. */
export function encodeCursor(sort: readonly CheckedSortKey[], values: CursorValue[], id: string): string {
  return Buffer.from(JSON.stringify({ s: signature(sort), v: values, id }), 'utf8').toString('base64url');
}

/**
 * The SQL giving a sort value in the form a cursor keeps it: text that reads back exactly as
 * the column type (numeric digits, timestamps to the microsecond in UTC — a JS Date would
 * lose the microseconds and skip or repeat rows), booleans as they are.
 */
export function cursorValueSql(column: QueryColumn): RawBuilder<unknown> {
  switch (column.type.sql) {
    case 'boolean':
      return column.ref;
    case 'timestamptz':
      return sql`to_char(${column.ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    default:
      return sql`cast(${column.ref} as text)`;
  }
}

const plainUuid = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** What each column type's cursor values look like (as `cursorValueSql` writes them). */
const valueSchemas: Record<ColumnType['sql'], Record<string, unknown>> = {
  text: { type: 'string' },
  uuid: { type: 'string', pattern: plainUuid },
  numeric: { type: 'string', pattern: '^-?[0-9]{1,40}(\\.[0-9]{1,40})?$' },
  bigint: { type: 'string', pattern: '^-?[0-9]{1,18}$' },
  date: { type: 'string', format: 'date' },
  timestamptz: { type: 'string', format: 'date-time', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$' },
  boolean: { type: 'boolean' },
  jsonb: { not: {} }, // not sortable: never in a cursor
  'text[]': { not: {} },
};

const envelopeSchema = {
  type: 'object',
  required: ['s', 'v', 'id'],
  properties: {
    s: { type: 'array', maxItems: 16, items: { type: 'string' } },
    v: { type: 'array', maxItems: 16, items: { anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'null' }] } },
    id: { type: 'string', pattern: plainUuid },
  },
  additionalProperties: false,
};

let validators: { envelope: ValidateFunction; values: Map<string, ValidateFunction> } | undefined;

function cursorValidators() {
  if (!validators) {
    const ajv = createAjv();
    validators = {
      envelope: ajv.compile(envelopeSchema),
      values: new Map(Object.entries(valueSchemas).map(([type, schema]) => [type, ajv.compile(schema)])),
    };
  }
  return validators;
}

/**
 * Reads a cursor from a request, validated like any input: well-formed base64url JSON, made
 * for this sort, each value readable as its column's type. Undefined when it is not.
 */
export function decodeCursor(text: string, sort: readonly CheckedSortKey[]): Cursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { envelope, values } = cursorValidators();
  if (!envelope(parsed)) return undefined;
  const cursor = parsed as { s: string[]; v: CursorValue[]; id: string };
  const expected = signature(sort);
  if (cursor.s.length !== expected.length || cursor.s.some((s, i) => s !== expected[i])) return undefined;
  if (cursor.v.length !== sort.length) return undefined;
  const fits = cursor.v.every((value, i) => {
    if (value === null) return true;
    const type = sort[i]!.column.type;
    return values.get(type.sql)!(value) && !databaseRefusal(type, value);
  });
  return fits ? { values: cursor.v, id: cursor.id } : undefined;
}

/** The direction the id breaks ties in: the last sort key's, so one index walk serves the page. */
export function idDirection(sort: readonly CheckedSortKey[]): 'asc' | 'desc' {
  return sort.at(-1)?.direction ?? 'asc';
}

/**
 * The rows after a cursor in the order `sort, id`, empty values counting as largest (last
 * ascending, first descending — PostgreSQL's order): `(k1 after c1) or (k1 = c1 and k2 after c2)
 * or … or (all equal and id after cid)`. Ascending, "after" a value is a larger value or empty;
 * descending, a smaller value (the empty ones came first), and after an empty value every
 * non-empty one. With one key, the usual case, it is the row comparison `(k, id) > (c, cid)`
 * (plus the empty rows ascending), which the (column, id) index answers directly.
 */
export function afterCursor(sort: readonly CheckedSortKey[], cursor: Cursor, id: RawBuilder<unknown>): Expression<SqlBool> {
  const idAfter = idDirection(sort) === 'asc' ? sql<SqlBool>`${id} > ${cursor.id}` : sql<SqlBool>`${id} < ${cursor.id}`;
  const [only] = sort;
  const value = cursor.values[0] ?? null;
  if (sort.length === 1 && only && value !== null) {
    const row = only.direction === 'asc'
      ? sql<SqlBool>`(${only.column.ref}, ${id}) > (${value}, ${cursor.id})`
      : sql<SqlBool>`(${only.column.ref}, ${id}) < (${value}, ${cursor.id})`;
    return only.direction === 'asc' && only.column.nullable ? sql<SqlBool>`(${row} or ${only.column.ref} is null)` : row;
  }
  const branches: Expression<SqlBool>[] = [];
  const equal: Expression<SqlBool>[] = [];
  sort.forEach(({ column, direction }, i) => {
    const v = cursor.values[i] ?? null;
    if (v !== null) {
      const after = direction === 'asc' ? sql<SqlBool>`${column.ref} > ${v}` : sql<SqlBool>`${column.ref} < ${v}`;
      branches.push(all([...equal, direction === 'asc' && column.nullable ? sql<SqlBool>`(${after} or ${column.ref} is null)` : after]));
    } else if (direction === 'desc') {
      branches.push(all([...equal, sql<SqlBool>`${column.ref} is not null`]));
    }
    equal.push(v === null ? sql<SqlBool>`${column.ref} is null` : sql<SqlBool>`${column.ref} = ${v}`);
  });
  branches.push(all([...equal, idAfter]));
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`;
}

function all(conditions: Expression<SqlBool>[]): Expression<SqlBool> {
  return conditions.length === 1 ? conditions[0]! : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}
