import type { Migration } from 'kysely';
import * as formaSchema from './0001-forma-schema.ts';

/**
 * Every migration of Forma's own tables, in order. A static list rather than a folder scan so
 * the same migrations run from the CLI, the server bundle and the tests.
 */
export const migrations: Record<string, Migration> = {
  '0001-forma-schema': formaSchema,
};
