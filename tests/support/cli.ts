import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { DatabaseConfig } from '../../engine/db/database.ts';
import { createDatabase, databaseUrl, dropDatabase } from './postgres-cluster.ts';

const cli = join(import.meta.dirname, '../../app/cli/forma.mjs');

/**
 * Each CLI call is a process that starts tsx and opens the database (~2 s, more on a loaded
 * 2-core machine): CLI tests get this per test rather than vitest's default.
 */
export const CLI_TEST_TIMEOUT = 240_000;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `forma …` as a consultant would, in its own process, with the given environment. */
export function forma(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A database for CLI runs: the environment that points the CLI at it, and the same as engine config. */
export interface CliDatabase {
  env: Record<string, string>;
  database: DatabaseConfig;
  cleanup(): Promise<void>;
}

/** The embedded database in a fresh data dir under `root`, and a fresh database on the test server. */
export const cliDatabases: { kind: 'embedded' | 'postgres'; open(root: string): Promise<CliDatabase> }[] = [
  {
    kind: 'embedded' as const,
    async open(root: string) {
      return {
        env: { FORMA_DATA_DIR: join(root, 'data'), FORMA_WORKSPACE: 'main' },
        database: { kind: 'embedded', dataDir: join(root, 'data', 'pg') } as DatabaseConfig,
        cleanup: async () => {},
      };
    },
  },
  {
    kind: 'postgres' as const,
    async open() {
      const adminUrl = inject('postgresUrl');
      const name = `cli_${randomBytes(6).toString('hex')}`;
      await createDatabase(adminUrl, name);
      const url = databaseUrl(adminUrl, name);
      return {
        env: { DATABASE_URL: url, FORMA_WORKSPACE: 'main' },
        database: { kind: 'postgres', url } as DatabaseConfig,
        cleanup: () => dropDatabase(adminUrl, name),
      };
    },
  },
].filter((s) => !process.env.FORMA_TEST_DATABASES || process.env.FORMA_TEST_DATABASES.includes(s.kind));
