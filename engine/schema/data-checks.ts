import { sql, type Kysely, type RawBuilder } from 'kysely';
import { toNumber } from '../db/database.ts';
import type { Problem } from '../errors.ts';
import { columnTypeSql, NUMERIC_PRECISION, type ColumnType } from '../field-types/field-type.ts';
import type { ColumnField } from '../records/entity-table.ts';
import { recordValue } from '../records/values.ts';

/** Rows a record check reads at a time. */
const PAGE_ROWS = 2000;

/** Rows where a field's column is empty as a record sees it (no value, an empty text, no options or files) — or may be. */
export function emptyField(field: ColumnField): RawBuilder<boolean> {
  return sql<boolean>`(${sql.id(field.column)} is null or ${sql.id(field.column)}::text in ('', '{}', '[]'))`;
}

/**
 * What a row must hold for a JSON Schema condition on its record to hold, as far as SQL can say
 * cheaply: each member of the condition's top-level `properties` that is a `const` or an `enum`
 * of texts on a text column, numbers on a number column or booleans on a boolean column says the
 * column holds one of those values (every column is in the record, so `properties` always
 * applies to it). True of every row the condition holds for; `true` when nothing can be said.
 *
 * @example conditionNarrowing({ properties: { needs_invoice: { const: true } } }, fields) // needs_invoice = true
 */
export function conditionNarrowing(condition: unknown, fields: ReadonlyMap<string, ColumnField>): RawBuilder<boolean> {
  const properties = (condition as { properties?: unknown } | null)?.properties;
  if (typeof properties !== 'object' || properties === null) return sql<boolean>`true`;
  const fits = (field: ColumnField, value: unknown) =>
    (typeof value === 'string' && field.type.sql === 'text')
    || (typeof value === 'number' && Number.isFinite(value) && (field.type.sql === 'numeric' || field.type.sql === 'bigint'))
    || (typeof value === 'boolean' && field.type.sql === 'boolean');
  const known = Object.entries(properties as Record<string, { const?: unknown; enum?: unknown }>).flatMap(([name, schema]) => {
    const field = fields.get(name);
    const values = schema && 'const' in schema ? [schema.const] : Array.isArray(schema?.enum) ? schema.enum : undefined;
    if (!field || !values?.length || !values.every((value) => fits(field, value))) return [];
    return [sql<boolean>`${sql.id(field.column)} in (${sql.join(values.map((value) => sql`${value}`))})`];
  });
  return known.length ? sql<boolean>`(${sql.join(known, sql` and `)})` : sql<boolean>`true`;
}

/**
 * Counts of the rows that stand in the way of a change, asked before the change runs. Table and
 * column names are validated metadata passed as quoted identifiers; every value is a bound
 * parameter.
 */
export class DataChecks {
  constructor(private readonly db: Kysely<any>, private readonly schema: string) {}

  private table(table: string) {
    return sql.id(this.schema, table);
  }

  private async count(query: ReturnType<typeof sql<{ count: unknown }>>): Promise<number> {
    const { rows } = await query.execute(this.db);
    return toNumber(rows[0]?.count ?? 0);
  }

  rows(table: string) {
    return this.count(sql`select count(*) as count from ${this.table(table)}`);
  }

  nulls(table: string, column: string) {
    return this.count(sql`select count(*) as count from ${this.table(table)} where ${sql.id(column)} is null`);
  }

  /** How many values appear more than once. */
  duplicates(table: string, column: string) {
    return this.count(sql`
      select count(*) as count from (
        select 1 from ${this.table(table)} where ${sql.id(column)} is not null
        group by ${sql.id(column)} having count(*) > 1) duplicated`);
  }

  /** How many stored values do not convert to the new column type (numeric overflow included). */
  unconvertible(table: string, column: string, to: ColumnType) {
    const base = to.sql === 'numeric' ? 'numeric' : columnTypeSql(to);
    // PostgreSQL's type modifier of numeric(p, s) is ((p << 16) | s) + 4.
    const typmod = to.sql === 'numeric' ? ((NUMERIC_PRECISION << 16) | to.scale) + 4 : -1;
    return this.count(sql`
      select count(*) as count from ${this.table(table)}
      where ${sql.id(column)} is not null
        and not forma.converts_to(${sql.id(column)}::text, ${base}::regtype, ${typmod}::integer)`);
  }

  /** How many numbers would lose digits when rounded to `scale` decimal places. */
  precisionLoss(table: string, column: string, scale: number) {
    return this.count(sql`
      select count(*) as count from ${this.table(table)}
      where ${sql.id(column)} is not null and ${sql.id(column)} <> round(${sql.id(column)}, ${scale}::integer)`);
  }

  tooLong(table: string, column: string, maxLength: number) {
    return this.count(sql`
      select count(*) as count from ${this.table(table)} where char_length(${sql.id(column)}) > ${maxLength}::integer`);
  }

  /**
   * How many live rows (not in the recycle bin) `check` finds a problem with, per problem path:
   * the `candidates` rows read page by page as records (`fields` name the columns and convert
   * their values). `candidates` only narrows the reading (see `emptyField`, `conditionNarrowing`): the check decides.
   */
  async problemsPerPath(
    table: string, fields: readonly ColumnField[], check: (record: Record<string, unknown>) => Problem[], candidates: RawBuilder<boolean>,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const columns = sql.join([sql`id`, ...fields.map((f) => sql`${sql.id(f.column)} as ${sql.id(f.name)}`)]);
    for (let after: unknown = null; ;) {
      const { rows } = await sql<Record<string, unknown>>`
        select ${columns} from ${this.table(table)}
        where deleted_at is null and (${candidates}) ${after === null ? sql`` : sql`and id > ${after}`}
        order by id limit ${PAGE_ROWS}::integer`.execute(this.db);
      for (const row of rows) {
        const record = Object.fromEntries(fields.map((f) => [f.name, recordValue(f.type, row[f.name])]));
        for (const found of check(record)) counts.set(found.path, (counts.get(found.path) ?? 0) + 1);
      }
      if (rows.length < PAGE_ROWS) return counts;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** How many rows hold one of `values` (in a text column, or among the items of a text[] column). */
  usingValues(table: string, column: string, values: string[], array: boolean) {
    const condition = array
      ? sql`${sql.id(column)} && ${values}::text[]`
      : sql`${sql.id(column)} = any(${values}::text[])`;
    return this.count(sql`select count(*) as count from ${this.table(table)} where ${condition}`);
  }
}
