import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../engine/records/batch.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import { createRecord, deleteRecord, purgeRecord, restoreRecord, updateRecord } from '../../engine/records/write.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { logEvent, searchSystemLog, type SystemLogFilter } from '../../engine/security/system-log.ts';
import { createApiToken, revokeApiToken } from '../../engine/security/tokens.ts';
import { authenticateUser, createUser } from '../../engine/security/users.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { entity, field, inputs, L } from '../support/documents.ts';
import { refusal } from '../support/refusal.ts';
import { enrol } from '../support/users.ts';

const admin = systemActor('test');
const sales: Actor = { id: '0190f1a2-0000-7000-8000-000000000001', name: 'sales1', kind: 'user' };
const owner = '0190f1a2-0000-7000-8000-0000000000aa';

const customer = (extra: Record<string, unknown> = {}) => entity('customer', {
  name: field({ type: 'text', label: L('客户名称', 'Customer name') }),
  tax_no: field({ type: 'text', unique: true, label: L('税号', 'Tax number') }),
  level: field({ type: 'select', options: ['A', 'B', 'C'].map((v) => ({ value: v, label: L(v, v) })) }),
  ...extra,
}, { required: ['name'] });

interface Row {
  id: number;
  at: Date;
  workspace: string | null;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity: string | null;
  record_id: string | null;
  address: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

for (const setup of testDatabases()) {
  describe(`system log on ${setup.kind}`, () => {
    let t: TestDatabase;
    let db: Kysely<any>;
    let ctx: RecordsContext;
    let seen = 0;
    /** The rows written since the last call, oldest first. */
    const newRows = async (): Promise<Row[]> => {
      const rows = await db.selectFrom('forma.system_log').selectAll().where('id', '>', seen).orderBy('id').execute() as Row[];
      seen = rows.at(-1)?.id ?? seen;
      return rows;
    };
    const count = async () => Number((await sql<{ n: number }>`select count(*) as n from forma.system_log`.execute(db)).rows[0]!.n);

    beforeAll(async () => {
      t = await setup.open();
      db = t.database.db;
      ctx = { db, workspace: 'crm' };
      await enrol(db, sales, 'crm');
    });
    afterAll(() => t?.cleanup());

    it('logs a metadata apply in its transaction, and nothing when nothing changed', async () => {
      const applied = await applyChange(ctx, admin, { upsert: inputs(customer()) }, { reason: '客户表' });
      const rows = await newRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        workspace: 'crm', actor_id: admin.id, actor_name: 'system:test', action: 'metadata.change', outcome: 'success',
        entity: null, record_id: null, address: null,
        details: { version: applied.version, reason: '客户表', operations: applied.plan.operations.length },
      });
      expect(applied.plan.operations.length).toBeGreaterThan(0);
      await applyChange(ctx, admin, { upsert: inputs(customer()) });
      expect(await newRows()).toEqual([]);
    });

    it('leaves no row when a metadata apply fails, whether refused by its plan or at commit', async () => {
      const before = await count();
      await createRecord(ctx, admin, 'customer', { name: '无税号客户' });
      await newRows();
      // Making tax_no required while a record has none: the plan's data check refuses it.
      expect((await refusal(applyChange(ctx, admin, { upsert: inputs(entity('customer', customer().schema.properties, { required: ['name', 'tax_no'] })) }))).code).toBe('plan_refused');
      expect(await newRows()).toEqual([]);
      // A failure at COMMIT, after the log row was written, takes the log row with it.
      await sql`create function forma.test_refuse_at_commit() returns trigger language plpgsql as $$ begin raise exception 'refused at commit'; end $$`.execute(db);
      await sql`create constraint trigger test_refuse after insert on forma.metadata_version deferrable initially deferred for each row execute function forma.test_refuse_at_commit()`.execute(db);
      try {
        await expect(applyChange(ctx, admin, { upsert: inputs(customer({ wechat: field({ type: 'text' }) })) })).rejects.toThrow(/refused at commit/);
      } finally {
        await sql`drop trigger test_refuse on forma.metadata_version`.execute(db);
      }
      expect(await newRows()).toEqual([]);
      expect(await count()).toBe(before + 1); // only the create above
    });

    it('logs every record write with its entity, record, version and fields', async () => {
      const created = await createRecord(ctx, sales, 'customer', { name: '上海新时代网络科技有限公司', level: 'C' });
      const updated = await updateRecord(ctx, sales, 'customer', created.id, { level: 'A' }, { version: created.version });
      await deleteRecord(ctx, sales, 'customer', created.id);
      await restoreRecord(ctx, admin, 'customer', created.id);
      await deleteRecord(ctx, admin, 'customer', created.id);
      await purgeRecord(ctx, admin, 'customer', created.id);
      const rows = await newRows();
      expect(rows.map((r) => [r.action, r.actor_name, r.details.version])).toEqual([
        ['record.create', 'sales1', 1], ['record.update', 'sales1', updated.version], ['record.delete', 'sales1', 3],
        ['record.restore', 'system:test', 4], ['record.delete', 'system:test', 5], ['record.purge', 'system:test', 5],
      ]);
      for (const row of rows) expect(row).toMatchObject({ workspace: 'crm', entity: 'customer', record_id: created.id, outcome: 'success' });
      expect(rows[0]!.details.fields).toEqual(expect.arrayContaining(['name', 'level']));
      expect(rows[0]!.actor_id).toBe(sales.id);
      expect(rows[1]!.details.fields).toEqual(['level']);
      expect(rows[2]!.details.fields).toEqual(['deleted_at']);
      expect(rows[5]!.details.fields).toEqual([]);
    });

    it('leaves no row when a record write is refused, in the transaction or at its commit', async () => {
      await createRecord(ctx, admin, 'customer', { name: '甲', tax_no: '91310000X' });
      await newRows();
      const before = await count();
      expect((await refusal(createRecord(ctx, admin, 'customer', { name: '乙', tax_no: '91310000X' }))).code).toBe('record_invalid');
      expect((await refusal(createRecord(ctx, admin, 'customer', { level: 'Z' }))).code).toBe('record_invalid');
      await sql`create constraint trigger test_refuse after insert on ws_crm.customer deferrable initially deferred for each row execute function forma.test_refuse_at_commit()`.execute(db);
      try {
        await expect(createRecord(ctx, admin, 'customer', { name: '丙' })).rejects.toThrow(/refused at commit/);
      } finally {
        await sql`drop trigger test_refuse on ws_crm.customer`.execute(db);
      }
      expect(await count()).toBe(before);
      expect(await db.selectFrom('ws_crm.customer').select('id').where('name', '=', '丙').execute()).toEqual([]);
    });

    it('logs one record.batch row per set-based batch, and the batch beside each record of a field batch', async () => {
      const ids: string[] = [];
      for (const name of ['批量一', '批量二', '批量三']) ids.push((await createRecord(ctx, admin, 'customer', { name, level: 'C' })).id);
      await newRows();
      expect(await runBatch(ctx, sales, 'customer', { ids }, { type: 'reassignOwner', owner })).toEqual({ changed: 3 });
      let rows = await newRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        workspace: 'crm', actor_name: 'sales1', action: 'record.batch', entity: 'customer', record_id: null,
        details: { type: 'reassignOwner', owner, count: 3 },
      });
      expect(await runBatch(ctx, sales, 'customer', { ids: ids.slice(0, 2) }, { type: 'updateField', field: 'level', value: 'B' })).toEqual({ changed: 2 });
      rows = await newRows();
      expect(rows.map((r) => [r.action, r.record_id])).toEqual([['record.update', ids[0]], ['record.update', ids[1]], ['record.batch', null]]);
      expect(rows[2]!.details).toEqual({ type: 'updateField', field: 'level', count: 2 });
      expect(await runBatch(ctx, sales, 'customer', { ids }, { type: 'delete' })).toEqual({ changed: 3 });
      rows = await newRows();
      expect(rows.map((r) => [r.action, r.details])).toEqual([['record.batch', { type: 'delete', count: 3 }]]);
    });

    it('logs sign-ins that succeed and fail, with the address and the login tried, never the password', async () => {
      const user = await createUser(db, admin, { login: 'zhang.san', displayName: '张三', password: '张三的登录密码!' });
      let rows = await newRows();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'user.create', actor_name: 'system:test', workspace: null, details: { user: user.id, login: 'zhang.san', displayName: '张三' } });
      expect(JSON.stringify(rows[0]!.details)).not.toContain('密码');

      expect(await authenticateUser(db, 'zhang.san', '张三的登录密码!', '192.168.1.20')).toMatchObject({ login: 'zhang.san' });
      expect(await authenticateUser(db, 'zhang.san', 'wrong-password', '192.168.1.21')).toBeUndefined();
      expect(await authenticateUser(db, 'nobody', 'secret-guess', '203.0.113.9')).toBeUndefined();
      expect(await authenticateUser(db, 'zhang.san', '张三的登录密码!')).toBeDefined();
      rows = await newRows();
      expect(rows.map((r) => [r.action, r.outcome, r.actor_id, r.actor_name, r.address, r.details])).toEqual([
        ['login', 'success', user.id, 'zhang.san', '192.168.1.20', { login: 'zhang.san' }],
        ['login_failed', 'failure', user.id, 'zhang.san', '192.168.1.21', { login: 'zhang.san', reason: 'wrong_password' }],
        ['login_failed', 'failure', null, 'nobody', '203.0.113.9', { login: 'nobody', reason: 'unknown_user' }],
        ['login', 'success', user.id, 'zhang.san', null, { login: 'zhang.san' }],
      ]);
      const text = JSON.stringify(rows);
      for (const secret of ['张三的登录密码!', 'wrong-password', 'secret-guess']) expect(text).not.toContain(secret);
    });

    it('logs API tokens created and revoked, never the token itself', async () => {
      const created = await createApiToken(db, admin, { login: 'zhang.san', days: 30, label: 'ERP 同步' });
      await revokeApiToken(db, admin, created.id);
      await revokeApiToken(db, admin, created.id); // again: nothing changes, nothing logged
      const rows = await newRows();
      expect(rows.map((r) => [r.action, r.actor_name, r.details.token])).toEqual([
        ['token.create', 'system:test', created.id], ['token.revoke', 'system:test', created.id],
      ]);
      expect(rows[0]!.details).toMatchObject({ login: 'zhang.san', label: 'ERP 同步', expiresAt: created.expiresAt.toISOString() });
      expect(JSON.stringify(rows)).not.toContain(created.token);
      expect((await refusal(createUser(db, admin, { login: 'zhang.san', displayName: '重名' }))).code).toBe('user_login_taken');
      expect(await newRows()).toEqual([]);
    });

    it('writes a row only when the transaction it was given commits', async () => {
      await expect(db.transaction().execute(async (trx) => {
        await logEvent(trx, { workspace: 'crm', actor: admin, action: 'export', entity: 'customer', details: { rows: 10 } });
        throw new Error('export failed');
      })).rejects.toThrow('export failed');
      expect(await newRows()).toEqual([]);
      await logEvent(db, { workspace: 'crm', actor: { name: 'guest' }, action: 'print', entity: 'customer', address: '10.0.0.8' });
      expect(await newRows()).toMatchObject([{ action: 'print', actor_id: null, actor_name: 'guest', outcome: 'success', address: '10.0.0.8', details: {} }]);
    });

    it('refuses UPDATE, DELETE and TRUNCATE even for the owner of the table, in or out of a transaction', async () => {
      const { rows: [who] } = await sql<{ me: string; owner: string }>`
        select current_user as me, tableowner as owner from pg_tables where schemaname = 'forma' and tablename = 'system_log'`.execute(db);
      expect(who!.owner).toBe(who!.me);
      const before = await count();
      expect(before).toBeGreaterThan(0);
      const attempts = [
        sql`update forma.system_log set actor_name = 'rewritten'`,
        sql`update forma.system_log set outcome = 'success' where false`, // a statement trigger: even no row
        sql`delete from forma.system_log where action = 'login_failed'`,
        sql`truncate forma.system_log`,
      ];
      for (const attempt of attempts) {
        await expect(attempt.execute(db)).rejects.toThrow(/append-only/);
        await expect(db.transaction().execute((trx) => attempt.execute(trx))).rejects.toThrow(/append-only/);
      }
      await expect(db.deleteFrom('forma.system_log').where('id', '=', 1).execute()).rejects.toThrow(/append-only/);
      expect(await count()).toBe(before);
      expect(await db.selectFrom('forma.system_log').select('actor_name').where('actor_name', '=', 'rewritten').execute()).toEqual([]);
    });

    it('searches by user, action, workspace and time, newest first, and pages back with before', async () => {
      // Rows from another time, inserted as the ledger allows: only INSERT.
      const day = (d: number) => new Date(Date.UTC(2020, 0, d, 8));
      for (let d = 1; d <= 6; d++) {
        await db.insertInto('forma.system_log')
          .values({ at: day(d), workspace: 'old', actor_name: d % 2 ? 'li.si' : 'wang.wu', action: d % 3 ? 'export' : 'print', details: JSON.stringify({ d }) })
          .execute();
      }
      const days = (entries: { details: Record<string, unknown> }[]) => entries.map((e) => e.details.d);
      expect(days(await searchSystemLog(db, { workspace: 'old' }))).toEqual([6, 5, 4, 3, 2, 1]);
      expect(days(await searchSystemLog(db, { workspace: 'old', actor: 'li.si' }))).toEqual([5, 3, 1]);
      expect(days(await searchSystemLog(db, { workspace: 'old', action: 'print' }))).toEqual([6, 3]);
      expect(days(await searchSystemLog(db, { workspace: 'old', action: ['print', 'export'], actor: 'wang.wu' }))).toEqual([6, 4, 2]);
      expect(days(await searchSystemLog(db, { workspace: 'old', from: day(2), to: day(5) }))).toEqual([4, 3, 2]);

      const first = await searchSystemLog(db, { workspace: 'old', limit: 4 });
      expect(days(first)).toEqual([6, 5, 4, 3]);
      const next = await searchSystemLog(db, { workspace: 'old', limit: 4, before: first.at(-1)!.id });
      expect(days(next)).toEqual([2, 1]);
      expect(await searchSystemLog(db, { workspace: 'old', before: next.at(-1)!.id })).toEqual([]);

      const [latest] = await searchSystemLog(db, { actor: 'zhang.san', action: ['login', 'login_failed'], limit: 1 });
      expect(latest).toMatchObject({ action: 'login', actor: { name: 'zhang.san' }, outcome: 'success', workspace: null, recordId: null });
      expect(latest!.at).toBeInstanceOf(Date);
      expect(latest!.at.getTime()).toBeGreaterThan(day(6).getTime());
      const failed = await searchSystemLog(db, { action: 'login_failed', from: new Date(Date.now() - 3_600_000) });
      expect(failed.map((e) => [e.actor.name, e.address])).toEqual([['nobody', '203.0.113.9'], ['zhang.san', '192.168.1.21']]);
      const writes = await searchSystemLog(db, { workspace: 'crm', action: 'record.purge' });
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatchObject({ entity: 'customer', recordId: expect.any(String), actor: { id: admin.id, name: 'system:test' } });
      expect((await searchSystemLog(db)).length).toBe(Math.min(100, await count()));
    });

    it('refuses bad filters with every problem at its place, and the headline code', async () => {
      const bad = { actor: '', action: ['login', 'drop table'], from: new Date('yesterday'), to: '2026-01-01', limit: 5000, before: -1, user: 'x' } as unknown as SystemLogFilter;
      const error = await refusal(searchSystemLog(db, bad));
      expect(error.code).toBe('system_log_filter_invalid');
      expect(error.problems.map((p) => `${p.code} ${p.path}`)).toEqual([
        'system_log_filter_unknown /user',
        'system_log_actor_invalid /actor',
        'system_log_action_unknown /action/1',
        'system_log_time_invalid /from',
        'system_log_time_invalid /to',
        'system_log_limit_invalid /limit',
        'system_log_before_invalid /before',
      ]);
      expect(error.problems[2]!.message['zh-CN']).toContain('drop table');
      expect(error.problems[2]!.message.en).toContain('login_failed');
      const range = await refusal(searchSystemLog(db, { from: new Date('2026-02-01'), to: new Date('2026-01-01') }));
      expect(range.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['system_log_range_invalid /to']);
      expect((await refusal(searchSystemLog(db, { action: 'login', limit: 0 }))).problems.map((p) => p.path)).toEqual(['/limit']);
      expect((await refusal(searchSystemLog(db, { action: [] }))).problems.map((p) => p.path)).toEqual(['/action']);
      expect((await refusal(logEvent(db, { action: 'record.hack' as never }))).code).toBe('system_log_action_unknown');
    });
  });
}
