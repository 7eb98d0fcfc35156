import { sql, type Kysely } from 'kysely';

/**
 * Counters of the numbering rules (编号规则): one row per workspace, rule and period ('' for a
 * rule that never resets, '2026' yearly, '2026-11' monthly, '2026-11-22' daily) holding the
 * last sequence value drawn. The row is also the lock that makes numbers gap-free: a creator
 * holds it from its draw until its transaction ends. Frozen in time: later changes are new
 * migrations.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('number_counter')
    .addColumn('workspace', 'text', (c) => c.notNull().references('forma.workspace.name'))
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('number_counter_pk', ['workspace', 'rule', 'period'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').dropTable('number_counter').execute();
}
