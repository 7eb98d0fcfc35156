import { sql, type Kysely } from 'kysely';

/**
 * Everything a metadata change can touch: the workspace schema's tables, columns, indexes and
 * constraints, and Forma's metadata tables. Two equal snapshots mean nothing changed.
 */
export async function catalogSnapshot(db: Kysely<any>, schema = 'ws_main') {
  const columns = await sql`
    select table_name, column_name, data_type, is_nullable, numeric_scale
    from information_schema.columns where table_schema = ${schema} order by 1, 2`.execute(db);
  const indexes = await sql`select indexname, indexdef from pg_indexes where schemaname = ${schema} order by 1`.execute(db);
  const constraints = await sql`
    select c.conname, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = ${schema} order by 1`.execute(db);
  const schemas = await sql`select nspname from pg_namespace where nspname = ${schema}`.execute(db);
  const versions = await sql`select workspace, version, actor_name, reason from forma.metadata_version order by 1, 2`.execute(db);
  const documents = await sql`select workspace, kind, name, valid_from, valid_to, body from forma.metadata_document order by 1, 2, 3, 4`.execute(db);
  const workspaces = await sql`select name, metadata_version from forma.workspace order by 1`.execute(db);
  return {
    schemas: schemas.rows, columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows,
    versions: versions.rows, documents: documents.rows, workspaces: workspaces.rows,
  };
}
