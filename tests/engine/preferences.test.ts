import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPreferenceKeys, readPreference, readPreferences, writePreference } from '../../engine/preferences/preferences.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { workspaceMembers } from '../../engine/security/directory.ts';
import { createUser } from '../../engine/security/users.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { refusal } from '../support/refusal.ts';

const system = systemActor('test');
const keys = listPreferenceKeys('customer');

for (const setup of testDatabases()) {
  describe(`personal preferences on ${setup.kind}`, () => {
    let t: TestDatabase;
    let db: Kysely<any>;
    let sales1: Actor;
    let sales2: Actor;

    beforeAll(async () => {
      t = await setup.open();
      db = t.database.db;
      const user = async (login: string): Promise<Actor> => ({ id: (await createUser(db, system, { login, displayName: login })).id, name: login, kind: 'user' });
      sales1 = await user('sales1');
      sales2 = await user('sales2');
    });
    afterAll(() => t?.cleanup());

    it('keeps each person\'s value per workspace and key, replaces it on write and forgets it on null', async () => {
      expect(await readPreferences(db, sales1, 'crm', [keys.columns, keys.filters])).toEqual({});
      await writePreference(db, sales1, 'crm', keys.columns, { hidden: ['fax', 'customer.level'] });
      await writePreference(db, sales1, 'other', keys.columns, { hidden: ['phone'] });
      await writePreference(db, sales2, 'crm', keys.columns, { hidden: [] });
      expect(await readPreference(db, sales1, 'crm', keys.columns)).toEqual({ hidden: ['fax', 'customer.level'] });
      expect(await readPreference(db, sales1, 'other', keys.columns)).toEqual({ hidden: ['phone'] });
      expect(await readPreference(db, sales2, 'crm', keys.columns)).toEqual({ hidden: [] });

      await writePreference(db, sales1, 'crm', keys.columns, { hidden: ['industry'] });
      expect(await readPreference(db, sales1, 'crm', keys.columns)).toEqual({ hidden: ['industry'] });
      await writePreference(db, sales1, 'crm', keys.columns, null);
      expect(await readPreference(db, sales1, 'crm', keys.columns)).toBeUndefined();
      expect(await readPreference(db, sales1, 'other', keys.columns)).toEqual({ hidden: ['phone'] });
    });

    it('saves named filters in the list filter language, Chinese names and all', async () => {
      const saved = [
        { name: '我的 VIP 客户', filter: { and: [{ field: 'level', op: 'eq', value: 'VIP' }, { field: 'owner', op: 'is_not_empty' }] } },
        { name: '上海', filter: { or: [{ field: 'region', op: 'starts_with', value: '31' }, { not: { field: 'customer.level', op: 'in', value: ['A', 'B'] } }] } },
      ];
      await writePreference(db, sales1, 'crm', keys.filters, saved);
      expect(await readPreference(db, sales1, 'crm', keys.filters)).toEqual(saved);
      expect(await readPreference(db, sales2, 'crm', keys.filters)).toBeUndefined();
    });

    it('refuses unknown keys and values that do not fit their kind, every problem at its place, writing nothing', async () => {
      const unknown = await refusal(writePreference(db, sales1, 'crm', 'theme', 'dark'));
      expect(unknown.code).toBe('preference_invalid');
      expect(unknown.problems.map((p) => [p.code, p.path])).toEqual([['preference_key_unknown', '/key']]);
      expect((await refusal(writePreference(db, sales1, 'crm', 'list.Customer!.columns', { hidden: [] }))).problems[0]!.code).toBe('preference_key_unknown');
      expect((await refusal(readPreferences(db, sales1, 'crm', ['list.customer.colour']))).problems[0]!.path).toBe('/0');

      const columns = await refusal(writePreference(db, sales1, 'crm', keys.columns, { hidden: ['fax', 'fax', 'Bad Name'], extra: 1 }));
      expect(columns.problems.map((p) => p.path).sort()).toEqual(['/value/extra', '/value/hidden', '/value/hidden/2']);

      const filters = await refusal(writePreference(db, sales1, 'crm', keys.filters, [
        { name: '重复', filter: { field: 'level', op: 'between', value: 'A' } },
        { name: '重复', filter: { field: 'level', op: 'eq', value: 'A' } },
        { name: '  ', filter: { and: [] } },
      ]));
      expect(filters.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/value/0/filter/value', '/value/2/name', '/value/2/filter/and', '/value/1/name']));
      expect(filters.problems.find((p) => p.path === '/value/1/name')!.message['zh-CN']).toBe('名称 "重复" 重复');

      const deep = await refusal(writePreference(db, sales1, 'crm', keys.filters, [{ name: 'x', filter: nest(100) }]));
      expect(deep.problems.map((p) => p.code)).toEqual(['preference_too_deep']);
      const large = await refusal(writePreference(db, sales1, 'crm', keys.filters, [{ name: 'x', filter: { field: 'name', op: 'in', value: Array.from({ length: 7000 }, (_, i) => `客户名称${i}`) } }]));
      expect(large.problems.map((p) => p.code)).toEqual(['preference_too_large']);
      expect((await readPreference(db, sales1, 'crm', keys.filters) as unknown[]).length).toBe(2); // unchanged
    });

    it('has preferences for users only', async () => {
      expect((await refusal(writePreference(db, system, 'crm', keys.columns, { hidden: [] }))).code).toBe('preference_user_only');
      expect(await readPreferences(db, system, 'crm', [keys.columns])).toEqual({});
    });

    it('lists the active people of a workspace by name, for pickers', async () => {
      const zhao = await createUser(db, system, { login: 'zhao', displayName: '赵丽' });
      const gone = await createUser(db, system, { login: 'gone', displayName: '已离职' });
      await db.updateTable('forma.user').set({ active: false }).where('id', '=', gone.id).execute();
      await db.insertInto('forma.user_role').values([
        { user_id: sales1.id, workspace: 'crm', role: 'salesperson' }, { user_id: zhao.id, workspace: 'crm', role: 'salesperson' },
        { user_id: gone.id, workspace: 'crm', role: 'salesperson' }, { user_id: sales2.id, workspace: 'other', role: 'salesperson' },
      ]).execute();
      expect((await workspaceMembers(db, 'crm')).map((m) => m.login).sort()).toEqual(['sales1', 'zhao']);
      expect(await workspaceMembers(db, 'other')).toEqual([{ id: sales2.id, login: 'sales2', displayName: 'sales2' }]);
      expect(await workspaceMembers(db, 'crm', { limit: 1 })).toHaveLength(1);
    });

    it('leaves out a stored value that no longer fits its kind', async () => {
      await db.insertInto('forma.user_preference').values({ user_id: sales2.id, workspace: 'crm', key: keys.filters, value: JSON.stringify({ old: 'shape' }) }).execute();
      expect(await readPreferences(db, sales2, 'crm', [keys.filters, keys.columns])).toEqual({ [keys.columns]: { hidden: [] } });
    });
  });
}

function nest(depth: number): unknown {
  let node: unknown = { field: 'name', op: 'eq', value: 'x' };
  for (let i = 0; i < depth; i++) node = { not: node };
  return node;
}
