import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../engine/db/database.ts';
import { cachedModel, watchMetadataChanges } from '../../engine/metadata/model-cache.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs } from '../support/documents.ts';

const actor = systemActor('test');
const customer = (extra: Record<string, unknown> = {}) => entity('customer', { name: field({ type: 'text' }), ...extra });

for (const setup of testDatabases()) {
  describe(`metadata cache on ${setup.kind}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await setup.open();
    });
    afterAll(() => t?.cleanup());

    it('sees a change applied through the same handle at once', async () => {
      const ctx = { db: t.database.db, workspace: 'one' };
      const stop = await watchMetadataChanges(t.database);
      await applyChange(ctx, actor, { upsert: inputs(customer()) });
      expect((await cachedModel(ctx.db, 'one')).version).toBe(1);
      await applyChange(ctx, actor, { upsert: inputs(customer({ phone: field({ type: 'phone' }) })) });
      expect((await cachedModel(ctx.db, 'one')).version).toBe(2);
      await stop();
    });

    it.runIf(setup.kind === 'postgres')('sees a change another process applied, through LISTEN/NOTIFY', async () => {
      // A second handle on the same database stands for a second app server.
      const other: Database = await openDatabase({ kind: 'postgres', url: t.url! });
      const stop = await watchMetadataChanges(other);
      try {
        const here = { db: t.database.db, workspace: 'two' };
        await applyChange(here, actor, { upsert: inputs(customer()) });
        const before = await cachedModel(other.db, 'two');
        expect(before.version).toBe(1);
        await applyChange(here, actor, { upsert: inputs(customer({ phone: field({ type: 'phone' }) })) });
        await expect.poll(async () => (await cachedModel(other.db, 'two')).version, { timeout: 5000 }).toBe(2);
        expect((await cachedModel(other.db, 'two')).model.get('entity:customer')).toMatchObject({ schema: { properties: { phone: {} } } });
      } finally {
        await stop();
        await other.close();
      }
    });
  });
}
