import { sql, type CreateTableBuilder, type Transaction } from 'kysely';
import { phoneDigits } from '../db/phone-digits.ts';
import { columnTypeSql, type ColumnType } from '../field-types/field-type.ts';
import type { Operation } from './operations.ts';
import { objectName } from './physical.ts';

/**
 * Runs one planned operation inside the change's transaction. Names are validated metadata and
 * go through kysely's identifier quoting; column types come from Forma's closed set of types
 * (`ColumnType`), never from document text; values are bound parameters.
 */
export async function executeOperation(trx: Transaction<any>, schema: string, op: Operation): Promise<void> {
  const ddl = trx.schema.withSchema(schema);
  const table = (name: string) => sql.id(schema, name);
  switch (op.op) {
    case 'createSchema':
      await trx.schema.createSchema(op.schema).ifNotExists().execute();
      return;
    case 'createTable': {
      let builder = withSystemColumns(ddl.createTable(op.table), schema, op.lineOf, op.hasState);
      for (const column of op.columns) {
        builder = builder.addColumn(column.column, dataType(column.type), (c) => (column.notNull ? c.notNull() : c));
      }
      await builder.execute();
      await ddl.createIndex(objectName(op.table, 'owner_id', 'idx')).on(op.table).column('owner_id').execute();
      if (op.lineOf) await ddl.createIndex(objectName(op.table, 'parent', 'idx')).on(op.table).columns(['parent_id', 'position']).execute();
      return;
    }
    case 'addLineColumns':
      await ddl.alterTable(op.table)
        .addColumn('parent_id', 'uuid', (c) => c.notNull().references(`${schema}.${op.parent}.id`).onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await ddl.createIndex(objectName(op.table, 'parent', 'idx')).on(op.table).columns(['parent_id', 'position']).execute();
      return;
    case 'addStateColumn':
      await ddl.alterTable(op.table).addColumn('state', 'text').execute();
      return;
    case 'addColumn': {
      const { column } = op;
      await ddl.alterTable(op.table).addColumn(column.column, dataType(column.type)).execute();
      if (op.backfill !== undefined) {
        const value = column.type.sql === 'jsonb' ? JSON.stringify(op.backfill) : op.backfill;
        await sql`update ${table(op.table)} set ${sql.id(column.column)} = ${value}`.execute(trx);
      }
      if (column.notNull) await ddl.alterTable(op.table).alterColumn(column.column, (c) => c.setNotNull()).execute();
      return;
    }
    case 'alterColumnType': {
      const type = sql.raw(columnTypeSql(op.to));
      await sql`alter table ${table(op.table)} alter column ${sql.id(op.column)} type ${type} using ${sql.id(op.column)}::text::${type}`.execute(trx);
      return;
    }
    case 'setNotNull':
      await ddl.alterTable(op.table).alterColumn(op.column, (c) => c.setNotNull()).execute();
      return;
    case 'dropNotNull':
      await ddl.alterTable(op.table).alterColumn(op.column, (c) => c.dropNotNull()).execute();
      return;
    case 'createIndex': {
      const { index } = op;
      const builder = ddl.createIndex(index.name).on(op.table);
      if (index.method === 'trigram') await builder.using('gin').expression(sql`${sql.ref(index.column)} gin_trgm_ops`).execute();
      else if (index.method === 'digits') await builder.expression(phoneDigits(sql`${sql.ref(index.column)}`)).execute();
      else if (index.method === 'gin') await builder.using('gin').column(index.column).execute();
      else if (index.unique) await builder.unique().column(index.column).execute();
      else if (index.method === 'owned') await builder.columns(['owner_id', index.column, 'id']).execute();
      else await builder.columns([index.column, 'id']).execute();
      return;
    }
    case 'dropIndex':
      await ddl.dropIndex(op.index.name).ifExists().execute();
      return;
    case 'addForeignKey':
      await ddl.alterTable(op.table)
        .addForeignKeyConstraint(op.foreignKey.name, [op.foreignKey.column], `${schema}.${op.foreignKey.target}`, ['id'])
        .execute();
      return;
    case 'dropForeignKey':
      await ddl.alterTable(op.table).dropConstraint(op.foreignKey.name).ifExists().execute();
      return;
    case 'dropColumn':
      await ddl.alterTable(op.table).dropColumn(op.column).execute();
      return;
    case 'dropTable':
      await ddl.dropTable(op.table).execute();
      return;
    case 'checkData':
    case 'archiveField':
    case 'restoreField':
    case 'saveDocument':
      return; // data checks ran while planning; the rest is metadata, written with the version
  }
}

/**
 * The system columns of every generated table (ARCHITECTURE §2): id (UUID v7, assigned by the
 * engine), who and when, owner, optimistic-locking version, recycle bin; plus the workflow
 * state and, for line items, the parent link and position.
 */
function withSystemColumns(builder: CreateTableBuilder<string, never>, schema: string, lineOf: string | undefined, hasState: boolean) {
  let b = builder
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'uuid')
    .addColumn('owner_id', 'uuid')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('deleted_at', 'timestamptz');
  if (hasState) b = b.addColumn('state', 'text');
  if (lineOf) {
    b = b
      .addColumn('parent_id', 'uuid', (c) => c.notNull().references(`${schema}.${lineOf}.id`).onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0));
  }
  return b;
}

function dataType(type: ColumnType) {
  return type.sql === 'text[]' ? sql`text[]` : (columnTypeSql(type) as 'text');
}
