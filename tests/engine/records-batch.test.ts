import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../engine/records/batch.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import { getRecord, getRecordHistory } from '../../engine/records/read.ts';
import { createRecord, deleteRecord } from '../../engine/records/write.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs, L } from '../support/documents.ts';
import { refusal } from '../support/refusal.ts';
import { enrol } from '../support/users.ts';

const actor = systemActor('test');
const owner = '0190f1a2-0000-7000-8000-0000000000aa';


for (const setup of testDatabases()) {
  describe(`batch operations on ${setup.kind}`, () => {
    let t: TestDatabase;
    let ctx: RecordsContext;
    let ids: string[];
    beforeAll(async () => {
      t = await setup.open();
      ctx = { db: t.database.db, workspace: 'crm' };
      await applyChange(ctx, actor, {
        upsert: inputs(entity('customer', {
          name: field({ type: 'text' }),
          level: field({ type: 'select', options: ['A', 'B', 'C'].map((v) => ({ value: v, label: L(v, v) })) }),
          credit_limit: field({ type: 'money' }),
          tax_no: field({ type: 'text', unique: true }),
          owner: field({ type: 'user', column: 'owner_id', label: L('负责人', 'Owner') }),
          credit_text: field({ type: 'formula', expression: "concat(level, ':', credit_limit)", resultType: 'text' }),
        }, { required: ['name'] })),
      });
      ids = [];
      for (let i = 0; i < 6; i++) ids.push((await createRecord(ctx, actor, 'customer', { name: `客户${i}`, level: 'C', credit_limit: 1000 * i })).id);
      await deleteRecord(ctx, actor, 'customer', ids[5]!);
    });
    afterAll(() => t?.cleanup());

    it('reassigns owners in one go, counting only records that changed, never the recycle bin', async () => {
      expect(await runBatch(ctx, actor, 'customer', { ids: ids.slice(0, 3) }, { type: 'reassignOwner', owner })).toEqual({ changed: 3 });
      expect(await runBatch(ctx, actor, 'customer', { ids }, { type: 'reassignOwner', owner })).toEqual({ changed: 2 });
      const first = await getRecord(ctx, actor, 'customer', ids[0]!);
      // The owner field is the record's owner: reassigning one is reassigning the other.
      expect(first).toMatchObject({ owner_id: owner, owner, version: 2 });
      const history = await getRecordHistory(ctx, actor, 'customer', ids[0]!);
      expect(history.at(-1)).toMatchObject({ operation: 'update', version: 2, changes: { owner_id: [null, owner] } });
      expect((await getRecord(ctx, actor, 'customer', ids[5]!, { includeDeleted: true })).owner_id).toBeNull();
    });

    it('takes the owner field as the record owner when creating, and keeps them one value', async () => {
      const sales = { id: '0190f1a2-0000-7000-8000-0000000000cc', name: 'sales9', kind: 'user' as const };
      await enrol(ctx.db, sales, 'crm');
      const own = await createRecord(ctx, sales, 'customer', { name: '自己的客户' });
      expect(own).toMatchObject({ owner: sales.id, owner_id: sales.id });
      const given = await createRecord(ctx, sales, 'customer', { name: '指定负责人', owner });
      expect(given).toMatchObject({ owner, owner_id: owner });
      const { columns } = await import('../support/catalog.ts').then((m) => m.catalogSnapshot(ctx.db, 'ws_crm'));
      expect(columns.filter((c: any) => c.table_name === 'customer' && c.column_name.startsWith('owner')).map((c: any) => c.column_name)).toEqual(['owner_id']);
    });

    it('sets a field on every selected record, recomputing formulas and writing history', async () => {
      expect(await runBatch(ctx, actor, 'customer', { ids: ids.slice(0, 4) }, { type: 'updateField', field: 'level', value: 'A' })).toEqual({ changed: 4 });
      expect(await runBatch(ctx, actor, 'customer', { ids: ids.slice(0, 4) }, { type: 'updateField', field: 'level', value: 'A' })).toEqual({ changed: 0 });
      const third = await getRecord(ctx, actor, 'customer', ids[2]!);
      expect(third).toMatchObject({ level: 'A', credit_text: 'A:2000' });
      expect((await getRecordHistory(ctx, actor, 'customer', ids[2]!)).at(-1)!.changes).toEqual({ level: ['C', 'A'], credit_text: ['C:2000', 'A:2000'] });
    });

    it('changes nothing when one record fails, and refuses bad actions with their place', async () => {
      const before = await Promise.all(ids.slice(0, 2).map((id) => getRecord(ctx, actor, 'customer', id)));
      const taken = await refusal(runBatch(ctx, actor, 'customer', { ids: ids.slice(0, 2) }, { type: 'updateField', field: 'tax_no', value: '913100' }));
      expect(taken.problems).toMatchObject([{ code: 'value_taken', path: '/tax_no' }]);
      expect(await Promise.all(ids.slice(0, 2).map((id) => getRecord(ctx, actor, 'customer', id)))).toEqual(before);

      const bad = await refusal(runBatch(ctx, actor, 'customer', { ids }, { type: 'updateField', field: 'level', value: 'Z' }));
      expect(bad.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['field_value_invalid /action/value']);
      expect((await refusal(runBatch(ctx, actor, 'customer', { ids }, { type: 'updateField', field: 'credit_text', value: 'x' }))).problems)
        .toMatchObject([{ code: 'field_read_only' }]);
      expect((await refusal(runBatch(ctx, actor, 'customer', { ids: ['x; drop table t', ids[0]!] }, { type: 'delete' }))).problems)
        .toMatchObject([{ path: '/ids/0' }]);
      expect((await refusal(runBatch(ctx, actor, 'customer', { ids }, { type: 'reassignOwner', owner: "' or 1=1" }))).problems)
        .toMatchObject([{ path: '/action/owner' }]);
      expect((await refusal(runBatch(ctx, actor, 'customer', { ids }, { type: 'explode' } as never))).problems)
        .toMatchObject([{ path: '/action/type' }]);
    });

    it('works on every record a filter matches, checked like a list filter', async () => {
      const a = (await getRecord(ctx, actor, 'customer', ids[0]!)).level as string;
      const matching = (await Promise.all(ids.slice(0, 5).map((id) => getRecord(ctx, actor, 'customer', id)))).filter((c) => c.level === a);
      const other = '0190f1a2-0000-7000-8000-0000000000bb';
      expect(await runBatch(ctx, actor, 'customer', { filter: { field: 'level', op: 'eq', value: a } }, { type: 'reassignOwner', owner: other }))
        .toEqual({ changed: matching.length });
      for (const c of matching) expect((await getRecord(ctx, actor, 'customer', c.id)).owner_id).toBe(other);
      const bad = await refusal(runBatch(ctx, actor, 'customer', { filter: { field: 'level', op: 'gt', value: 'A' } }, { type: 'delete' }));
      expect(bad.code).toBe('query_invalid');
      expect(bad.problems.map((p) => p.path)).toEqual(['/filter/op']);
    });

    it('moves the selection to the recycle bin', async () => {
      expect(await runBatch(ctx, actor, 'customer', { ids: ids.slice(3) }, { type: 'delete' })).toEqual({ changed: 2 });
      expect((await getRecord(ctx, actor, 'customer', ids[4]!, { includeDeleted: true })).deleted_at).not.toBeNull();
      expect((await getRecordHistory(ctx, actor, 'customer', ids[4]!)).at(-1)).toMatchObject({ operation: 'delete' });
    });
  });
}
