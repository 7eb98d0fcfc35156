import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '../support/databases.ts';

for (const setup of testDatabases()) {
  describe(`values from ${setup.kind}`, () => {
    let t: TestDatabase;
    const zone = process.env.TZ;
    beforeAll(async () => {
      // Where Forma's users are: a date turned into a local Date here would slip a day.
      process.env.TZ = 'Asia/Shanghai';
      t = await setup.open();
    });
    afterAll(async () => {
      process.env.TZ = zone;
      await t?.cleanup();
    });

    it('returns dates as their calendar text and bigints and counts as numbers, like the other dialect', async () => {
      const { rows } = await sql<Record<string, unknown>>`
        select '2026-11-22'::date as day, 9007199254740991::bigint as big, count(*) as n, 12.50::numeric(18, 2) as amount,
               '2026-11-22T10:00:00Z'::timestamptz as moment`.execute(t.database.db);
      expect(rows[0]).toEqual({ day: '2026-11-22', big: 9007199254740991, n: 1, amount: '12.50', moment: new Date('2026-11-22T10:00:00Z') });
    });
  });
}

describe('the embedded database belongs to one process', () => {
  it('refuses a second opening while it is open, and takes over a lock left by a process that is gone', async () => {
    const { mkdtemp, rm, writeFile, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openDatabase } = await import('../../engine/db/database.ts');
    const dataDir = await mkdtemp(join(tmpdir(), 'forma-lock-'));
    try {
      const first = await openDatabase({ kind: 'embedded', dataDir });
      const second = await openDatabase({ kind: 'embedded', dataDir }).then(() => 'opened', (e: { code?: string; text?: { 'zh-CN': string } }) => e);
      expect(second).toMatchObject({ code: 'database_in_use', text: { 'zh-CN': expect.stringContaining(`PID ${process.pid}`) } });
      await first.close();
      // A lock whose process no longer exists (PID beyond pid_max) does not keep Forma out.
      await writeFile(join(dataDir, 'forma.lock'), '4194305');
      const again = await openDatabase({ kind: 'embedded', dataDir });
      expect(await readFile(join(dataDir, 'forma.lock'), 'utf8')).toBe(String(process.pid));
      await again.close();
      await expect(readFile(join(dataDir, 'forma.lock'), 'utf8')).rejects.toThrow();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
