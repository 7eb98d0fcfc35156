import { sql, type Kysely } from 'kysely';

/**
 * What each person sets for themselves, per workspace: the columns they hide in a list, their
 * saved filters… One JSON value per key (`list.customer.columns`), so a new kind of preference
 * needs no migration; the engine validates each value by its key's kind before writing it
 * (engine/preferences/preferences.ts). Kept with the user: deleting a user deletes theirs.
 * Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('user_preference')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('forma.user.id').onDelete('cascade'))
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('user_preference_pkey', ['user_id', 'workspace', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').dropTable('user_preference').execute();
}
