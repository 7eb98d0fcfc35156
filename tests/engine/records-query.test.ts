import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormaError } from '../../engine/errors.ts';
import type { Model } from '../../engine/metadata/model.ts';
import { loadModel, type WorkspaceContext } from '../../engine/metadata/store.ts';
import { runQuery, type FilterTree, type QueryResult, type SortKey } from '../../engine/records/query/index.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { catalogSnapshot } from '../support/catalog.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs, L } from '../support/documents.ts';

const actor = systemActor('test');
const options = (...values: string[]) => values.map((value) => ({ value, label: L(value, value) }));

const customerFields = {
  name: field({ type: 'text', searchable: true }),
  phone: field({ type: 'phone' }),
  level: field({ type: 'select', options: options('A', 'B', 'C', 'VIP') }),
  credit: field({ type: 'money' }),
  birthday: field({ type: 'date' }),
  tags: field({ type: 'multiselect', options: options('vip', 'new', 'export') }),
  active: field({ type: 'boolean' }),
  owner_note: field({ type: 'textarea' }),
  last_visit: field({ type: 'datetime' }),
  attachments: field({ type: 'file', multiple: true }),
  visits: field({ type: 'lines', entity: 'customer_visit' }),
};
const customer = (extra: Record<string, unknown> = {}) => entity('customer', { ...customerFields, ...extra }, { required: ['name'] });
const customerVisit = entity('customer_visit', { note: field({ type: 'text' }) });
const contact = entity('contact', { name: field({ type: 'text' }), customer: field({ type: 'lookup', target: 'customer' }) }, { required: ['name'] });
const event = entity('event', { kind: field({ type: 'text' }) });

/** One customer as inserted; `created_at` as UTC ISO text to the microsecond, so it sorts as text. */
interface Customer {
  id: string;
  name: string;
  phone: string | null;
  level: string | null;
  credit: number | null;
  birthday: string | null;
  tags: string[] | null;
  active: boolean | null;
  owner_note: string | null;
  last_visit: string | null;
  attachments: unknown[] | null;
  created_at: string;
  deleted: boolean;
}

const customerNames = [
  '上海新时代网络科技有限公司', '北京新时代文化传媒有限公司', '广州新时代网络设备厂', '深圳华强电子', '50%折扣商行',
  '50折扣商行', 'a_b 贸易', 'axb 贸易', 'C:\\dir 公司', 'Acme Trading',
  'acme trading co', '杭州西湖茶叶', '成都天府软件', '武汉光谷科技', '南京金陵饭店',
  '苏州园林设计', '天津港物流', '重庆火锅集团', '西安古城旅游', '青岛啤酒经销',
  '大连海鲜批发', '厦门鼓浪屿文创', "Robert'); DROP TABLE customer;--", '长沙湘江传媒', '合肥科大讯通',
  '郑州中原物流', '昆明花卉园艺', '宁波港口贸易', '温州鞋业', '已删除客户',
];

