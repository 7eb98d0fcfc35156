import { sql, type Kysely } from 'kysely';
import { toNumber } from '../db/database.ts';
import { columnTypeSql, NUMERIC_PRECISION, type ColumnType } from '../field-types/field-type.ts';

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

  /** How many rows hold one of `values` (in a text column, or among the items of a text[] column). */
  usingValues(table: string, column: string, values: string[], array: boolean) {
    const condition = array
      ? sql`${sql.id(column)} && ${values}::text[]`
      : sql`${sql.id(column)} = any(${values}::text[])`;
    return this.count(sql`select count(*) as count from ${this.table(table)} where ${condition}`);
  }
}
