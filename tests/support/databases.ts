import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Database, type DatabaseKind } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import { createDatabase, databaseUrl, dropDatabase } from './postgres-cluster.ts';

/** A fresh, migrated database for one test file (or one describe block). */
export interface TestDatabase {
  readonly database: Database;
  /** postgres: URL of this database. */
  readonly url?: string;
  /** embedded: PGlite data directory. */
  readonly dataDir?: string;
  /** Closes the database and deletes it (drops it / removes its files). */
  cleanup(): Promise<void>;
}

export interface TestDatabaseSetup {
  readonly kind: DatabaseKind;
  open(): Promise<TestDatabase>;
}

/**
 * The database setups to run one engine test body on, both dialects, in the spirit of Kysely's
 * own tests. `FORMA_TEST_DATABASES=embedded` (or `postgres`) narrows the list for a quick run.
 *
 * @example
 * for (const setup of testDatabases()) {
 *   describe(setup.kind, () => {
 *     let t: TestDatabase;
 *     beforeAll(async () => { t = await setup.open(); });
 *     afterAll(() => t?.cleanup());
 *     it('…', async () => { await t.database.db.selectFrom('forma.workspace').selectAll().execute(); });
 *   });
 * }
 */
export function testDatabases(): TestDatabaseSetup[] {
  const all: TestDatabaseSetup[] = [
    { kind: 'postgres', open: openPostgres },
    { kind: 'embedded', open: openEmbedded },
  ];
  const only = process.env.FORMA_TEST_DATABASES?.split(',').map((s) => s.trim()).filter(Boolean);
  return only?.length ? all.filter((s) => only.includes(s.kind)) : all;
}

/** A new database `t_<random hex>` on the test server. */
async function openPostgres(): Promise<TestDatabase> {
  const adminUrl = inject('postgresUrl');
  const name = `t_${randomBytes(8).toString('hex')}`;
  await createDatabase(adminUrl, name);
  const url = databaseUrl(adminUrl, name);
  const database = await openDatabase({ kind: 'postgres', url });
  const cleanup = async () => {
    try {
      await database.close();
    } finally {
      await dropDatabase(adminUrl, name);
    }
  };
  await migrated(database, cleanup);
  return { database, url, cleanup };
}

/**
 * A new PGlite database in a fresh temp dir. Creating one from scratch takes 4–6 s, so it is a
 * copy of a migrated template (1–3 s: copy 38 MB + reopen), built once per run by the first worker
 * that needs it. Not a dumpDataDir() tarball: openDatabase() takes no loadDataDir, and each
 * test file runs in a fresh fork, so an in-memory cache would be rebuilt per file anyway.
 */
async function openEmbedded(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(inject('testRunDir') ?? os.tmpdir(), 'pglite-'));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  let database: Database;
  try {
    const template = await embeddedTemplate();
    if (template) await cp(template, dataDir, { recursive: true });
    database = await openDatabase({ kind: 'embedded', dataDir });
  } catch (error) {
    await removeDir();
    throw error;
  }
  const cleanup = async () => {
    try {
      await database.close();
    } finally {
      await removeDir();
    }
  };
  // A no-op on a template copy, unless a migration was added since the template was built.
  await migrated(database, cleanup);
  return { database, dataDir, cleanup };
}

async function migrated(database: Database, cleanup: () => Promise<void>): Promise<void> {
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await cleanup().catch(() => {});
    throw error;
  }
}

let template: Promise<string | undefined> | undefined;

/**
 * The migrated template data dir of this run. The first worker to need it takes the lock
 * (mkdir is atomic) and builds it aside, then renames it into place (also atomic: `ready` only
 * ever holds a complete template); the others wait for it rather than build their own, which
 * on 2 cores would make both slower. Should the builder die, a waiter builds it after all.
 */
function embeddedTemplate(): Promise<string | undefined> {
  template ??= (async () => {
    const root = inject('testRunDir');
    if (!root) return undefined; // run without tests/support/global-setup.ts: no cache
    const ready = path.join(root, 'pglite-template');
    const lock = path.join(root, 'pglite-template.lock');
    const deadline = Date.now() + 120_000;
    while (!existsSync(ready)) {
      if (await tryMkdir(lock)) {
        try {
          await buildTemplate(root, ready);
        } finally {
          await rm(lock, { recursive: true, force: true });
        }
      } else if (Date.now() > deadline) {
        await buildTemplate(root, ready); // the lock holder is stuck: do not wait any longer
      } else {
        await sleep(100);
      }
    }
    return ready;
  })();
  template.catch(() => (template = undefined));
  return template;
}

async function buildTemplate(root: string, ready: string): Promise<void> {
  const building = await mkdtemp(path.join(root, 'pglite-template-build-'));
  try {
    const database = await openDatabase({ kind: 'embedded', dataDir: building });
    try {
      await migrateToLatest(database.db);
    } finally {
      await database.close();
    }
    await rename(building, ready);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    if (!existsSync(ready)) throw error; // else another builder won the rename
  }
}

async function tryMkdir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
