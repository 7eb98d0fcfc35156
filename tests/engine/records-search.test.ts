import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneVariants } from '../../engine/db/phone-digits.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import { lookupByPhone, quickSearch, similarRecords } from '../../engine/records/search.ts';
import { createRecord, deleteRecord } from '../../engine/records/write.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs, L } from '../support/documents.ts';

const actor = systemActor('test');

describe('phone numbers as callers dial them', () => {
  it.each([
    ['021-6888 1234', ['02168881234']],
    ['+86 138-0013-8000', ['8613800138000', '13800138000']],
    ['13800138000', ['13800138000', '8613800138000']],
    ['0086 13800138000', ['008613800138000', '13800138000', '8613800138000']],
    ['400-800-8888转123', ['4008008888123']],
  ])('%s', (number, variants) => {
    expect(phoneVariants(number)).toEqual(variants);
  });
});

for (const setup of testDatabases()) {
  describe(`search on ${setup.kind}`, () => {
    let t: TestDatabase;
    let ctx: RecordsContext;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      t = await setup.open();
      ctx = { db: t.database.db, workspace: 'crm' };
      await applyChange(ctx, actor, {
        upsert: inputs(
          entity('customer', {
            name: field({ type: 'text', searchable: true, label: L('客户名称', 'Name') }),
            short_name: field({ type: 'text', searchable: true }),
            phone: field({ type: 'phone' }),
          }, { required: ['name'], options: { displayField: 'name' } }),
          entity('contact', {
            name: field({ type: 'text', searchable: true }),
            mobile: field({ type: 'phone' }),
            customer: field({ type: 'lookup', target: 'customer' }),
          }, { options: { displayField: 'name' } }),
        ),
      });
      for (const [key, name, short_name, phone] of [
        ['xsd', '上海新时代网络科技有限公司', '新时代', '021-6888 1234'],
        ['xsdbj', '北京新时代网络技术有限公司', null, '010-5555 6666'],
        ['hy', '北京华远贸易有限公司', '华远', '+86 138 0013 8000'],
        ['pct', '50% Off Discount Store', null, null],
        ['gone', '新时代网络（已删除）', null, '021-6888 1234'],
      ] as const) {
        ids[key] = (await createRecord(ctx, actor, 'customer', { name, short_name, phone })).id;
      }
      await deleteRecord(ctx, actor, 'customer', ids.gone!);
      await createRecord(ctx, actor, 'contact', { name: '张伟', mobile: '13800138000', customer: ids.xsd });
    });
    afterAll(() => t?.cleanup());

    it('finds a Chinese substring, best match first, never the recycle bin', async () => {
      const hits = await quickSearch(ctx, actor, 'customer', '新时代网络');
      expect(hits.map((h) => h.label)).toEqual(['上海新时代网络科技有限公司', '北京新时代网络技术有限公司']);
      expect(hits[0]!.matched).toEqual(['name']);
      for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
      const short = await quickSearch(ctx, actor, 'customer', '华远');
      expect(short.map((h) => [h.label, h.matched])).toEqual([['北京华远贸易有限公司', ['name', 'short_name']]]);
      expect((await quickSearch(ctx, actor, 'customer', '新时代'))[0]!.label).toBe('上海新时代网络科技有限公司');
    });

    it('takes % and _ literally, and is case-insensitive', async () => {
      expect((await quickSearch(ctx, actor, 'customer', '50%')).map((h) => h.label)).toEqual(['50% Off Discount Store']);
      expect(await quickSearch(ctx, actor, 'customer', '%')).toHaveLength(1);
      expect(await quickSearch(ctx, actor, 'customer', '_')).toHaveLength(0);
      expect((await quickSearch(ctx, actor, 'customer', 'DISCOUNT')).map((h) => h.label)).toEqual(['50% Off Discount Store']);
      expect(await quickSearch(ctx, actor, 'customer', "'; drop table ws_crm.customer; --")).toEqual([]);
    });

    it('shows similar customers while a new one is typed (查找相似客户)', async () => {
      const byName = await similarRecords(ctx, actor, 'customer', { name: '新时代网络' });
      expect(byName.map((h) => h.label)).toEqual(['上海新时代网络科技有限公司', '北京新时代网络技术有限公司']);
      const byPhone = await similarRecords(ctx, actor, 'customer', { name: '完全不同的名字', phone: '02168881234' });
      expect(byPhone.map((h) => [h.label, h.matched, h.score])).toEqual([['上海新时代网络科技有限公司', ['phone'], 1]]);
      const editing = await similarRecords(ctx, actor, 'customer', { name: '上海新时代网络科技有限公司' }, { except: ids.xsd });
      expect(editing.map((h) => h.id)).not.toContain(ids.xsd);
      expect(await similarRecords(ctx, actor, 'customer', { name: '毫无关系' })).toEqual([]);
    });

    it('finds the caller by phone across customers and contacts (来电弹屏)', async () => {
      const landline = await lookupByPhone(ctx, actor, '(021) 68881234');
      expect(landline.map((m) => [m.entity, m.field, m.record.name])).toEqual([['customer', 'phone', '上海新时代网络科技有限公司']]);
      const mobile = await lookupByPhone(ctx, actor, '+86 138 0013 8000');
      expect(mobile.map((m) => [m.entity, m.record.name]).sort()).toEqual([['contact', '张伟'], ['customer', '北京华远贸易有限公司']]);
      const contact = mobile.find((m) => m.entity === 'contact')!;
      expect(contact.record._labels).toEqual({ customer: '上海新时代网络科技有限公司' });
      expect(await lookupByPhone(ctx, actor, '12')).toEqual([]);
    });
  });
}
