import { sql, type Kysely } from 'kysely';

/**
 * The system log (系统日志): logins (with the address), logouts and every operation — record
 * writes, batches, exports, prints, metadata and permission changes — as an append-only ledger.
 * Append-only in the database itself: a statement trigger refuses every UPDATE, DELETE and
 * TRUNCATE of the table, whoever runs it (the owner too), so no code path can rewrite it.
 * Rows are written in the same transaction as the change they record. Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('system_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // No foreign keys: a ledger outlives the workspaces and users it names.
    .addColumn('workspace', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text')
    .addColumn('record_id', 'uuid')
    .addColumn('address', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('success').check(sql`outcome in ('success', 'failure')`))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  for (const [name, column] of [['workspace', 'workspace'], ['actor', 'actor_name'], ['action', 'action']] as const) {
    await db.schema.withSchema('forma').createIndex(`system_log_${name}_at`).on('system_log').columns([column, 'at']).execute();
  }

  await sql`
    create function forma.system_log_append_only() returns trigger
    language plpgsql as $$
    begin
      raise exception 'forma.system_log is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege', hint = 'The system log (系统日志) cannot be changed or emptied.';
    end $$`.execute(db);
  // Statement triggers: they fire even when no row matches, and TRUNCATE has no row triggers.
  await sql`
    create trigger system_log_append_only before update or delete or truncate on forma.system_log
    for each statement execute function forma.system_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').dropTable('system_log').execute();
  await sql`drop function forma.system_log_append_only()`.execute(db);
}
