// Batch print jobs (engine/print/jobs.ts) on both databases: what is checked when a job is asked
// for (nothing queued on bad input), the worker taking jobs with SELECT … FOR UPDATE SKIP LOCKED
// (each job once, also with two workers at the same time), progress, the stored PDF (50 address
// labels → 3 A4 sheets, read back with poppler), permissions applied when the job runs, jobs of
// dead workers taken again, and the daily clean-up of jobs and their files.
// FORMA_BENCH_PRINT_JOBS=1 also times 10,000 address labels through the job path (docs/benchmarks.md).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { filePath } from '../../engine/files/files.ts';
import {
  OPEN_JOBS_PER_PERSON, PrintJobWorker, printJobPdf, printJobStatus, removeExpiredPrintJobs, submitPrintJob, type PrintJobRequest,
} from '../../engine/print/jobs.ts';
import { PdfRenderer } from '../../engine/print/renderer.ts';
import type { BatchPart } from '../../engine/print/batch.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { createRecord } from '../../engine/records/write.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createUser } from '../../engine/security/users.ts';
import { searchSystemLog } from '../../engine/security/system-log.ts';
import { testDatabases, type TestDatabase } from '../support/databases.ts';
import { pdfInfo, pdfText } from '../support/pdf-tools.ts';
import { refusal } from '../support/refusal.ts';
import { printFixture, type PrintFixture } from './print-fixture.ts';

const system = systemActor('test');
/** Reads their own customers, prints nothing. */
const readerRole = {
  kind: 'role', name: 'customer_reader', label: { 'zh-CN': '客户查看', en: 'Customer reader' },
  permissions: { customer: { read: true, scope: 'own' } },
};

/** A renderer whose batches wait for `release()`: a job can be looked at while it runs. */
class GatedRenderer extends PdfRenderer {
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => {};
  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }
  release(): void {
    this.#open();
  }
  override async renderBatch(parts: readonly BatchPart[], options?: Parameters<PdfRenderer['renderBatch']>[1]): Promise<Buffer> {
    await this.#gate;
    return super.renderBatch(parts, options);
  }
}

// One Chromium for the whole file.
const renderer = new GatedRenderer();
afterAll(() => renderer.close());

