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
