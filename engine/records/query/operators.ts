import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { ColumnType } from '../../field-types/field-type.ts';
import type { Operator } from './record-query.ts';
import { likePattern } from '../like.ts';

/**
 * How a field's values behave in a filter, from its field type and column: what can be
 * compared, matched, listed or only tested for emptiness.
 */
export type ValueKind =
  | 'text' | 'longText' | 'number' | 'date' | 'datetime' | 'boolean'
  | 'choice' | 'choices' | 'reference' | 'attachments';

export function valueKind(fieldType: string, column: ColumnType): ValueKind {
  if (fieldType === 'textarea' || fieldType === 'richtext') return 'longText';
  if (fieldType === 'select') return 'choice';
  switch (column.sql) {
    case 'text': return 'text';
    case 'text[]': return 'choices';
    case 'numeric':
    case 'bigint': return 'number';
    case 'date': return 'date';
    case 'timestamptz': return 'datetime';
    case 'boolean': return 'boolean';
    case 'uuid': return 'reference';
    case 'jsonb': return 'attachments';
  }
}

/**
 * The operators each kind of value takes (anything else is `query_operator_unsupported`):
 *
 * | kind        | field types                                             | operators |
 * | ----------- | ------------------------------------------------------- | --------- |
 * | text        | text, email, phone, url, autonumber, region, formula→text | eq ne in not_in contains starts_with gt gte lt lte between is_empty is_not_empty |
 * | longText    | textarea, richtext                                      | contains starts_with is_empty is_not_empty |
 * | number      | integer, decimal, money, percent, formula→number        | eq ne gt gte lt lte between in not_in is_empty is_not_empty |
 * | date        | date, formula→date                                      | eq ne gt gte lt lte between is_empty is_not_empty |
 * | datetime    | datetime, created_at, updated_at, deleted_at            | eq ne gt gte lt lte between is_empty is_not_empty |
 * | boolean     | boolean, formula→boolean                                | eq ne is_empty is_not_empty |
 * | choice      | select                                                  | eq ne in not_in is_empty is_not_empty |
 * | choices     | multiselect                                             | eq ne contains in not_in is_empty is_not_empty |
 * | reference   | lookup, user, id, created_by, updated_by, owner_id      | eq ne in not_in is_empty is_not_empty |
 * | attachments | file                                                    | is_empty is_not_empty |
 *
 * Text comparisons (gt…between) follow the database collation; they serve codes and region
 * codes. Dates take 'YYYY-MM-DD', datetimes a full ISO 8601 moment with its zone.
 */
export const operatorsOf: Readonly<Record<ValueKind, readonly Operator[]>> = {
  text: ['eq', 'ne', 'in', 'not_in', 'contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_not_empty'],
  longText: ['contains', 'starts_with', 'is_empty', 'is_not_empty'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  date: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_not_empty'],
  datetime: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'is_empty', 'is_not_empty'],
  boolean: ['eq', 'ne', 'is_empty', 'is_not_empty'],
  choice: ['eq', 'ne', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  choices: ['eq', 'ne', 'contains', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  reference: ['eq', 'ne', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  attachments: ['is_empty', 'is_not_empty'],
};

/**
 * Kinds a list cannot be sorted by: sets of options and attachment lists have no order, and
 * long texts would make page cursors as long as the texts.
 */
export const unsortableKinds: ReadonlySet<ValueKind> = new Set(['choices', 'attachments', 'longText']);

/**
 * The SQL of one condition on a column, its value(s) already in column form and always bound
 * as parameters (their type is inferred from the column, so dates compare as dates and
 * datetimes as timestamptz). Semantics users expect from a list filter:
 * - `ne` and `not_in` include empty values ("not A" lists the records without a level too);
 *   every other comparison leaves empty values out.
 * - `is_empty` is null, '' for text and an empty list for multiselects and attachments.
 * - multiselect: `eq`/`contains` = has this option, `ne` = lacks it, `in` = has any of them,
 *   `not_in` = has none of them.
 * - `contains`/`starts_with` ignore case (ilike, served by the trigram index of searchable fields).
 * - `between` includes both ends.
 */
export function conditionSql(column: RawBuilder<unknown>, kind: ValueKind, op: Operator, value: unknown): Expression<SqlBool> {
  const many = kind === 'choices';
  switch (op) {
    case 'eq':
      return many ? sql<SqlBool>`${column} @> ${[value]}` : sql<SqlBool>`${column} = ${value}`;
    case 'ne':
      return many ? sql<SqlBool>`(${column} is null or not (${column} @> ${[value]}))` : sql<SqlBool>`${column} is distinct from ${value}`;
    case 'gt':
      return sql<SqlBool>`${column} > ${value}`;
    case 'gte':
      return sql<SqlBool>`${column} >= ${value}`;
    case 'lt':
      return sql<SqlBool>`${column} < ${value}`;
    case 'lte':
      return sql<SqlBool>`${column} <= ${value}`;
    case 'between': {
      const [low, high] = value as [unknown, unknown];
      return sql<SqlBool>`${column} between ${low} and ${high}`;
    }
    case 'in':
      return many ? sql<SqlBool>`${column} && ${value}` : sql<SqlBool>`${column} = any(${value})`;
    case 'not_in':
      return many
        ? sql<SqlBool>`(${column} is null or not (${column} && ${value}))`
        : sql<SqlBool>`(${column} is null or not (${column} = any(${value})))`;
    case 'contains':
      return many ? sql<SqlBool>`${column} @> ${[value]}` : sql<SqlBool>`${column} ilike ${likePattern(String(value), 'contains')}`;
    case 'starts_with':
      return sql<SqlBool>`${column} ilike ${likePattern(String(value), 'starts_with')}`;
    case 'is_empty':
      return emptySql(column, kind);
    case 'is_not_empty':
      return notEmptySql(column, kind);
  }
}

function emptySql(column: RawBuilder<unknown>, kind: ValueKind): Expression<SqlBool> {
  switch (kind) {
    case 'text':
    case 'longText':
    case 'choice':
      return sql<SqlBool>`(${column} is null or ${column} = '')`;
    case 'choices':
      return sql<SqlBool>`(${column} is null or cardinality(${column}) = 0)`;
    case 'attachments':
      return sql<SqlBool>`(${column} is null or ${column} = '[]')`;
    default:
      return sql<SqlBool>`${column} is null`;
  }
}

// The exact complement of emptySql (null counts as empty), written so an index can serve it.
function notEmptySql(column: RawBuilder<unknown>, kind: ValueKind): Expression<SqlBool> {
  switch (kind) {
    case 'text':
    case 'longText':
    case 'choice':
      return sql<SqlBool>`${column} <> ''`;
    case 'choices':
      return sql<SqlBool>`cardinality(${column}) > 0`;
    case 'attachments':
      return sql<SqlBool>`${column} <> '[]'`;
    default:
      return sql<SqlBool>`${column} is not null`;
  }
}
