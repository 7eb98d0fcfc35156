import { sql, type Kysely } from 'kysely';

/**
 * Stored files (attachments of `file` fields): one row per upload, the bytes themselves on disk
 * under `<dataDir>/files/<workspace>/<yyyy>/<mm>/<id>` (engine/files/files.ts). A record's
 * `file` field holds references to these ids. Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('file')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.withSchema('forma').createIndex('file_workspace_entity').on('file').columns(['workspace', 'entity']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').dropTable('file').execute();
}
