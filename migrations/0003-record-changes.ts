import { sql, type Kysely } from 'kysely';

/**
 * The change history of records (变更记录): one row per write, with who, when, what operation
 * and the before/after values of the fields it changed. Written in the same transaction as the
 * write itself. Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('record_change')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('workspace', 'text', (c) => c.notNull().references('forma.workspace.name'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('record_id', 'uuid', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('record_version', 'integer', (c) => c.notNull())
    .addColumn('changes', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .withSchema('forma')
    .createIndex('record_change_record')
    .on('record_change')
    .columns(['workspace', 'entity', 'record_id', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').dropTable('record_change').execute();
}
