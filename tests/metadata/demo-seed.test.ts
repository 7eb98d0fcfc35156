import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { getRecord } from '../../engine/records/read.ts';
import { entityRuntime } from '../../engine/records/runtime.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { authenticateUser } from '../../engine/security/users.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import { seedDemo } from '../../metadata/standard-crm/demo/seed.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';

const actor = systemActor('test');

for (const setup of testDatabases()) {
  // The issue asks for 10,000 customers; on the embedded database a smaller set proves the same.
  const customers = setup.kind === 'postgres' ? 10_000 : 300;

  describe(`demo data on ${setup.kind}`, { timeout: 600_000 }, () => {
    let t: TestDatabase;
    const ctx = () => ({ db: t.database.db, workspace: 'demo' });
    beforeAll(async () => {
      t = await setup.open();
      await installPackage(ctx(), actor, standardCrm);
    }, 600_000);
    afterAll(() => t?.cleanup());

    it(`seeds ${customers} customers through the records engine, every record valid, deterministically`, async () => {
      const summary = await seedDemo(ctx(), actor, { customers, password: 'forma-demo' });
      expect(summary.counts.customer).toBe(customers + 1);
      expect(summary.counts.contact).toBe(customers + 1);
      const { rows } = await sql<{ n: number }>`select count(*) as n from ws_demo.customer`.execute(t.database.db);
      expect(rows[0]!.n).toBe(customers + 1);

      // What was stored reads back as records that pass the entity's own write validation.
      const { model } = await cachedModel(t.database.db, 'demo');
      for (const entity of ['customer', 'contact', 'opportunity', 'quote'] as const) {
        const runtime = entityRuntime(model, 'demo', entity);
        const page = await runQuery(ctx(), actor, entity, { page: { size: 200 } });
        expect(page.records.length).toBeGreaterThan(0);
        for (const record of page.records) {
          const writable = Object.fromEntries(Object.entries(record).filter(([k]) => runtime.table.fields.has(k) && !['code', 'number'].includes(k)
            && runtime.table.fields.get(k)!.definition['x-forma'].type !== 'formula' && record[k] !== null));
          expect(runtime.validator.check(writable, 'update'), `${entity} ${record.id}`).toEqual([]);
        }
      }
      // Same seed, same data: the first generated customer is always the same company.
      const first = await runQuery(ctx(), actor, 'customer', { sort: [{ field: 'code' }], page: { size: 2 } });
      expect(first.records.map((r) => r.name)).toEqual(['新时代网络公司', '杭州利民酒店管理集团有限公司']);
    });

    it('tells the 新时代网络 story: 20 Dell Vostro at ¥5,000, then 10 R210 and 4 R710', async () => {
      const [xsd] = (await runQuery(ctx(), actor, 'customer', { filter: { field: 'name', op: 'eq', value: '新时代网络公司' } })).records;
      const quotes = await runQuery(ctx(), actor, 'quote', { filter: { field: 'customer', op: 'eq', value: xsd!.id }, sort: [{ field: 'quote_date' }] });
      const [pcs, servers] = await Promise.all(quotes.records.map((q) => getRecord(ctx(), actor, 'quote', q.id as string)));
      expect(pcs).toMatchObject({ total: 100000, number: expect.stringMatching(/^BJ\d{6}-\d{4}$/) });
      expect((pcs!.lines as { qty: number }[]).map((l) => l.qty)).toEqual([20]);
      expect(servers).toMatchObject({ total: 180000 });
      expect((servers!.lines as { qty: number; amount: number }[]).map((l) => [l.qty, l.amount])).toEqual([[10, 80000], [4, 100000]]);
      expect(await authenticateUser(t.database.db, 'sales1', 'forma-demo')).toMatchObject({ login: 'sales1' });
    });
  });
}