for (const setup of testDatabases()) {
  describe(`batch print jobs on ${setup.kind}`, { timeout: 300_000 }, () => {
    let t: TestDatabase;
    let dataDir: string;
    let fixture: PrintFixture;
    let worker: PrintJobWorker;
    let reader: Actor;
    /** What went wrong in a worker outside a job: nothing should. */
    const errors: unknown[] = [];
    /** 50 customers manager1 may read, by code. */
    let fifty: string[];
    const ctx = () => ({ db: t.database.db, workspace: 'crm' });
    const env = () => ({ renderer, dataDir });
    const submit = (actor: Actor, request: PrintJobRequest) => submitPrintJob(ctx(), actor, request, env());
    const jobCount = async () => Number((await t.database.db.selectFrom('forma.print_job').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const pdfOf = async (actor: Actor, id: string) => new Uint8Array(await new Response((await printJobPdf(ctx(), actor, id, dataDir)).stream).arrayBuffer());
    /** Every job of the database as done (or failed), so the next test starts with an empty queue. */
    const drain = async () => {
      while (await worker.runNext());
    };

    beforeAll(async () => {
      t = await setup.open();
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'forma-print-jobs-'));
      fixture = await printFixture(t.database.db, 'crm', dataDir, 60);
      const { records } = await runQuery(ctx(), fixture.users.manager1, 'customer', { sort: [{ field: 'code' }], fields: ['id'], page: { size: 50 } });
      fifty = records.map((r) => String(r.id));
      expect(fifty).toHaveLength(50);
      await applyChange(ctx(), system, { upsert: [{ document: readerRole }] });
      const user = await createUser(t.database.db, system, { login: 'reader1', displayName: '只读员' });
      await setUserRoles(t.database.db, system, 'crm', 'reader1', ['customer_reader']);
      reader = { id: user.id, name: 'reader1', kind: 'user' };
      worker = new PrintJobWorker({ db: t.database.db, workspace: 'crm', dataDir, renderer, onError: (error) => void errors.push(error) });
    }, 300_000);
    afterEach(() => expect(errors).toEqual([]));
    afterAll(async () => {
      await worker?.stop();
      await t?.cleanup();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('refuses a job that cannot print, with the reason, and queues nothing', async () => {
      const { manager1, sales1 } = fixture.users;
      const labels = (selection: unknown, more: Partial<PrintJobRequest> = {}) => submit(manager1, { template: 'address_labels', selection, ...more });
      expect((await refusal(submit(manager1, { template: 'no_such', selection: { ids: fifty } }))).code).toBe('print_template_not_found');
      for (const selection of [{}, { ids: [] }, { ids: [1, 2] }, { ids: fifty, filter: { field: 'level', op: 'eq', value: 'A' } }, 'all', null]) {
        expect((await refusal(labels(selection))).code, JSON.stringify(selection)).toBe('print_selection_invalid');
      }
      const badFilter = await refusal(labels({ filter: { field: 'nope', op: 'eq', value: 1 }, sort: [{ field: 'level', direction: 'sideways' }] }));
      expect(badFilter.code).toBe('query_invalid');
      expect(badFilter.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/filter/field']));
      expect((await refusal(labels({ filter: { field: 'name', op: 'eq', value: '没有这个客户' } }))).code).toBe('print_batch_empty');
      expect(await refusal(labels({ ids: fifty }, { startPosition: 25 }))).toMatchObject({ code: 'print_start_position_invalid', text: { en: 'The start position must be a whole number from 1 to 24' } });
      expect((await refusal(labels({ ids: fifty }, { period: { from: '2026-13-01' } }))).code).toBe('print_period_invalid');
      // sales1 reads their own customers only: someone else's is as good as missing.
      const others = (await runQuery(ctx(), system, 'customer', { filter: { field: 'owner_id', op: 'ne', value: sales1.id }, fields: ['id'], page: { size: 1 } })).records[0]!.id;
      expect(await refusal(submit(sales1, { template: 'address_labels', selection: { ids: [String(others)] } }))).toMatchObject({ code: 'record_not_found' });
      expect((await refusal(submit(sales1, { template: 'address_labels', selection: { ids: ['not-an-id'] } }))).code).toBe('record_not_found');
      expect(await refusal(submit(reader, { template: 'address_labels', selection: { filter: { field: 'id', op: 'is_not_empty' } } })))
        .toMatchObject({ code: 'permission_denied', text: { 'zh-CN': '你没有打印"客户"的权限' } });
      // Purchasing is the administrator's: for a salesperson, purchase orders do not exist.
      expect((await refusal(submit(sales1, { template: 'purchase_order', selection: { ids: [fixture.ids.purchaseOrder] } }))).code).toBe('entity_unknown');
      expect(await jobCount()).toBe(0);
    });

    it('queues a job, runs it as its owner with progress, and keeps its PDF: 50 address labels on 3 A4 sheets', async () => {
      const { manager1 } = fixture.users;
      const { id, total } = await submit(manager1, { template: 'address_labels', selection: { ids: fifty }, address: '192.168.1.20' });
      expect(total).toBe(50);
      expect(await printJobStatus(ctx(), manager1, id)).toMatchObject({ id, template: 'address_labels', state: 'queued', stage: null, done: 0, total: 50, startedAt: null, size: null });
      expect((await refusal(printJobPdf(ctx(), manager1, id, dataDir)))).toMatchObject({ code: 'print_job_not_done', text: { 'zh-CN': '打印任务还没有完成（排队中），完成后才能取得 PDF' } });

      renderer.hold();
      const running = worker.runNext();
      // Every record read, the rendering held back: the job shows as running.
      await expect.poll(async () => (await printJobStatus(ctx(), manager1, id)).state, { timeout: 30_000 }).toBe('running');
      expect(await printJobStatus(ctx(), manager1, id)).toMatchObject({ state: 'running', total: 50, startedAt: expect.any(String), finishedAt: null });
      renderer.release();
      expect(await running).toBe(true);

      const done = await printJobStatus(ctx(), manager1, id);
      expect(done).toMatchObject({ state: 'done', stage: null, done: 50, total: 50, finishedAt: expect.any(String) });
      expect(done.size).toBeGreaterThan(1000);
      const pdf = await pdfOf(manager1, id);
      expect(pdf.length).toBe(done.size);
      expect(pdfInfo(pdf)).toMatchObject({ pages: 3 });
      expect(Math.round(pdfInfo(pdf).width)).toBe(595);
      const { records: [first] } = await runQuery(ctx(), system, 'customer', { filter: { field: 'id', op: 'eq', value: fifty[0]! }, fields: ['name'] });
      expect(pdfText(pdf, { first: 1, last: 1 })).toContain(String(first!.name));
      // The print is logged as the person, with the count, when the job is done.
      const [logged] = await searchSystemLog(t.database.db, { actor: 'manager1', action: 'print' });
      expect(logged).toMatchObject({ entity: 'customer', outcome: 'success', address: '192.168.1.20', details: { template: 'address_labels', pages: 3, count: 50 } });
      expect(await worker.runNext()).toBe(false);
    });

    it('shows a job to the person who asked for it only', async () => {
      const { manager1, sales1 } = fixture.users;
      const { id } = await submit(manager1, { template: 'address_labels', selection: { ids: fifty.slice(0, 3) } });
      await drain();
      for (const attempt of [() => printJobStatus(ctx(), sales1, id), () => printJobPdf(ctx(), sales1, id, dataDir), () => printJobStatus(ctx(), manager1, 'nope')]) {
        expect(await refusal(attempt())).toMatchObject({ code: 'print_job_not_found' });
      }
      expect((await printJobStatus(ctx(), manager1, id)).state).toBe('done');
    });

    it('prints what the person may read when the job runs: a filter within their scope, a right taken away fails the job', async () => {
      const { sales1, sales2 } = fixture.users;
      const own = (await runQuery(ctx(), sales1, 'customer', { fields: ['id'], page: { size: 1 }, count: true })).total!.value;
      const all = (await runQuery(ctx(), system, 'customer', { fields: ['id'], page: { size: 1 }, count: true })).total!.value;
      expect(own).toBeLessThan(all);
      const everyone = { filter: { field: 'id', op: 'is_not_empty' } };
      const mine = await submit(sales1, { template: 'envelope_dl', selection: everyone });
      expect(mine.total).toBe(own);
      // A customer of sales1 added after the job was asked for is printed too: the records are read when it runs.
      await createRecord(ctx(), sales1, 'customer', { name: '后来的客户有限公司', region: '310104', address: '虹桥路 1 号', postcode: '200030' });
      const taken = await submit(sales2, { template: 'envelope_dl', selection: everyone });
      await setUserRoles(t.database.db, system, 'crm', 'sales2', ['customer_reader']);
      try {
        await drain();
      } finally {
        await setUserRoles(t.database.db, system, 'crm', 'sales2', ['salesperson']);
      }
      const printed = await printJobStatus(ctx(), sales1, mine.id);
      expect(printed).toMatchObject({ state: 'done', done: own + 1, total: own + 1 });
      expect(pdfInfo(await pdfOf(sales1, mine.id)).pages).toBe(own + 1);
      const refused = await printJobStatus(ctx(), sales2, taken.id);
      expect(refused).toMatchObject({ state: 'failed', error: { code: 'permission_denied' } });
      expect(refused.error!.message['zh-CN']).toBe('你没有打印"客户"的权限');
      expect(await refusal(printJobPdf(ctx(), sales2, taken.id, dataDir))).toMatchObject({ code: 'print_job_not_done' });
    });

    it('gives each job to one worker, also when two look at the same moment', async () => {
      const { manager1 } = fixture.users;
      const { id } = await submit(manager1, { template: 'envelope_dl', selection: { ids: fifty.slice(0, 2) } });
      const other = new PrintJobWorker({ db: t.database.db, workspace: 'crm', dataDir, renderer });
      expect((await Promise.all([worker.runNext(), other.runNext()])).sort()).toEqual([false, true]);
      expect(await printJobStatus(ctx(), manager1, id)).toMatchObject({ state: 'done', done: 2 });
      expect(Number((await t.database.db.selectFrom('forma.print_job').select('attempts').where('id', '=', id).executeTakeFirstOrThrow()).attempts)).toBe(1);
    });

    it('takes again a job whose worker died, and gives up on one that keeps dying', async () => {
      const { manager1 } = fixture.users;
      const [revived, doomed] = [
        await submit(manager1, { template: 'envelope_dl', selection: { ids: fifty.slice(0, 1) } }),
        await submit(manager1, { template: 'envelope_dl', selection: { ids: fifty.slice(1, 2) } }),
      ];
      // As a worker that died mid-way leaves them: running, not heard of for 5 minutes.
      const abandon = (id: string, attempts: number) => t.database.db.updateTable('forma.print_job')
        .set({ state: 'running', stage: 'render', attempts, heartbeat_at: sql`now() - interval '5 minutes'` }).where('id', '=', id).execute();
      await abandon(revived.id, 1);
      await abandon(doomed.id, 3);
      // Still within the last two minutes: another worker is working on it.
      await t.database.db.updateTable('forma.print_job').set({ heartbeat_at: sql`now() - interval '1 minute'` }).where('id', '=', revived.id).execute();
      expect(await worker.runNext()).toBe(false);
      expect(await printJobStatus(ctx(), manager1, doomed.id)).toMatchObject({ state: 'failed', error: { code: 'print_job_interrupted' } });
      await abandon(revived.id, 1);
      expect(await worker.runNext()).toBe(true);
      expect(await printJobStatus(ctx(), manager1, revived.id)).toMatchObject({ state: 'done', done: 1 });
    });

    it(`lets a person have ${OPEN_JOBS_PER_PERSON} jobs waiting at a time`, async () => {
      const { manager1, sales1 } = fixture.users;
      const one = { template: 'envelope_dl', selection: { ids: fifty.slice(0, 1) } };
      for (let i = 0; i < OPEN_JOBS_PER_PERSON; i++) await submit(manager1, one);
      expect(await refusal(submit(manager1, one))).toMatchObject({ code: 'print_job_limit', text: { 'zh-CN': `你已有 ${OPEN_JOBS_PER_PERSON} 个打印任务在排队或进行中：请等其中一个完成后再提交` } });
      const own = (await runQuery(ctx(), sales1, 'customer', { fields: ['id'], page: { size: 1 } })).records[0]!.id;
      await submit(sales1, { template: 'envelope_dl', selection: { ids: [String(own)] } }); // someone else may
      await drain();
      await submit(manager1, one);
      await drain();
    });

    it('removes jobs and their PDFs a day after they were asked for, on start of a worker', async () => {
      const { manager1 } = fixture.users;
      const { id } = await submit(manager1, { template: 'envelope_dl', selection: { ids: fifty.slice(0, 1) } });
      await drain();
      const row = await t.database.db.selectFrom('forma.print_job').select('created_at').where('id', '=', id).executeTakeFirstOrThrow();
      const file = filePath(dataDir, 'crm', new Date(row.created_at), id);
      expect(existsSync(file)).toBe(true);
      expect(await removeExpiredPrintJobs(t.database.db, 'crm', dataDir)).toBe(0);
      await t.database.db.updateTable('forma.print_job').set({ created_at: sql`now() - interval '25 hours'` }).where('id', '=', id).execute();
      const starting = new PrintJobWorker({ db: t.database.db, workspace: 'crm', dataDir, renderer, pollMs: 60_000 });
      starting.start();
      await expect.poll(() => existsSync(file), { timeout: 10_000 }).toBe(false);
      await starting.stop();
      expect(await refusal(printJobStatus(ctx(), manager1, id))).toMatchObject({ code: 'print_job_not_found' });
    });

    it('picks up a job queued while it waits, when woken', async () => {
      const { manager1 } = fixture.users;
      const looping = new PrintJobWorker({ db: t.database.db, workspace: 'crm', dataDir, renderer, pollMs: 60_000 });
      looping.start();
      try {
        const { id } = await submit(manager1, { template: 'envelope_dl', selection: { ids: fifty.slice(0, 1) } });
        looping.wake();
        await expect.poll(async () => (await printJobStatus(ctx(), manager1, id)).state, { timeout: 30_000 }).toBe('done');
      } finally {
        await looping.stop();
      }
    });

    it.skipIf(!process.env.FORMA_BENCH_PRINT_JOBS || setup.kind !== 'postgres')('times 10,000 address labels through a job (FORMA_BENCH_PRINT_JOBS=1)', { timeout: 1_800_000 }, async () => {
      const { admin } = fixture.users;
      const existing = (await runQuery(ctx(), system, 'customer', { fields: ['id'], page: { size: 1 }, count: true })).total!.value;
      const started = Date.now();
      // A few writes at a time through the pool: each is its own transaction (numbering, history, log).
      for (let from = existing; from < 10_000; from += 8) {
        await Promise.all(Array.from({ length: Math.min(8, 10_000 - from) }, (_, k) => createRecord(ctx(), admin, 'customer', {
          name: `批量标签客户${String(from + k).padStart(5, '0')}有限公司`, region: '310104', address: `漕溪北路 ${from + k} 号`, postcode: '200030',
        })));
      }
      console.log(`bench: ${10_000 - existing} customers written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const asked = Date.now();
      const { id, total } = await submit(admin, { template: 'address_labels', selection: { filter: { field: 'id', op: 'is_not_empty' }, sort: [{ field: 'code' }] } });
      const submitted = Date.now();
      const stages: string[] = [];
      const watching = (async () => {
        for (;;) {
          const status = await printJobStatus(ctx(), admin, id);
          stages.push(`${((Date.now() - asked) / 1000).toFixed(1)} s ${status.state} ${status.stage ?? ''} ${status.done}/${status.total}`);
          if (status.state === 'done' || status.state === 'failed') return status;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      })();
      await worker.runNext();
      const status = await watching;
      const pdf = await pdfOf(admin, id);
      console.log(stages.join('\n'));
      console.log(`bench: ${total} labels, ${pdfInfo(pdf).pages} pages, ${(pdf.length / 1024 / 1024).toFixed(1)} MiB: asked in ${submitted - asked} ms, done after ${((Date.parse(status.finishedAt!) - asked) / 1000).toFixed(1)} s (load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
      expect(status.state).toBe('done');
      expect(pdfInfo(pdf).pages).toBe(Math.ceil(10_000 / 24));
    });
  });
}
