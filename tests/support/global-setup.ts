import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL (database `postgres`) of the test server: tests create their own databases on it. */
    postgresUrl: string;
    /**
     * Scratch dir of this run, deleted at its end (even on SIGINT/SIGTERM, when vitest skips the
     * teardown): embedded databases and their migrated template live here.
     */
    testRunDir: string;
  }
}

/**
 * Once per `vitest run`: starts the throwaway PostgreSQL 15 cluster (or uses the server in
 * FORMA_TEST_DATABASE_URL as is, e.g. `postgres://postgres@127.0.0.1:5432/postgres`), and
 * stops it in the returned teardown.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.FORMA_TEST_DATABASE_URL;
  const started = Date.now();
  const cluster = external ? undefined : await startPostgresCluster();
  if (cluster) console.log(`forma: PostgreSQL 15 test cluster ready in ${Date.now() - started} ms`);
  const testRunDir = await mkdtemp(path.join(os.tmpdir(), 'forma-test-run-'));
  // On SIGINT/SIGTERM vitest calls process.exit() without running the teardown below.
  // (The cluster has its own exit hook.)
  const removeRunDir = () => rmSync(testRunDir, { recursive: true, force: true });
  process.once('exit', removeRunDir);

  project.provide('postgresUrl', external ?? cluster!.url);
  project.provide('testRunDir', testRunDir);

  return async () => {
    try {
      await cluster?.stop();
    } finally {
      process.removeListener('exit', removeRunDir);
      await rm(testRunDir, { recursive: true, force: true });
    }
  };
}
