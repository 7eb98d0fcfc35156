import type { Kysely } from 'kysely';

/** Users may sign in with a password: only its scrypt hash is kept. Frozen in time. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').alterTable('user').addColumn('password_hash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').alterTable('user').dropColumn('password_hash').execute();
}
