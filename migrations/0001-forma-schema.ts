import { sql, type Kysely } from 'kysely';

/**
 * Forma's own tables: workspaces and the versioned metadata store. Frozen in time: later
 * changes are new migrations.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // pg_trgm is a trusted extension: the database owner may create it. Quick search needs it.
  await sql`create extension if not exists pg_trgm`.execute(db);

  await db.schema
    .withSchema('forma')
    .createTable('workspace')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('schema_name', 'text', (c) => c.notNull().unique())
    .addColumn('metadata_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .withSchema('forma')
    .createTable('metadata_version')
    .addColumn('workspace', 'text', (c) => c.notNull().references('forma.workspace.name'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('operations', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('metadata_version_pk', ['workspace', 'version'])
    .execute();

  // A document revision is valid from the version that wrote it until the version that
  // replaced or removed it (valid_to null = current), so any version's documents are one query.
  await db.schema
    .withSchema('forma')
    .createTable('metadata_document')
    .addColumn('workspace', 'text', (c) => c.notNull().references('forma.workspace.name'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'integer', (c) => c.notNull())
    .addColumn('valid_to', 'integer')
    // json, not jsonb: a document's key order (its field order) is part of what the admin wrote.
    .addColumn('body', 'json', (c) => c.notNull())
    .addPrimaryKeyConstraint('metadata_document_pk', ['workspace', 'kind', 'name', 'valid_from'])
    .execute();
  await sql`create unique index metadata_document_current on forma.metadata_document (workspace, kind, name) where valid_to is null`.execute(db);

  // Type changes are checked against the data before they run: this tells whether one stored
  // value converts to the target type (with its modifier, e.g. numeric(18,2)), without aborting
  // the surrounding transaction. The type is spelled by the catalog (format_type), never by text.
  await sql`
    create function forma.converts_to(value text, target regtype, typmod integer) returns boolean
    language plpgsql immutable as $$
    begin
      execute format('select %L::%s', value, format_type(target, typmod));
      return true;
    exception when others then
      return false;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function forma.converts_to(text, regtype, integer)`.execute(db);
  await db.schema.withSchema('forma').dropTable('metadata_document').execute();
  await db.schema.withSchema('forma').dropTable('metadata_version').execute();
  await db.schema.withSchema('forma').dropTable('workspace').execute();
}
