import { Migrator, type Kysely } from 'kysely';
import { migrations } from '../../migrations/index.ts';

/**
 * Brings Forma's own tables (schema `forma`) to the latest migration; a no-op when they are
 * current. Kysely's migrator takes a lock, so concurrent starts are safe.
 *
 * @example const applied = await migrateToLatest(database.db); // ['0001-forma-schema']
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: 'forma',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
