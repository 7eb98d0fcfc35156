import type { Migration } from 'kysely';
import * as formaSchema from './0001-forma-schema.ts';
import * as numberCounters from './0002-number-counters.ts';
import * as recordChanges from './0003-record-changes.ts';
import * as usersAndTokens from './0004-users-and-tokens.ts';
import * as userPasswords from './0005-user-passwords.ts';
import * as systemLog from './0006-system-log.ts';
import * as departments from './0007-departments.ts';
import * as rolesSharingSessions from './0008-roles-sharing-sessions.ts';
import * as userPreferences from './0009-user-preferences.ts';
import * as files from './0010-files.ts';
import * as printJobs from './0011-print-jobs.ts';

/**
 * Every migration of Forma's own tables, in order. A static list rather than a folder scan so
 * the same migrations run from the CLI, the server bundle and the tests.
 */
export const migrations: Record<string, Migration> = {
  '0001-forma-schema': formaSchema,
  '0002-number-counters': numberCounters,
  '0003-record-changes': recordChanges,
  '0004-users-and-tokens': usersAndTokens,
  '0005-user-passwords': userPasswords,
  '0006-system-log': systemLog,
  '0007-departments': departments,
  '0008-roles-sharing-sessions': rolesSharingSessions,
  '0009-user-preferences': userPreferences,
  '0010-files': files,
  '0011-print-jobs': printJobs,
};