// Nulls, empty strings, empty arrays, equal values and timestamps one microsecond apart, spread
// so that every sort key has ties and gaps.
const customers: Customer[] = customerNames.map((name, i) => ({
  id: randomUUID(),
  name,
  phone: i % 7 === 3 ? null : i % 7 === 5 ? '' : `138${String(i * 7919 % 100000000).padStart(8, '0')}`,
  level: ['A', 'B', null, 'C', 'VIP'][i % 5]!,
  credit: i % 5 === 2 ? null : [0, 800, 5000, 5000, 12000.5, 99999.99, -300][i % 7]!,
  birthday: i % 4 === 1 ? null : `19${70 + i}-${String((i % 9) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
  tags: [null, [], ['vip'], ['new'], ['vip', 'export'], ['export']][i % 6]!,
  active: [true, false, null][i % 3]!,
  owner_note: i % 4 === 0 ? `备注 ${i}：重要客户` : null,
  last_visit: i % 3 === 0 ? null : `2026-${String((i % 9) + 1).padStart(2, '0')}-15T10:${String(i).padStart(2, '0')}:00+08:00`,
  attachments: i % 8 === 0 ? [{ id: randomUUID(), name: `合同${i}.pdf` }] : i % 8 === 1 ? [] : null,
  created_at: `2026-11-${String(1 + Math.floor(i / 3)).padStart(2, '0')}T01:00:00.${123456 + (i % 2)}Z`,
  deleted: i === customerNames.length - 1,
}));
const live = customers.filter((c) => !c.deleted);

const contacts = [
  ['张三', 0], ['李四', 0], ['王五', 1], ['赵六', 2], ['钱七', 3], ['孙八', null], ['周九', 4], ['吴十', 29],
  ['Zed', 9], ['amy', 10], ['郑一', 2], ['冯二', 7], ['陈三', 13], ['褚四', 14], ['卫五', 5],
].map(([name, index]) => ({ id: randomUUID(), name: name as string, customer: index === null ? null : customers[index as number]! }));

/** The FormaError a promise rejects with (fails the test when it resolves, or rejects with anything else). */
async function refusal(promise: Promise<unknown>): Promise<FormaError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FormaError);
  return error as FormaError;
}

/** Problems as [path, code] pairs, the way the assertions read best. */
const problemsOf = (error: FormaError) => error.problems.map((p) => [p.path, p.code]);

type Value = string | number | boolean | null;

/** Orders like the database: per key empty values count as largest, then the id in the last key's direction. */
function compareBy(keys: { value: (row: any) => Value; direction: 'asc' | 'desc' }[]) {
  return (a: { id: string }, b: { id: string }) => {
    for (const key of keys) {
      const x = key.value(a);
      const y = key.value(b);
      if (x === y) continue;
      const order = x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
      return key.direction === 'asc' ? order : -order;
    }
    const byId = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return keys.at(-1)?.direction === 'desc' ? -byId : byId;
  };
}

for (const setup of testDatabases()) {
  describe(`record queries on ${setup.kind}`, () => {
    let t: TestDatabase;
    let db: Kysely<any>;
    let model: Model;
    const ctx = (): WorkspaceContext => ({ db, workspace: 'q' });
    const table = (name: string) => sql.id('ws_q', name);
    const query = (entityName: string, q: unknown): Promise<QueryResult> => runQuery({ db, workspace: 'q' }, systemActor('test'), entityName, q);
    const names = async (q: Record<string, unknown>, entityName = 'customer') =>
      (await query(entityName, { ...q, page: { size: 200 } })).records.map((r) => r.name as string).sort();
    const expectCustomers = async (filter: FilterTree, predicate: (c: Customer) => boolean) =>
      expect(await names({ filter }), JSON.stringify(filter)).toEqual(live.filter(predicate).map((c) => c.name).sort());

    beforeAll(async () => {
      t = await setup.open();
      db = t.database.db;
      // `fax` exists, holds data, then is archived: a query must not see it.
      await applyChange(ctx(), actor, { upsert: inputs(customerVisit, customer({ fax: field({ type: 'text' }) }), contact, event) });
      await applyChange(ctx(), actor, { upsert: inputs(customerVisit, customer(), contact, event) });
      model = await loadModel(ctx());
      for (const c of customers) {
        await sql`insert into ${table('customer')}
          (id, name, phone, level, credit, birthday, tags, active, owner_note, last_visit, attachments, fax, created_at, deleted_at)
          values (${c.id}, ${c.name}, ${c.phone}, ${c.level}, ${c.credit}, ${c.birthday}, ${c.tags}, ${c.active}, ${c.owner_note},
            ${c.last_visit}, cast(${c.attachments === null ? null : JSON.stringify(c.attachments)} as jsonb), ${'fax'},
            ${c.created_at}, ${c.deleted ? sql`now()` : null})`.execute(db);
      }
      for (const c of contacts) {
        await sql`insert into ${table('contact')} (id, name, customer) values (${c.id}, ${c.name}, ${c.customer?.id ?? null})`.execute(db);
      }
      await sql`insert into ${table('event')} (id, kind) select gen_random_uuid(), 'k' || (g % 3) from generate_series(1, 10050) g`.execute(db);
      await sql`analyze ${table('event')}`.execute(db);
    });
    afterAll(() => t?.cleanup());

    it('returns records keyed by field name, values converted, system fields always, lookups as ids', async () => {
      const shanghai = customers[0]!;
      const { records } = await query('customer', { filter: { field: 'id', op: 'eq', value: shanghai.id } });
      expect(records).toHaveLength(1);
      expect(records[0]).toEqual({
        id: shanghai.id, name: shanghai.name, phone: shanghai.phone, level: 'A', credit: 0, birthday: '1970-01-01',
        tags: null, active: true, owner_note: '备注 0：重要客户', last_visit: null, attachments: shanghai.attachments,
        created_at: '2026-11-01T01:00:00.123Z', created_by: null, updated_at: expect.any(String), updated_by: null,
        owner_id: null, version: 1, deleted_at: null,
      });
      const picked = await query('customer', { fields: ['credit', 'name', 'credit', 'created_at', 'version'], filter: { field: 'name', op: 'eq', value: '深圳华强电子' } });
      expect(Object.keys(picked.records[0]!)).toEqual(['id', 'credit', 'name', ...['created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id', 'version', 'deleted_at']]);
      expect(picked.records[0]).toMatchObject({ credit: 5000, name: '深圳华强电子' });
      const visited = (await query('customer', { fields: ['last_visit', 'tags'], filter: { field: 'name', op: 'eq', value: '北京新时代文化传媒有限公司' } })).records[0]!;
      expect(visited).toMatchObject({ last_visit: '2026-02-15T02:01:00.000Z', tags: [] });
      const zhang = (await query('contact', { filter: { field: 'name', op: 'eq', value: '张三' } })).records[0]!;
      expect(zhang).toMatchObject({ name: '张三', customer: customers[0]!.id });
      expect(Object.keys(zhang).filter((k) => k.includes('__'))).toEqual([]);
    });

    it('compares with every operator, empty values included as documented', async () => {
      await expectCustomers({ field: 'name', op: 'eq', value: 'Acme Trading' }, (c) => c.name === 'Acme Trading');
      await expectCustomers({ field: 'level', op: 'eq', value: 'VIP' }, (c) => c.level === 'VIP');
      await expectCustomers({ field: 'level', op: 'ne', value: 'A' }, (c) => c.level !== 'A');
      await expectCustomers({ field: 'credit', op: 'eq', value: 5000 }, (c) => c.credit === 5000);
      await expectCustomers({ field: 'credit', op: 'ne', value: 5000 }, (c) => c.credit !== 5000);
      await expectCustomers({ field: 'credit', op: 'gt', value: 5000 }, (c) => c.credit !== null && c.credit > 5000);
      await expectCustomers({ field: 'credit', op: 'gte', value: 5000 }, (c) => c.credit !== null && c.credit >= 5000);
      await expectCustomers({ field: 'credit', op: 'lt', value: 800 }, (c) => c.credit !== null && c.credit < 800);
      await expectCustomers({ field: 'credit', op: 'lte', value: 0 }, (c) => c.credit !== null && c.credit <= 0);
      await expectCustomers({ field: 'credit', op: 'between', value: [800, 5000] }, (c) => c.credit !== null && c.credit >= 800 && c.credit <= 5000);
      await expectCustomers({ field: 'credit', op: 'in', value: [0, 12000.5] }, (c) => c.credit === 0 || c.credit === 12000.5);
      await expectCustomers({ field: 'credit', op: 'not_in', value: [0, 12000.5] }, (c) => c.credit !== 0 && c.credit !== 12000.5);
      await expectCustomers({ field: 'credit', op: 'is_empty' }, (c) => c.credit === null);
      await expectCustomers({ field: 'credit', op: 'is_not_empty' }, (c) => c.credit !== null);
      await expectCustomers({ field: 'level', op: 'in', value: ['A', 'VIP'] }, (c) => c.level === 'A' || c.level === 'VIP');
      await expectCustomers({ field: 'level', op: 'not_in', value: ['A', 'VIP'] }, (c) => c.level !== 'A' && c.level !== 'VIP');
      await expectCustomers({ field: 'level', op: 'is_empty' }, (c) => c.level === null);
      // Dates compare as dates, datetimes as moments whatever the zone they are written in.
      await expectCustomers({ field: 'birthday', op: 'between', value: ['1975-01-01', '1985-12-31'] },
        (c) => c.birthday !== null && c.birthday >= '1975-01-01' && c.birthday <= '1985-12-31');
      await expectCustomers({ field: 'birthday', op: 'eq', value: '1974-05-05' }, (c) => c.birthday === '1974-05-05');
      await expectCustomers({ field: 'last_visit', op: 'gt', value: '2026-05-15T01:00:00Z' },
        (c) => c.last_visit !== null && Date.parse(c.last_visit) > Date.parse('2026-05-15T01:00:00Z'));
      await expectCustomers({ field: 'last_visit', op: 'lte', value: '2026-05-15T10:14:00+08:00' },
        (c) => c.last_visit !== null && Date.parse(c.last_visit) <= Date.parse('2026-05-15T10:14:00+08:00'));
      await expectCustomers({ field: 'created_at', op: 'gte', value: '2026-11-09T01:00:00.123457Z' }, (c) => c.created_at >= '2026-11-09T01:00:00.123457Z');
      // Text: empty is null or ''; ranges follow the collation; contains/starts_with ignore case.
      await expectCustomers({ field: 'phone', op: 'is_empty' }, (c) => c.phone === null || c.phone === '');
      await expectCustomers({ field: 'phone', op: 'is_not_empty' }, (c) => c.phone !== null && c.phone !== '');
      await expectCustomers({ field: 'phone', op: 'ne', value: '13800000000' }, (c) => c.phone !== '13800000000');
      await expectCustomers({ field: 'phone', op: 'gt', value: '13850000000' }, (c) => c.phone !== null && c.phone > '13850000000');
      await expectCustomers({ field: 'name', op: 'contains', value: 'ACME' }, (c) => c.name.toLowerCase().includes('acme'));
      await expectCustomers({ field: 'name', op: 'starts_with', value: '50' }, (c) => c.name.startsWith('50'));
      await expectCustomers({ field: 'owner_note', op: 'contains', value: '重要' }, (c) => c.owner_note?.includes('重要') ?? false);
      await expectCustomers({ field: 'owner_note', op: 'is_empty' }, (c) => c.owner_note === null);
      // Booleans: ne true keeps the empty ones.
      await expectCustomers({ field: 'active', op: 'eq', value: false }, (c) => c.active === false);
      await expectCustomers({ field: 'active', op: 'ne', value: true }, (c) => c.active !== true);
      await expectCustomers({ field: 'active', op: 'is_empty' }, (c) => c.active === null);
      // Multiselect: eq/contains = has, ne = lacks, in = has any, not_in = has none; empty = null or [].
      const has = (c: Customer, tag: string) => c.tags?.includes(tag) ?? false;
      await expectCustomers({ field: 'tags', op: 'eq', value: 'vip' }, (c) => has(c, 'vip'));
      await expectCustomers({ field: 'tags', op: 'contains', value: 'vip' }, (c) => has(c, 'vip'));
      await expectCustomers({ field: 'tags', op: 'ne', value: 'vip' }, (c) => !has(c, 'vip'));
      await expectCustomers({ field: 'tags', op: 'in', value: ['new', 'export'] }, (c) => has(c, 'new') || has(c, 'export'));
      await expectCustomers({ field: 'tags', op: 'not_in', value: ['new', 'export'] }, (c) => !has(c, 'new') && !has(c, 'export'));
      await expectCustomers({ field: 'tags', op: 'is_empty' }, (c) => !c.tags?.length);
      await expectCustomers({ field: 'tags', op: 'is_not_empty' }, (c) => Boolean(c.tags?.length));
      await expectCustomers({ field: 'attachments', op: 'is_empty' }, (c) => !c.attachments?.length);
      await expectCustomers({ field: 'attachments', op: 'is_not_empty' }, (c) => Boolean(c.attachments?.length));
      // References and system columns.
      const some = [customers[3]!.id, customers[4]!.id, customers[29]!.id];
      await expectCustomers({ field: 'id', op: 'in', value: some }, (c) => some.includes(c.id));
      await expectCustomers({ field: 'owner_id', op: 'is_empty' }, () => true);
      await expectCustomers({ field: 'deleted_at', op: 'is_not_empty' }, () => false);
    });

    it('takes contains and starts_with literally, Chinese included', async () => {
      await expectCustomers({ field: 'name', op: 'contains', value: '新时代网络' }, (c) => c.name.includes('新时代网络'));
      expect(await names({ filter: { field: 'name', op: 'contains', value: '新时代网络' } })).toEqual(['上海新时代网络科技有限公司', '广州新时代网络设备厂'].sort());
      expect(await names({ filter: { field: 'name', op: 'contains', value: '50%' } })).toEqual(['50%折扣商行']);
      expect(await names({ filter: { field: 'name', op: 'contains', value: '%' } })).toEqual(['50%折扣商行']);
      expect(await names({ filter: { field: 'name', op: 'contains', value: 'a_b' } })).toEqual(['a_b 贸易']);
      expect(await names({ filter: { field: 'name', op: 'starts_with', value: '_' } })).toEqual([]);
      expect(await names({ filter: { field: 'name', op: 'contains', value: '\\' } })).toEqual(['C:\\dir 公司']);
      expect(await names({ filter: { field: 'name', op: 'contains', value: ':\\d' } })).toEqual(['C:\\dir 公司']);
    });

    it('nests and, or and not; not is the exact complement, empty values included', async () => {
      const bigCredit = (c: Customer) => c.credit !== null && c.credit > 5000;
      await expectCustomers(
        { and: [{ field: 'level', op: 'in', value: ['A', 'B'] }, { or: [{ field: 'credit', op: 'gt', value: 5000 }, { field: 'active', op: 'eq', value: true }] }] },
        (c) => (c.level === 'A' || c.level === 'B') && (bigCredit(c) || c.active === true));
      await expectCustomers({ not: { field: 'credit', op: 'gt', value: 5000 } }, (c) => !bigCredit(c));
      await expectCustomers({ not: { not: { field: 'credit', op: 'gt', value: 5000 } } }, bigCredit);
      await expectCustomers({ not: { and: [{ field: 'level', op: 'eq', value: 'A' }, { field: 'active', op: 'eq', value: true }] } },
        (c) => !(c.level === 'A' && c.active === true));
      await expectCustomers({ not: { field: 'phone', op: 'is_not_empty' } }, (c) => c.phone === null || c.phone === '');
      await expectCustomers({ not: { field: 'tags', op: 'eq', value: 'vip' } }, (c) => !(c.tags?.includes('vip') ?? false));
      await expectCustomers(
        { or: [{ and: [{ field: 'level', op: 'eq', value: 'C' }, { not: { field: 'birthday', op: 'is_empty' } }] }, { field: 'name', op: 'starts_with', value: 'a' }] },
        (c) => (c.level === 'C' && c.birthday !== null) || c.name.toLowerCase().startsWith('a'));
    });

    it('filters and sorts one hop through a lookup (LEFT JOIN: no customer counts as empty)', async () => {
      const levelOf = (c: (typeof contacts)[number]) => c.customer?.level ?? null;
      const contactNames = (predicate: (c: (typeof contacts)[number]) => boolean) => contacts.filter(predicate).map((c) => c.name).sort();
      expect(await names({ filter: { field: 'customer.level', op: 'eq', value: 'A' } }, 'contact')).toEqual(contactNames((c) => levelOf(c) === 'A'));
      expect(await names({ filter: { field: 'customer.level', op: 'is_empty' } }, 'contact')).toEqual(contactNames((c) => levelOf(c) === null));
      expect(await names({ filter: { and: [{ field: 'customer.name', op: 'contains', value: '新时代' }, { field: 'customer.credit', op: 'gte', value: 0 }] } }, 'contact'))
        .toEqual(contactNames((c) => (c.customer?.name.includes('新时代') ?? false) && c.customer!.credit !== null && c.customer!.credit >= 0));
      // The deleted customer's contact still sees its customer: the lookup is kept, not the bin.
      expect(await names({ filter: { field: 'customer.deleted_at', op: 'is_not_empty' } }, 'contact')).toEqual(['吴十']);

      const sort: SortKey[] = [{ field: 'customer.credit', direction: 'desc' }, { field: 'name' }];
      const expected = [...contacts].sort(compareBy([
        { value: (c) => c.customer?.credit ?? null, direction: 'desc' },
        { value: (c) => c.name, direction: 'asc' },
      ])).map((c) => c.id);
      const { records } = await query('contact', { sort, page: { size: 200 } });
      expect(records.map((r) => r.id)).toEqual(expected);
      // Keyset pages through the join as well.
      const paged: unknown[] = [];
      let after: string | undefined;
      do {
        const page: QueryResult = await query('contact', { sort, page: { size: 4, ...(after ? { after } : {}) } });
        paged.push(...page.records.map((r) => r.id));
        after = page.next;
      } while (after);
      expect(paged).toEqual(expected);
    });

    const cases: { title: string; sort?: SortKey[]; keys: { value: (c: Customer) => Value; direction: 'asc' | 'desc' }[] }[] = [
      { title: 'default: newest first, ties one microsecond apart and equal', keys: [{ value: (c) => c.created_at, direction: 'desc' }] },
      { title: 'asc with nulls and ties', sort: [{ field: 'level' }], keys: [{ value: (c) => c.level, direction: 'asc' }] },
      { title: 'desc with nulls and ties', sort: [{ field: 'credit', direction: 'desc' }], keys: [{ value: (c) => c.credit, direction: 'desc' }] },
      {
        title: 'mixed directions, nulls in every key',
        sort: [{ field: 'level', direction: 'asc' }, { field: 'credit', direction: 'desc' }, { field: 'birthday', direction: 'asc' }],
        keys: [{ value: (c) => c.level, direction: 'asc' }, { value: (c) => c.credit, direction: 'desc' }, { value: (c) => c.birthday, direction: 'asc' }],
      },
      {
        title: 'booleans desc, then moments asc',
        sort: [{ field: 'active', direction: 'desc' }, { field: 'last_visit' }],
        keys: [{ value: (c) => c.active, direction: 'desc' }, { value: (c) => (c.last_visit === null ? null : Date.parse(c.last_visit)), direction: 'asc' }],
      },
      { title: "text with '' and null", sort: [{ field: 'phone', direction: 'desc' }], keys: [{ value: (c) => c.phone, direction: 'desc' }] },
    ];
    for (const { title, sort, keys } of cases) {
      it(`sorts with empty values last and pages alike by cursor and by number: ${title}`, async () => {
        const expected = [...live].sort(compareBy(keys)).map((c) => c.id);
        const base = sort ? { sort } : {};
        const full = await query('customer', { ...base, page: { size: 200 } });
        expect(full.records.map((r) => r.id)).toEqual(expected);
        expect(full.next).toBeUndefined();

        const byNumber: unknown[] = [];
        for (let number = 1; number <= 4; number += 1) {
          const page = await query('customer', { ...base, page: { size: 8, number } });
          byNumber.push(...page.records.map((r) => r.id));
          expect(page.next === undefined).toBe(number === 4);
        }
        expect(byNumber).toEqual(expected);

        const byCursor: unknown[][] = [];
        let after: string | undefined;
        do {
          const page: QueryResult = await query('customer', { ...base, page: { size: 8, ...(after ? { after } : {}) } });
          byCursor.push(page.records.map((r) => r.id));
          after = page.next;
        } while (after);
        expect(byCursor.map((p) => p.length)).toEqual([8, 8, 8, 5]);
        expect(byCursor.flat()).toEqual(expected);
      });
    }

    it('lists the recycle bin apart', async () => {
      expect(await names({})).toEqual(live.map((c) => c.name).sort());
      expect(await names({ deleted: 'exclude' })).toEqual(live.map((c) => c.name).sort());
      const bin = await query('customer', { deleted: 'only', count: true });
      expect(bin.records.map((r) => r.name)).toEqual(['已删除客户']);
      expect(bin.records[0]!.deleted_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
      expect(bin.total).toEqual({ value: 1, exact: true });
      expect(await names({ deleted: 'only', filter: { field: 'level', op: 'eq', value: 'A' } })).toEqual([]);
    });

    it('counts exactly up to 10,000 and estimates beyond', async () => {
      expect((await query('customer', { count: true, page: { size: 1 } })).total).toEqual({ value: live.length, exact: true });
      expect((await query('customer', { count: true, filter: { field: 'level', op: 'eq', value: 'A' } })).total)
        .toEqual({ value: live.filter((c) => c.level === 'A').length, exact: true });
      expect((await query('customer', {})).total).toBeUndefined();
      expect((await query('event', { count: true, filter: { field: 'kind', op: 'eq', value: 'k1' } })).total).toEqual({ value: 3350, exact: true });
      const all = await query('event', { count: true, page: { size: 3 } });
      expect(all.records).toHaveLength(3);
      expect(all.total!.exact).toBe(false);
      expect(all.total!.value).toBeGreaterThanOrEqual(10_000);
      expect(all.total!.value).toBeLessThan(12_000); // the planner's estimate after ANALYZE: ~10,050
    });

    it('reports every problem at once, each at its JSON Pointer, and touches nothing', async () => {
      const error = await refusal(query('customer', {
        filter: {
          and: [
            { field: 'nope', op: 'eq', value: 1 },
            { field: 'credit', op: 'eq', value: '5000' },
            { field: 'credit', op: 'contains', value: '5' },
            { field: 'active', op: 'gt', value: true },
            { field: 'level', op: 'eq', value: 'Z' },
            { field: 'birthday', op: 'eq', value: '2026-02-30' },
            { field: 'fax', op: 'eq', value: 'x' },
            { field: 'name.first', op: 'eq', value: 'x' },
            { or: [{ field: 'level', op: 'contains', value: 'A' }, { field: 'credit', op: 'in', value: [1, 'x', 2] }] },
            { field: 'credit', op: 'between', value: [1] },
            { not: { field: 'tags', op: 'in', value: ['vip', 'gold'] } },
            { field: 'visits', op: 'is_empty' },
            { field: 'last_visit', op: 'gt', value: '2026-01-01' },
            { field: 'attachments', op: 'eq', value: 'a' },
          ],
        },
        sort: [{ field: 'tags' }, { field: 'visits' }, { field: 'nope', direction: 'desc' }, { field: 'attachments' }, { field: 'owner_note' }, { field: 'credit' }],
        fields: ['name', 'nope', 'fax', 'visits', 'customer.name'],
      }));
      expect(error.code).toBe('query_invalid');
      expect(problemsOf(error)).toEqual([
        ['/filter/and/9/value', 'schema_violation'],
        ['/filter/and/0/field', 'field_unknown'],
        ['/filter/and/1/value', 'query_value_invalid'],
        ['/filter/and/2/op', 'query_operator_unsupported'],
        ['/filter/and/3/op', 'query_operator_unsupported'],
        ['/filter/and/4/value', 'query_value_invalid'],
        ['/filter/and/5/value', 'query_value_invalid'],
        ['/filter/and/6/field', 'field_unknown'],
        ['/filter/and/7/field', 'query_path_not_lookup'],
        ['/filter/and/8/or/0/op', 'query_operator_unsupported'],
        ['/filter/and/8/or/1/value/1', 'query_value_invalid'],
        ['/filter/and/10/not/value/1', 'query_value_invalid'],
        ['/filter/and/11/field', 'query_lines_field'],
        ['/filter/and/12/value', 'query_value_invalid'],
        ['/filter/and/13/op', 'query_operator_unsupported'],
        ['/sort/0/field', 'query_field_unsortable'],
        ['/sort/1/field', 'query_lines_field'],
        ['/sort/2/field', 'field_unknown'],
        ['/sort/3/field', 'query_field_unsortable'],
        ['/sort/4/field', 'query_field_unsortable'],
        ['/fields/1', 'field_unknown'],
        ['/fields/2', 'field_unknown'],
        ['/fields/3', 'query_lines_field'],
        ['/fields/4', 'query_field_not_own'],
      ]);
      expect(error.text).toEqual({ 'zh-CN': '查询无效：发现 24 个问题', en: 'Invalid query: 24 problem(s)' });
      const byPath = new Map(error.problems.map((p) => [p.path, p.message]));
      expect(byPath.get('/filter/and/2/op')).toEqual({
        'zh-CN': '字段 "credit"（money）不支持运算符 contains，可用：eq, ne, gt, gte, lt, lte, between, in, not_in, is_empty, is_not_empty',
        en: 'Field "credit" (money) does not support operator contains; available: eq, ne, gt, gte, lt, lte, between, in, not_in, is_empty, is_not_empty',
      });
      expect(byPath.get('/filter/and/0/field')!.en).toBe('Entity "customer" has no field "nope"');
      expect(byPath.get('/filter/and/6/field')!.en).toBe('Entity "customer" has no field "fax"'); // archived = unknown
      expect(byPath.get('/filter/and/1/value')!.en).toBe('Invalid value for field "credit": must be number');
      expect(byPath.get('/filter/and/4/value')!.en).toBe('Invalid value for field "level": must be equal to one of the allowed values: "A", "B", "C", "VIP"');
      expect(byPath.get('/filter/and/4/value')!['zh-CN']).toMatch(/^字段 "level" 的值无效：/);
      expect(byPath.get('/filter/and/5/value')!.en).toBe('Invalid value for field "birthday": must match format "date"');
      expect(byPath.get('/filter/and/9/value')!.en).toBe('must NOT have fewer than 2 items');
      expect(byPath.get('/sort/0/field')!.en).toBe('Records cannot be sorted by field "tags" (multiselect)');
    });

    it('follows lookups one hop only, to active fields of active entities', async () => {
      const error = await refusal(query('contact', {
        filter: { and: [
          { field: 'customer.nope', op: 'eq', value: 'x' },
          { field: 'customer.fax', op: 'eq', value: 'x' },
          { field: 'customer.name.first', op: 'eq', value: 'x' },
          { field: 'name.customer', op: 'eq', value: 'x' },
          { field: 'customer.tags', op: 'gt', value: 'vip' },
          { field: 'customer.visits', op: 'is_empty' },
          { field: 'customer', op: 'eq', value: 'not-a-uuid' },
        ] },
        sort: [{ field: 'customer.tags' }],
      }));
      expect(problemsOf(error)).toEqual([
        ['/filter/and/2/field', 'schema_violation'],
        ['/filter/and/0/field', 'field_unknown'],
        ['/filter/and/1/field', 'field_unknown'],
        ['/filter/and/3/field', 'query_path_not_lookup'],
        ['/filter/and/4/op', 'query_operator_unsupported'],
        ['/filter/and/5/field', 'query_lines_field'],
        ['/filter/and/6/value', 'query_value_invalid'],
        ['/sort/0/field', 'query_field_unsortable'],
      ]);
      expect(error.problems[1]!.message.en).toBe('Entity "customer" has no field "nope"');
    });

    it('refuses shapes the schema does not allow', async () => {
      const cases: [unknown, [string, string][]][] = [
        ['customer', [['', 'schema_violation']]],
        [[], [['', 'schema_violation']]],
        [{ limit: 5 }, [['/limit', 'schema_violation']]],
        [{ page: { size: 0 } }, [['/page/size', 'schema_violation']]],
        [{ page: { size: 201 } }, [['/page/size', 'schema_violation']]],
        [{ page: { size: 2.5 } }, [['/page/size', 'schema_violation']]],
        [{ page: { number: 0 } }, [['/page/number', 'schema_violation']]],
        [{ page: { number: 2, after: 'abc' } }, [['/page/after', 'schema_violation']]],
        [{ sort: [{ field: 'name', direction: 'up' }] }, [['/sort/0/direction', 'schema_violation']]],
        [{ sort: { field: 'name' } }, [['/sort', 'schema_violation']]],
        [{ deleted: 'all' }, [['/deleted', 'schema_violation']]],
        [{ count: 'yes' }, [['/count', 'schema_violation']]],
        [{ filter: { field: 'name', op: 'eq', value: { $gt: '' } } }, [['/filter/value', 'schema_violation']]],
        [{ filter: { field: 'name', op: 'eq' } }, [['/filter', 'schema_violation']]],
        [{ filter: { field: 'name', op: 'is_empty', value: 'x' } }, [['/filter/value', 'schema_violation']]],
        [{ filter: { field: 'name', op: 'contains', value: '' } }, [['/filter/value', 'schema_violation']]],
        [{ filter: { and: [] } }, [['/filter/and', 'schema_violation']]],
        [{ filter: { and: [{ field: 'name', op: 'like', value: 'x' }], or: [] } }, [
          ['/filter/and/0/op', 'schema_violation'], ['/filter/or', 'schema_violation'], ['/filter', 'schema_violation']]],
      ];
      for (const [bad, expected] of cases) {
        const error = await refusal(query('customer', bad));
        expect(problemsOf(error), JSON.stringify(bad)).toEqual(expected);
      }
      const anyType = await refusal(query('customer', { filter: { field: 'name', op: 'eq', value: [1] } }));
      expect(anyType.problems.map((p) => p.message.en)).toEqual(['must be string,number,boolean']);
      expect(anyType.problems[0]!.message['zh-CN']).toContain('string,number,boolean');
      await expect(query('customer', undefined)).resolves.toMatchObject({ records: expect.any(Array) });
      expect(problemsOf(await refusal(query('customer', null)))).toEqual([['', 'schema_violation']]);
    });

    it('validates cursors like any input', async () => {
      const first = await query('customer', { sort: [{ field: 'credit' }], page: { size: 5 } });
      const cursor = first.next!;
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      expect(decoded).toEqual({ s: ['+credit'], v: [expect.any(String)], id: expect.any(String) });
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      const bad = [
        'bm90IGpzb24', // "not json"
        encode([1, 2]),
        encode({ ...decoded, v: ['abc'] }), // not a number
        encode({ ...decoded, v: ['1e5'] }),
        encode({ ...decoded, v: [5000] }),
        encode({ ...decoded, v: [null, null] }),
        encode({ ...decoded, s: ['-credit'] }),
        encode({ ...decoded, id: "1'; drop table customer; --" }),
        encode({ ...decoded, id: `urn:uuid:${decoded.id}` }),
        encode({ ...decoded, extra: 1 }),
      ];
      for (const after of bad) {
        const error = await refusal(query('customer', { sort: [{ field: 'credit' }], page: { size: 5, after } }));
        expect(problemsOf(error), after).toEqual([['/page/after', 'query_cursor_invalid']]);
      }
      // A cursor made for one sort does not fit another.
      const other = await refusal(query('customer', { sort: [{ field: 'level' }], page: { after: cursor } }));
      expect(problemsOf(other)).toEqual([['/page/after', 'query_cursor_invalid']]);
      const timestamps = (await query('customer', { page: { size: 2 } })).next!;
      const stamp = JSON.parse(Buffer.from(timestamps, 'base64url').toString('utf8'));
      expect(stamp.v[0]).toMatch(/^2026-11-10T01:00:00\.12345\dZ$/); // to the microsecond
      for (const v of ['2026-13-01T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2026-01-01 00:00:00+08', "now()'; --"]) {
        const error = await refusal(query('customer', { page: { after: encode({ ...stamp, v: [v] }) } }));
        expect(problemsOf(error), v).toEqual([['/page/after', 'query_cursor_invalid']]);
      }
      // The cursor's own checks run only when the sort is fine.
      const both = await refusal(query('customer', { sort: [{ field: 'nope' }], page: { after: cursor } }));
      expect(problemsOf(both)).toEqual([['/sort/0/field', 'field_unknown']]);
    });

    it('refuses values PostgreSQL would not read, as problems rather than SQL errors', async () => {
      const error = await refusal(query('customer', {
        filter: { or: [
          { field: 'birthday', op: 'eq', value: '0000-01-01' },
          { field: 'last_visit', op: 'gt', value: '2026-01-01T00:00:00+16:00' },
          { field: 'id', op: 'eq', value: 'urn:uuid:00000000-0000-0000-0000-000000000000' },
          { field: 'name', op: 'eq', value: 'a\u0000b' },
          { field: 'name', op: 'contains', value: '\u0000' },
          { field: 'tags', op: 'eq', value: 'vip\u0000' },
          { field: 'credit', op: 'gt', value: 1e300 },
        ] },
      }));
      expect(problemsOf(error)).toEqual([
        ['/filter/or/0/value', 'query_value_invalid'],
        ['/filter/or/1/value', 'query_value_invalid'],
        ['/filter/or/2/value', 'query_value_invalid'],
        ['/filter/or/3/value', 'query_value_invalid'],
        ['/filter/or/4/value', 'query_value_invalid'],
        ['/filter/or/5/value', 'query_value_invalid'],
      ]);
      expect(error.problems[0]!.message.en).toBe('Invalid value for field "birthday": the year must be between 0001 and 9999');
      expect(error.problems[2]!.message.en).toBe('Invalid value for field "id": must be a plain UUID (no urn:uuid: prefix)');
      // Far beyond any money value, but a number: compared, not refused.
      expect(await names({ filter: { field: 'credit', op: 'lt', value: 1e300 } })).toHaveLength(live.filter((c) => c.credit !== null).length);
    });

    it('bounds the size of a query before validating it', async () => {
      let deep: FilterTree = { field: 'name', op: 'eq', value: 'x' };
      for (let i = 0; i < 5000; i += 1) deep = { not: deep };
      const tooDeep = await refusal(query('customer', { filter: deep }));
      expect(problemsOf(tooDeep)).toEqual([[`/filter${'/not'.repeat(16)}`, 'query_filter_too_deep']]);
      const wide = { or: Array.from({ length: 600 }, () => ({ field: 'name', op: 'eq', value: 'x' })) };
      expect(problemsOf(await refusal(query('customer', { filter: wide })))).toEqual([['/filter', 'query_filter_too_large']]);
      const long = Array.from({ length: 1001 }, (_, i) => `n${i}`);
      expect(problemsOf(await refusal(query('customer', { filter: { field: 'name', op: 'in', value: long } })))).toEqual([['/filter/value', 'query_list_too_long']]);
      expect(problemsOf(await refusal(query('customer', { fields: long })))).toEqual([['/fields', 'query_list_too_long']]);
      // 1,000 values are fine: one array parameter, whatever its length.
      expect(await names({ filter: { field: 'name', op: 'in', value: [...long.slice(0, 999), '深圳华强电子'] } })).toEqual(['深圳华强电子']);
    });

    it('never lets request text reach SQL: injections are problems or literal matches, the database unchanged', async () => {
      const before = await catalogSnapshot(db, 'ws_q');
      const counts = async () => (await sql<{ n: number }>`select (select count(*) from ${table('customer')}) + (select count(*) from ${table('contact')}) as n`.execute(db)).rows[0]!.n;
      const rowsBefore = await counts();
      const injections = [
        'name; drop table customer', "name'); drop table customer; --", 'name"; drop table customer; --', 'name) or (1=1',
        'customer.name; drop table x', '1=1', 'name--', 'NAME', 'ws_q.customer.name', '"name"',
      ];
      for (const text of injections) {
        for (const q of [
          { filter: { field: text, op: 'eq', value: 'x' } },
          { filter: { field: 'name', op: text, value: 'x' } },
          { sort: [{ field: text }] },
          { sort: [{ field: 'name', direction: text }] },
          { fields: [text] },
          { page: { after: text } },
          { deleted: text },
          { [text]: true },
        ]) {
          const error = await refusal(query('customer', q));
          expect(error.code, JSON.stringify(q)).toBe('query_invalid');
          expect(error.problems.length).toBeGreaterThan(0);
        }
        await refusal(query(text, {})).then((e) => expect(e.code).toBe('entity_unknown'));
        // As values they are just text: found when a record holds exactly that text, else nothing.
        expect(await names({ filter: { or: [
          { field: 'name', op: 'eq', value: text }, { field: 'name', op: 'contains', value: text }, { field: 'name', op: 'in', value: [text, `${text}'`] },
          { field: 'name', op: 'starts_with', value: text },
        ] } })).toEqual([]);
      }
      const robert = "Robert'); DROP TABLE customer;--";
      expect(await names({ filter: { field: 'name', op: 'eq', value: robert } })).toEqual([robert]);
      expect(await names({ filter: { field: 'name', op: 'contains', value: "'); DROP" } })).toEqual([robert]);
      expect(await names({ filter: { field: 'name', op: 'in', value: [robert, "'"] } })).toEqual([robert]);
      // A cursor carrying text: compared as text, nothing more.
      const sorted = { sort: [{ field: 'name' }], page: { size: 3 } };
      const next = (await query('customer', sorted)).next!;
      const decoded = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
      const crafted = Buffer.from(JSON.stringify({ ...decoded, v: ["x'); drop table customer; --"] }), 'utf8').toString('base64url');
      const after = await query('customer', { ...sorted, page: { size: 200, after: crafted } });
      expect(after.records.map((r) => r.name)).toEqual(live.map((c) => c.name).filter((n) => n > "x'); drop table customer; --").sort());

      expect(await catalogSnapshot(db, 'ws_q')).toEqual(before);
      expect(await counts()).toBe(rowsBefore);
    });
  });
}
