import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toNumber } from '../../engine/db/database.ts';
import { fieldsArchivedIn, history, loadModel, type WorkspaceContext } from '../../engine/metadata/store.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { applyChange, planChange, purge, rollbackTo } from '../../engine/schema/change.ts';
import { catalogSnapshot } from '../support/catalog.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs, L } from '../support/documents.ts';
import { refusal } from '../support/refusal.ts';

const actor = systemActor('test');

const customer = (extra: Record<string, unknown> = {}, required: string[] = ['name']) =>
  entity('customer', {
    name: field({ type: 'text', searchable: true }),
    phone: field({ type: 'phone', filterable: true }),
    level: field({ type: 'select', options: [{ value: 'A', label: L('A 类', 'A') }, { value: 'B', label: L('B 类', 'B') }] }),
    ...extra,
  }, { required });


for (const setup of testDatabases()) {
  describe(`schema changes on ${setup.kind}`, () => {
    let t: TestDatabase;
    let ctx: WorkspaceContext;
    let workspace = 0;

    beforeAll(async () => {
      t = await setup.open();
    });
    afterAll(() => t?.cleanup());
    // Each test works in a workspace of its own, so tests stay independent on one database.
    beforeEach(() => {
      workspace += 1;
      ctx = { db: t.database.db, workspace: `w${workspace}` };
    });
    const schema = () => `ws_${ctx.workspace}`;
    const rows = (table: string) => sql.id(schema(), table);
    const insertCustomers = async (values: Record<string, unknown>[]) => {
      for (const v of values) {
        const columns = Object.keys(v);
        await sql`insert into ${rows('customer')} (id, ${sql.join(columns.map((c) => sql.id(c)))})
          values (${randomUUID()}, ${sql.join(columns.map((c) => v[c]))})`.execute(ctx.db);
      }
    };
    const select = async (query: string) => {
      const { rows: found } = await sql`select name, ${sql.id(query)} as value from ${rows('customer')} order by name`.execute(ctx.db);
      return (found as { name: string; value: unknown }[]).map((r) => [r.name, r.value]);
    };

    it('round-trips apply → add field → archive → restore → rollback with data intact', async () => {
      const v1 = await applyChange(ctx, actor, { upsert: inputs(customer()) }, { reason: 'first' });
      expect(v1).toMatchObject({ version: 1, changed: true });
      await insertCustomers([{ name: '上海新时代网络科技有限公司', phone: '021-6888 1234', level: 'A' }, { name: '北京华远', phone: '010-1234', level: 'B' }]);

      const v2 = await applyChange(ctx, actor, { upsert: inputs(customer({ wechat: field({ type: 'text' }) })) });
      expect(v2.version).toBe(2);
      expect(v2.plan.operations.map((o) => [o.op, o.risk])).toContainEqual(['addColumn', 'safe']);
      // Each step says what it does in words an admin reads, the kind of document in their language.
      expect(v2.plan.operations.find((o) => o.op === 'saveDocument')!.summary).toEqual({ 'zh-CN': '更新实体 customer', en: 'Update entity customer' });
      await sql`update ${rows('customer')} set wechat = 'wx_' || phone`.execute(ctx.db);

      // Leaving the field out archives it: column and values stay.
      const v3 = await applyChange(ctx, actor, { upsert: inputs(customer()) });
      expect(v3.plan.operations.map((o) => o.op)).toEqual(['archiveField', 'saveDocument']);
      const archived = (await loadModel(ctx)).get('entity:customer') as any;
      expect(archived.schema.properties.wechat['x-forma'].archived).toBe(true);
      expect(await select('wechat')).toEqual([['上海新时代网络科技有限公司', 'wx_021-6888 1234'], ['北京华远', 'wx_010-1234']]);
      // The version that archived it (the designers read the forms and lists as they were before it).
      const archivedIn = await fieldsArchivedIn(ctx, 'customer');
      expect(archivedIn.get('wechat')).toBe(3);
      expect(archivedIn.get('phone')).toBeUndefined();
      expect(archivedIn.get('nothing')).toBeUndefined();

      // Restoring brings the same values back.
      const v4 = await applyChange(ctx, actor, { upsert: inputs(customer({ wechat: field({ type: 'text' }) })) });
      expect(v4.plan.operations.map((o) => o.op)).toEqual(['restoreField', 'saveDocument']);
      expect((await loadModel(ctx)).get('entity:customer')).toMatchObject({ schema: { properties: { wechat: { 'x-forma': { type: 'text' } } } } });

      // A label rename touches no column.
      const renamed = customer({ wechat: field({ type: 'text', label: L('微信', 'WeChat') }) });
      const v5 = await applyChange(ctx, actor, { upsert: inputs(renamed) });
      expect(v5.plan.operations.map((o) => o.op)).toEqual(['saveDocument']);

      // Rolling back to version 1 archives the field (not dropped), other data untouched.
      const before = await select('phone');
      const back = await rollbackTo(ctx, actor, 1);
      expect(back.version).toBe(6);
      expect(back.plan.operations.filter((o) => o.risk !== 'safe')).toEqual([]);
      expect(await select('phone')).toEqual(before);
      expect(await select('wechat')).toEqual([['上海新时代网络科技有限公司', 'wx_021-6888 1234'], ['北京华远', 'wx_010-1234']]);
      const model = await loadModel(ctx);
      expect((model.get('entity:customer') as any).schema.properties.wechat['x-forma'].archived).toBe(true);
      expect((await fieldsArchivedIn(ctx, 'customer')).get('wechat')).toBe(6);

      // Applying the same documents again changes nothing and writes no version.
      const again = await applyChange(ctx, actor, { upsert: inputs(customer({ wechat: field({ type: 'text', label: L('微信', 'WeChat'), archived: true }) })) });
      expect(again).toMatchObject({ changed: false, version: 6 });

      const versions = await history(ctx);
      expect(versions.map((v) => v.version)).toEqual([6, 5, 4, 3, 2, 1]);
      expect(versions[5]).toMatchObject({ reason: 'first', actor: { name: 'system:test' } });
      expect(versions[0]!.reason).toBe('rollback to version 1');
      // The model at any version is there to read.
      expect(Object.keys(((await loadModel(ctx, 1)).get('entity:customer') as any).schema.properties)).toEqual(['name', 'phone', 'level']);
    });

    it('creates tables with system columns, indexes, foreign keys and line-item tables', async () => {
      const numbering = { kind: 'numbering', name: 'quote_no', label: L('报价单号', 'Quote number'), pattern: 'BJ{YYYY}{MM}-{####}', reset: 'monthly' };
      const quote = entity('quote', {
        number: field({ type: 'autonumber', numbering: 'quote_no' }),
        customer: field({ type: 'lookup', target: 'customer' }),
        lines: field({ type: 'lines', entity: 'quote_line' }),
        total: field({ type: 'formula', expression: 'sum(lines.amount)', resultType: 'money' }),
        tags: field({ type: 'multiselect', filterable: true, options: [{ value: 'vip', label: L('重要', 'VIP') }] }),
      });
      const line = entity('quote_line', { qty: field({ type: 'integer' }), amount: field({ type: 'money', scale: 2 }) });
      await applyChange(ctx, actor, { upsert: inputs(line, quote, customer(), numbering) });
      const snapshot = await catalogSnapshot(ctx.db, schema());
      const columns = snapshot.columns.map((c: any) => `${c.table_name}.${c.column_name}:${c.data_type}:${c.is_nullable}`);
      expect(columns).toEqual(expect.arrayContaining([
        'customer.id:uuid:NO', 'customer.version:integer:NO', 'customer.deleted_at:timestamp with time zone:YES',
        'customer.owner_id:uuid:YES', 'customer.name:text:NO', 'quote.tags:ARRAY:YES', 'quote.total:numeric:YES',
        'quote_line.parent_id:uuid:NO', 'quote_line.position:integer:NO', 'quote_line.amount:numeric:YES',
      ]));
      const indexes = snapshot.indexes.map((i: any) => i.indexdef as string);
      expect(indexes.some((d) => d.includes('gin_trgm_ops') && d.includes('customer'))).toBe(true);
      expect(indexes.some((d) => /UNIQUE INDEX quote_number_key/.test(d))).toBe(true);
      expect(indexes.some((d) => d.includes('USING gin (tags)'))).toBe(true);
      const constraints = snapshot.constraints.map((c: any) => c.definition as string);
      expect(constraints).toEqual(expect.arrayContaining([
        expect.stringMatching(/FOREIGN KEY \(customer\) REFERENCES ws_w\d+\.customer\(id\)/),
        expect.stringMatching(/FOREIGN KEY \(parent_id\) REFERENCES ws_w\d+\.quote\(id\) ON DELETE CASCADE/),
      ]));
      // Chinese quick search finds a substring through the trigram index's operator class.
      await insertCustomers([{ name: '上海新时代网络科技有限公司' }]);
      const { rows: found } = await sql`select name from ${rows('customer')} where name like ${'%新时代网络%'}`.execute(ctx.db);
      expect(found).toHaveLength(1);
    });

    it('refuses making a field required while rows have no value, and says how many', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer()) });
      await insertCustomers([{ name: 'a', phone: '1' }, { name: 'b' }, { name: 'c' }]);
      const before = await catalogSnapshot(ctx.db, schema());

      const plan = await planChange(ctx, { upsert: inputs(customer({}, ['name', 'phone'])) });
      expect(plan.refused).toBe(true);
      expect(plan.operations.find((o) => o.op === 'setNotNull')).toMatchObject({ risk: 'checked', check: { passed: false, count: 2 } });
      expect(plan.problems[0]).toMatchObject({ code: 'check_required_nulls', path: '/schema/properties/phone' });
      expect(plan.problems[0]!.message['zh-CN']).toContain('2 条');

      const error = await refusal(applyChange(ctx, actor, { upsert: inputs(customer({}, ['name', 'phone'])) }));
      expect(error.code).toBe('plan_refused');
      expect(await catalogSnapshot(ctx.db, schema())).toEqual(before);

      await sql`update ${rows('customer')} set phone = '000' where phone is null`.execute(ctx.db);
      const applied = await applyChange(ctx, actor, { upsert: inputs(customer({}, ['name', 'phone'])) });
      expect(applied.changed).toBe(true);
      const violation = await sql`insert into ${rows('customer')} (id, name) values (${randomUUID()}, 'd')`.execute(ctx.db).then(() => 'inserted', () => 'refused');
      expect(violation).toBe('refused');
    });

    it('needs a default to add a required field to a table with rows, and fills rows with it', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer()) });
      await insertCustomers([{ name: 'a' }, { name: 'b' }]);
      const without = await planChange(ctx, { upsert: inputs(customer({ source: field({ type: 'text' }) }, ['name', 'source'])) });
      expect(without.problems.map((p) => p.code)).toEqual(['check_rows_without_default']);
      await applyChange(ctx, actor, { upsert: inputs(customer({ source: field({ type: 'text' }, { default: '展会' }) }, ['name', 'source'])) });
      expect(await select('source')).toEqual([['a', '展会'], ['b', '展会']]);
    });

    it('checks duplicates before making a field unique, and data before a type change', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer({ credit: field({ type: 'text' }), points: field({ type: 'decimal', scale: 2 }) })) });
      await insertCustomers([
        { name: 'a', phone: '1', credit: '100', points: 1.5 },
        { name: 'b', phone: '1', credit: '一百', points: 2 },
        { name: 'c', phone: '2', credit: '2e3', points: 3 },
      ]);
      const before = await catalogSnapshot(ctx.db, schema());
      const unique = await planChange(ctx, { upsert: inputs(customer({ credit: field({ type: 'text' }), points: field({ type: 'decimal', scale: 2 }), phone: field({ type: 'phone', unique: true }) })) });
      expect(unique.problems).toMatchObject([{ code: 'check_duplicates', path: '/schema/properties/phone/x-forma/unique' }]);

      const change = customer({ credit: field({ type: 'integer' }), points: field({ type: 'decimal', scale: 0 }) });
      const typed = await planChange(ctx, { upsert: inputs(change) });
      expect(typed.problems.map((p) => [p.code, p.path])).toEqual([
        ['check_conversion', '/schema/properties/credit'],
        ['check_precision', '/schema/properties/points'],
      ]);
      expect(typed.operations.filter((o) => o.check && !o.check.passed).map((o) => o.check!.count)).toEqual([2, 1]);
      expect((await refusal(applyChange(ctx, actor, { upsert: inputs(change) }))).code).toBe('plan_refused');
      expect(await catalogSnapshot(ctx.db, schema())).toEqual(before);

      await sql`update ${rows('customer')} set credit = '100', points = round(points)`.execute(ctx.db);
      await applyChange(ctx, actor, { upsert: inputs(change) });
      expect((await select('credit')).map(([, v]) => toNumber(v))).toEqual([100, 100, 100]);
    });

    it('refuses removing a select option still in use, and a lookup pointed elsewhere', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer()) });
      await insertCustomers([{ name: 'a', level: 'B' }]);
      const onlyA = customer({ level: field({ type: 'select', options: [{ value: 'A', label: L('A 类', 'A') }] }) });
      const plan = await planChange(ctx, { upsert: inputs(onlyA) });
      expect(plan.problems).toMatchObject([{ code: 'check_option_in_use', path: '/schema/properties/level/x-forma/options' }]);

      await applyChange(ctx, actor, { upsert: inputs(entity('contact', { customer: field({ type: 'lookup', target: 'customer' }) }), entity('supplier', { name: field({ type: 'text' }) })) });
      const error = await refusal(planChange(ctx, { upsert: inputs(entity('contact', { customer: field({ type: 'lookup', target: 'supplier' }) })) }));
      expect(error.problems.map((p) => p.code)).toEqual(['lookup_target_change']);
    });

    it('leaves catalog and metadata unchanged when an operation fails midway', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer()) });
      // Someone created a table the plan will also create, after the plan was made: the
      // second CREATE TABLE fails after the first one and the new column already ran.
      await sql`create table ${rows('zz_intruder')} (id int)`.execute(ctx.db);
      const before = await catalogSnapshot(ctx.db, schema());
      const change = inputs(customer({ wechat: field({ type: 'text' }) }), entity('activity', { subject: field({ type: 'text' }) }), entity('zz_intruder', { x: field({ type: 'text' }) }));
      const plan = await planChange(ctx, { upsert: change });
      expect(plan.operations.map((o) => o.op).indexOf('createTable')).toBeGreaterThan(-1);
      await expect(applyChange(ctx, actor, { upsert: change })).rejects.toThrow(/zz_intruder/);
      expect(await catalogSnapshot(ctx.db, schema())).toEqual(before);
    });

    it('refuses invalid metadata and injection attempts, changing nothing', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer()) });
      const before = await catalogSnapshot(ctx.db, schema());
      for (const bad of [
        { ...customer(), name: 'customer; drop table x' },
        customer({ 'x"); drop table customer; --': field({ type: 'text' }) }),
        customer({ ok: field({ type: 'text', column: 'a" text); drop schema forma cascade; --' }) }),
        entity('quote', { customer: field({ type: 'lookup', target: 'customer"; drop table customer; --' }) }),
        { kind: 'unknown; drop table x', name: 'x', label: L('x', 'x') },
      ]) {
        const error = await refusal(applyChange(ctx, actor, { upsert: inputs(bad) }));
        expect(error.code).toBe('metadata_invalid');
        expect(error.problems.length).toBeGreaterThan(0);
      }
      // Values reach SQL only as parameters: a default with quotes is stored as it is.
      const quoted = "x'); drop table customer; --";
      await insertCustomers([{ name: 'a' }]);
      await applyChange(ctx, actor, { upsert: inputs(customer({ note: field({ type: 'text' }, { default: quoted }) }, ['name', 'note'])) });
      expect(await select('note')).toEqual([['a', quoted]]);
      expect((await catalogSnapshot(ctx.db, schema())).columns.length).toBe(before.columns.length + 1);
    });

    it('refuses a change planned on a version someone else has moved past', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer()) });
      const plan = await planChange(ctx, { upsert: inputs(customer({ a: field({ type: 'text' }) })) });
      await applyChange(ctx, systemActor('other-admin'), { upsert: inputs(customer({ b: field({ type: 'text' }) })) });
      const error = await refusal(applyChange(ctx, actor, { upsert: inputs(customer({ a: field({ type: 'text' }) })) }, { baseVersion: plan.baseVersion }));
      expect(error.code).toBe('plan_stale');
      expect(error.text.en).toContain('system:other-admin');
    });

    it('archives a removed entity and purges only archived things, only when allowed', async () => {
      await applyChange(ctx, actor, { upsert: inputs(customer({ wechat: field({ type: 'text' }) }), entity('campaign', { name: field({ type: 'text' }) })) });
      await insertCustomers([{ name: 'a', wechat: 'w' }]);
      expect((await refusal(purge(ctx, actor, { entity: 'customer', field: 'wechat' }, { allowDestructive: true }))).code).toBe('purge_target_unknown');

      await applyChange(ctx, actor, { upsert: inputs(customer()), remove: [{ kind: 'entity', name: 'campaign' }] });
      expect(((await loadModel(ctx)).get('entity:campaign') as any).schema['x-forma'].archived).toBe(true);
      expect((await refusal(purge(ctx, actor, { entity: 'customer', field: 'wechat' }))).code).toBe('plan_destructive');

      const purged = await purge(ctx, actor, { entity: 'customer', field: 'wechat' }, { allowDestructive: true });
      expect(purged.plan.operations.filter((o) => o.risk === 'destructive').map((o) => o.op)).toEqual(['dropColumn']);
      const columns = (await catalogSnapshot(ctx.db, schema())).columns.map((c: any) => `${c.table_name}.${c.column_name}`);
      expect(columns).not.toContain('customer.wechat');
      await purge(ctx, actor, { entity: 'campaign' }, { allowDestructive: true });
      expect((await loadModel(ctx)).has('entity:campaign')).toBe(false);
      expect((await catalogSnapshot(ctx.db, schema())).columns.some((c: any) => c.table_name === 'campaign')).toBe(false);
    });
  });
}
