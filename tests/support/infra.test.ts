import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from './postgres-cluster.ts';
import { testDatabases, type TestDatabase } from './databases.ts';

// Proves the test infrastructure itself: the throwaway PostgreSQL 15 cluster, per-file databases
// on it, and the embedded PGlite database, both migrated.

const externalServer = Boolean(process.env.FORMA_TEST_DATABASE_URL);

describe('test cluster', () => {
  it.skipIf(externalServer)('is PostgreSQL 15', async () => {
    const { rows } = await adminQuery<{ server_version: string }>('show server_version');
    expect(rows[0]!.server_version).toMatch(/^15\./);
  });

  it('refuses database names that are not plain identifiers', async () => {
    const url = inject('postgresUrl');
    for (const bad of ['T_upper', 'x;drop database postgres', '"quoted"', '1abc', '', 'a'.repeat(64)]) {
      await expect(createDatabase(url, bad)).rejects.toThrow(/invalid database name/);
      await expect(dropDatabase(url, bad)).rejects.toThrow(/invalid database name/);
    }
  });
});

for (const setup of testDatabases()) {
  describe(`${setup.kind} database`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await setup.open();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('is migrated and answers queries', async () => {
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(t.database.db);
      expect(rows).toEqual([{ one: 1 }]);
      const workspaces = await t.database.db.selectFrom('forma.workspace').selectAll().execute();
      expect(workspaces).toEqual([]);
    });

    it('is UTF8 with ctype C.UTF-8', async () => {
      const { rows } = await sql<{ encoding: string; ctype: string }>`
        select pg_encoding_to_char(encoding) as encoding, datctype as ctype
        from pg_database where datname = current_database()`.execute(t.database.db);
      expect(rows[0]).toEqual({ encoding: 'UTF8', ctype: 'C.UTF-8' });
    });

    it('has pg_trgm making trigrams of Chinese text', async () => {
      // The migration creates it; creating it again proves the extension files are there.
      await sql`create extension if not exists pg_trgm`.execute(t.database.db);
      const { rows } = await sql<{ trigrams: string[] }>`select show_trgm('新时代网络') as trigrams`.execute(t.database.db);
      // Under the C locale (not UTF-8) CJK characters are not "alphanumeric" and this is empty.
      expect(rows[0]!.trigrams.length).toBeGreaterThan(0);
      const similar = await sql<{ similar: boolean }>`select '新时代网络科技' % '新时代网络' as similar`.execute(t.database.db);
      expect(similar.rows[0]!.similar).toBe(true);
    });

    if (setup.kind === 'postgres') {
      it('got its own database', () => {
        expect(t.url).toMatch(/\/t_[0-9a-f]{16}$/);
      });
    }
  });
}

async function adminQuery<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: inject('postgresUrl') });
  await client.connect();
  try {
    return await client.query<R>(text);
  } finally {
    await client.end();
  }
}
