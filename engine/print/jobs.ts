import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { toNumber } from '../db/database.ts';
import { FormaError, isFormaError, type Problem } from '../errors.ts';
import { filePath } from '../files/files.ts';
import type { Locale, LocalizedText } from '../i18n/text.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { UUID, type RecordsContext } from '../records/context.ts';
import { queryLimits, runQuery, type FilterTree, type SortKey } from '../records/query/index.ts';
import type { Actor } from '../security/actor.ts';
import { findUserByLogin } from '../security/users.ts';
import type { PrintPeriod } from './data.ts';
import { checkPrintSetup } from './fonts.ts';
import { printBatch, type PrintProgress, type PrintSelection } from './print.ts';
import type { PdfRenderer } from './renderer.ts';
import { findPrintTemplate } from './template-document.ts';

/** Where a print job is: waiting for a worker, being printed, printed (its PDF ready), or failed (its error kept). */
export type PrintJobState = 'queued' | 'running' | 'done' | 'failed';

/** A batch print asked for: the template, the records, and how to print them. */
export interface PrintJobRequest {
  /** The printTemplate document's name. */
  template: string;
  /** The records, by ids or by filter (and sort), as the person may read them when the job runs. */
  selection: unknown;
  /** For label sheets: the cell of the first sheet the first label goes in (1 to rows × columns). */
  startPosition?: number;
  /** The language of the printed texts. Default zh-CN. */
  locale?: Locale;
  /** The period of the template's related lists (statements). */
  period?: Partial<PrintPeriod>;
  /** The client's address, for the system log. */
  address?: string;
}

/** What submitting and running jobs need from the process. */
export interface PrintJobEnvironment {
  /** The process's PDF renderer. Submitting only checks the print with it; nothing is rendered. */
  renderer: PdfRenderer;
  /** Forma's data directory: a job's PDF is kept under `<dataDir>/files`. */
  dataDir: string;
}

/** A print job as its owner sees it (`GET /api/v1/print/jobs/:id`). */
export interface PrintJobStatus {
  id: string;
  template: string;
  state: PrintJobState;
  /** While running: reading the records, then rendering them. */
  stage: 'read' | 'render' | null;
  /** Records read, or documents / labels rendered, so far. */
  done: number;
  /** Records to print: counted when the job was asked for (an estimate above 10,000), then exact once rendering starts. */
  total: number;
  /** Why it failed: the structured error, as the API gives errors. */
  error?: { code: string; message: LocalizedText; problems: Problem[] };
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The PDF's size in bytes, once done. */
  size: number | null;
}

/** A finished job's PDF, to send. */
export interface PrintJobPdf {
  job: PrintJobStatus;
  stream: ReadableStream<Uint8Array>;
}

/** How long a job and its PDF are kept after it was asked for. */
export const PRINT_JOB_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Jobs one person may have queued or running at a time: a few large batches must not starve everyone else's. */
export const OPEN_JOBS_PER_PERSON = 3;
/** A running job whose worker has not been heard of for this long is taken again (its process died). */
const STALE_AFTER = '2 minutes';
/** How often a working worker says it is alive, well within STALE_AFTER. */
const HEARTBEAT_MS = 20_000;
/** Times a job is taken before it is given up: a job that kills its process must not kill every process in turn. */
const MAX_ATTEMPTS = 3;
/** Progress is written at most this often. */
const PROGRESS_MS = 500;

/** A filter no record matches: every record has an id. */
const NO_RECORDS: FilterTree = { field: 'id', op: 'is_empty' };

const STATE_LABELS: Record<PrintJobState, LocalizedText> = {
  queued: { 'zh-CN': '排队中', en: 'queued' },
  running: { 'zh-CN': '正在打印', en: 'running' },
  done: { 'zh-CN': '已完成', en: 'done' },
  failed: { 'zh-CN': '已失败', en: 'failed' },
};

/**
 * Asks for a batch print (批量打印) as a job, checked now and printed by a worker
 * (`PrintJobWorker`, in whichever app process takes it) as the actor: no cap on the number of
 * records (10,000 address labels). Everything that can be checked before printing is: the print
 * setup, the template and the actor's `print` right on its entity, the template's sources, paper
 * and start position, the period, the selection (`print_selection_invalid`), its filter and sort
 * (`query_invalid`, problems at `/filter`, `/sort`), every id readable by the actor
 * (`record_not_found`), and that there is something to print (`print_batch_empty`). A person
 * may have `OPEN_JOBS_PER_PERSON` jobs queued or running (`print_job_limit`). Returns the job's
 * id and the number of records it prints.
 *
 * @example
 *   const { id, total } = await submitPrintJob(ctx, actor, { template: 'address_labels', selection: { filter: { field: 'level', op: 'eq', value: 'A' } } }, { renderer, dataDir });
 */
export async function submitPrintJob(
  ctx: RecordsContext, actor: Actor, request: PrintJobRequest, env: PrintJobEnvironment,
): Promise<{ id: string; total: number }> {
  checkPrintSetup();
  const selection = checkedSelection(request.selection);
  const options = {
    ...(request.startPosition !== undefined ? { startPosition: request.startPosition } : {}),
    ...(request.locale ? { locale: request.locale } : {}),
    ...(request.period ? { period: request.period } : {}),
  };
  await checkPrint(ctx, actor, request.template, options, env);
  const { entity } = findPrintTemplate((await cachedModel(ctx.db, ctx.workspace)).model, request.template);
  const total = selection.ids ? await readableIds(ctx, actor, entity, selection.ids) : await matching(ctx, actor, entity, selection);
  if (total === 0) throw new FormaError('print_batch_empty');

  const open = await ctx.db.selectFrom('forma.print_job').select(sql<number>`count(*)`.as('n'))
    .where('workspace', '=', ctx.workspace).where('actor_id', '=', actor.id).where('state', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  if (toNumber(open.n) >= OPEN_JOBS_PER_PERSON) throw new FormaError('print_job_limit', { count: toNumber(open.n) });

  const id = uuidv7();
  await ctx.db.insertInto('forma.print_job').values({
    id, workspace: ctx.workspace, template: request.template, selection: JSON.stringify(selection), options: JSON.stringify(options),
    actor_id: actor.id, actor_name: actor.name, actor_kind: actor.kind, address: request.address?.slice(0, 100) ?? null,
    state: 'queued', total,
  }).execute();
  return { id, total };
}

/**
 * A print job of the actor (`print_job_not_found` for anyone else's, an unknown id, or a job
 * removed a day after it was asked for).
 */
export async function printJobStatus(ctx: RecordsContext, actor: Actor, id: string): Promise<PrintJobStatus> {
  return statusOf(await ownJob(ctx, actor, id));
}

/**
 * The PDF of a finished print job of the actor: `print_job_not_done` while it is queued or
 * running, or when it failed (its status says why); `print_job_not_found` as for
 * `printJobStatus`, or when its file is gone.
 */
export async function printJobPdf(ctx: RecordsContext, actor: Actor, id: string, dataDir: string): Promise<PrintJobPdf> {
  const row = await ownJob(ctx, actor, id);
  const job = statusOf(row);
  if (job.state !== 'done') {
    throw new FormaError('print_job_not_done', { stateZh: STATE_LABELS[job.state]['zh-CN'], stateEn: STATE_LABELS[job.state].en });
  }
  const file = resultPath(dataDir, row);
  const stream = await new Promise<Readable>((resolve, reject) => {
    const opened = createReadStream(file);
    opened.once('open', () => resolve(opened)).once('error', reject);
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new FormaError('print_job_not_found');
    throw error;
  });
  return { job, stream: Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array> };
}

/**
 * Removes the print jobs of a workspace asked for more than `PRINT_JOB_RETENTION_MS` ago, with
 * their PDFs; returns how many. Workers run it when they start and every hour; several
 * processes running it at once remove each job once.
 */
export async function removeExpiredPrintJobs(db: Kysely<any>, workspace: string, dataDir: string): Promise<number> {
  const removed = await db.deleteFrom('forma.print_job')
    .where('workspace', '=', workspace)
    .where('created_at', '<', sql<Date>`now() - ${`${PRINT_JOB_RETENTION_MS / 1000} seconds`}::interval`)
    .returning(['id', 'workspace', 'created_at'])
    .execute();
  for (const row of removed) await rm(resultPath(dataDir, row), { force: true });
  return removed.length;
}

/** Options of a `PrintJobWorker`. */
export interface PrintJobWorkerOptions extends PrintJobEnvironment {
  db: Kysely<any>;
  /** The workspace whose jobs it prints (the process's). */
  workspace: string;
  /** How often it looks for jobs asked for in other processes when idle. Default 2 s. */
  pollMs?: number;
  /** What went wrong outside a job (the database unreachable…). Default: console.error. */
  onError?: (error: unknown) => void;
}

/**
 * Prints the queued jobs of a workspace, one at a time (the renderer's page pool renders each
 * job's parts side by side), in the order they were asked for. Every app process may run one:
 * a job is taken with `SELECT … FOR UPDATE SKIP LOCKED`, so each is printed once, and a job
 * whose process died mid-way (no heartbeat for two minutes) is taken again by another, up to
 * three times. A job runs as the person who asked for it, with their permissions as they are
 * then (`printBatch`: their record scope, hidden fields; a deactivated user's job fails with
 * `user_inactive`); its progress is written as it goes, its PDF stored under the data dir, its
 * error kept when it fails. Expired jobs are removed on start and every hour.
 *
 * @example
 *   const worker = new PrintJobWorker({ db, workspace, dataDir, renderer });
 *   worker.start();
 *   worker.wake(); // a job was just queued in this process
 *   await worker.stop();
 */
export class PrintJobWorker {
  readonly #options: PrintJobWorkerOptions;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;
  #stopping = false;
  /** Ends the wait between polls. */
  #wakeUp: (() => void) | undefined;
  /** A wake-up came while the loop was not waiting: it looks again before waiting. */
  #woken = false;
  #cleanup: NodeJS.Timeout | undefined;

  constructor(options: PrintJobWorkerOptions) {
    this.#options = options;
    this.#onError = options.onError ?? ((error) => console.error('Forma print jobs:', error));
  }

  /** Starts looking for jobs (once; later calls do nothing) and removes expired ones. */
  start(): void {
    if (this.#running || this.#stopping) return;
    const { db, workspace, dataDir } = this.#options;
    const cleanup = () => void removeExpiredPrintJobs(db, workspace, dataDir).catch(this.#onError);
    cleanup();
    this.#cleanup = setInterval(cleanup, 60 * 60 * 1000).unref();
    this.#running = this.#loop();
  }

  /** Looks for a job now instead of at the next poll: one was just queued. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /**
   * Stops taking jobs and waits for the current one to end. Close the renderer too to end a
   * long job at once: a job stopped that way is queued again for another process (or the next start).
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#cleanup);
    this.wake();
    await this.#running;
  }

  /** Takes the oldest waiting job and prints it; false when there was none. The loop's one step (tests call it directly). */
  async runNext(): Promise<boolean> {
    const job = await this.#claim();
    if (!job) return false;
    await this.#print(job);
    return true;
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      this.#woken = false;
      let found = false;
      try {
        found = await this.runNext();
      } catch (error) {
        if (!this.#stopping) this.#onError(error);
      }
      if (found || this.#woken || this.#stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#options.pollMs ?? 2000);
        this.#wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wakeUp = undefined;
    }
  }

  /** The oldest job waiting, or abandoned by a dead worker, now ours; jobs abandoned too often are failed first. */
  async #claim(): Promise<JobRow | undefined> {
    const { db, workspace } = this.#options;
    const stale = sql<boolean>`state = 'running' and heartbeat_at < now() - ${STALE_AFTER}::interval`;
    const interrupted = new FormaError('print_job_interrupted', { attempts: MAX_ATTEMPTS });
    await db.updateTable('forma.print_job')
      .set({ state: 'failed', stage: null, finished_at: sql`now()`, error: JSON.stringify(interrupted.toJSON()) })
      .where('workspace', '=', workspace).where(stale).where('attempts', '>=', MAX_ATTEMPTS)
      .execute();
    // The one statement several processes may run at once: a job another worker holds is skipped, not waited for.
    const { rows } = await sql<JobRow>`
      update forma.print_job
      set state = 'running', stage = 'read', done = 0, started_at = now(), heartbeat_at = now(), attempts = attempts + 1
      where id = (
        select id from forma.print_job
        where workspace = ${workspace} and (state = 'queued' or (${stale}))
        order by created_at
        limit 1
        for update skip locked)
      returning *`.execute(db);
    return rows[0];
  }

  /** Prints a job we hold, as the person who asked, and records how it ended. */
  async #print(job: JobRow): Promise<void> {
    const { db, renderer, dataDir } = this.#options;
    let writes = Promise.resolve();
    /** Writes to the job while we hold it: another worker may have taken it meanwhile if we were thought dead. */
    const write = (values: Record<string, unknown>) => {
      const update = db.updateTable('forma.print_job').set({ ...values, heartbeat_at: sql`now()` })
        .where('id', '=', job.id).where('state', '=', 'running').where('attempts', '=', job.attempts);
      writes = writes.then(() => update.execute()).then(() => undefined, this.#onError);
      return writes;
    };
    const heartbeat = setInterval(() => void write({}), HEARTBEAT_MS);
    let latest: PrintProgress | undefined;
    let written = 0;
    const onProgress = (progress: PrintProgress) => {
      latest = progress;
      if (Date.now() - written < PROGRESS_MS) return;
      written = Date.now();
      void write({ stage: progress.stage, done: progress.done, ...(progress.stage === 'render' && progress.total !== undefined ? { total: progress.total } : {}) });
    };
    try {
      const selection = json(job.selection) as PrintSelection;
      const options = json(job.options) as { startPosition?: number; locale?: Locale; period?: Partial<PrintPeriod> };
      const actor = await jobActor(db, job);
      const pdf = await printBatch({ db, workspace: job.workspace }, actor, {
        template: job.template, renderer, dataDir, ...selection, ...options,
        ...(job.address ? { address: job.address } : {}), onProgress,
      });
      const file = resultPath(dataDir, job);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, pdf);
      const printed = latest?.stage === 'render' ? latest.total ?? latest.done : toNumber(job.total);
      await write({ state: 'done', stage: null, done: printed, total: printed, size: pdf.length, finished_at: sql`now()` });
    } catch (error) {
      if (this.#stopping && isFormaError(error) && error.code === 'print_renderer_closed') {
        // The process is stopping: the job is left for another process, or the next start.
        await write({ state: 'queued', stage: null, done: 0, attempts: sql`attempts - 1` });
      } else {
        if (!isFormaError(error)) this.#onError(error);
        const failure = isFormaError(error) ? error : new FormaError('print_job_failed', { detail: error instanceof Error ? error.message : String(error) });
        await write({ state: 'failed', stage: null, error: JSON.stringify(failure.toJSON()), finished_at: sql`now()` });
      }
    } finally {
      clearInterval(heartbeat);
      await writes;
    }
  }
}

/** A `forma.print_job` row as the database gives it. */
interface JobRow {
  id: string;
  workspace: string;
  template: string;
  selection: unknown;
  options: unknown;
  actor_id: string;
  actor_name: string;
  actor_kind: Actor['kind'];
  address: string | null;
  state: PrintJobState;
  stage: 'read' | 'render' | null;
  done: number;
  total: number;
  attempts: number;
  error: unknown;
  size: string | number | null;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
}

/**
 * Checks everything about printing `template` but the records: `printBatch` over a selection no
 * record matches runs all of its checks (template, `print` right, sources, paper, start
 * position, period) and stops with `print_batch_empty` before anything is rendered or logged.
 */
async function checkPrint(
  ctx: RecordsContext, actor: Actor, template: string,
  options: { startPosition?: number; locale?: Locale; period?: Partial<PrintPeriod> }, env: PrintJobEnvironment,
): Promise<void> {
  try {
    await printBatch(ctx, actor, { template, renderer: env.renderer, dataDir: env.dataDir, filter: NO_RECORDS, ...options });
  } catch (error) {
    if (isFormaError(error) && error.code === 'print_batch_empty') return;
    throw error;
  }
  throw new Error('printBatch printed records of a filter matching none');
}

/** The selection of a request, or `print_selection_invalid`: a non-empty list of ids, or a filter (and a sort), not both. */
function checkedSelection(selection: unknown): PrintSelection {
  const { ids, filter, sort, ...rest } = (typeof selection === 'object' && selection !== null ? selection : {}) as Record<string, unknown>;
  const byIds = Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string') && filter === undefined && sort === undefined;
  const byFilter = ids === undefined && typeof filter === 'object' && filter !== null;
  if (Object.keys(rest).length || !(byIds || byFilter)) throw new FormaError('print_selection_invalid');
  return byIds ? { ids: ids as string[] } : { filter: filter as FilterTree, ...(sort !== undefined ? { sort: sort as SortKey[] } : {}) };
}

/** How many records a filter selects for the actor (exact up to 10,000, an estimate above); its problems as `query_invalid`. */
async function matching(ctx: RecordsContext, actor: Actor, entity: string, selection: { filter: FilterTree; sort?: SortKey[] }): Promise<number> {
  const page = await runQuery(ctx, actor, entity, { ...selection, fields: ['id'], page: { size: 1 }, count: true });
  return page.total?.value ?? page.records.length;
}

/** The number of ids, once each is known to name a record the actor may read (`record_not_found` for the first that does not). */
async function readableIds(ctx: RecordsContext, actor: Actor, entity: string, ids: string[]): Promise<number> {
  const distinct = [...new Set(ids)];
  const missing = distinct.find((id) => !UUID.test(id));
  if (missing !== undefined) throw new FormaError('record_not_found', { entity, id: missing.slice(0, 60) });
  for (let from = 0; from < distinct.length; from += queryLimits.listItems) {
    const chunk = distinct.slice(from, from + queryLimits.listItems);
    const found = new Set<string>();
    let after: string | undefined;
    do {
      const page = await runQuery(ctx, actor, entity, {
        filter: { field: 'id', op: 'in', value: chunk }, fields: ['id'], page: { size: 200, ...(after ? { after } : {}) },
      });
      for (const record of page.records) found.add(String(record.id));
      after = page.next;
    } while (after);
    const unreadable = chunk.find((id) => !found.has(id));
    if (unreadable !== undefined) throw new FormaError('record_not_found', { entity, id: unreadable });
  }
  return ids.length;
}

/** The actor's own job (by id, in the workspace), or `print_job_not_found`. */
async function ownJob(ctx: RecordsContext, actor: Actor, id: string): Promise<JobRow> {
  const row = UUID.test(id)
    ? await ctx.db.selectFrom('forma.print_job').selectAll()
      .where('id', '=', id).where('workspace', '=', ctx.workspace).where('actor_id', '=', actor.id)
      .executeTakeFirst()
    : undefined;
  if (!row) throw new FormaError('print_job_not_found');
  return row as JobRow;
}

/** Who a job runs as: the person who asked for it, if they still may sign in (`user_inactive` otherwise). */
async function jobActor(db: Kysely<any>, job: JobRow): Promise<Actor> {
  const actor: Actor = { id: job.actor_id, name: job.actor_name, kind: job.actor_kind };
  if (actor.kind === 'system') return actor;
  const user = await findUserByLogin(db, job.actor_name);
  if (!user || user.id !== job.actor_id || !user.active) throw new FormaError('user_inactive', { login: job.actor_name });
  return actor;
}

function statusOf(row: JobRow): PrintJobStatus {
  const error = json(row.error) as PrintJobStatus['error'] | null;
  return {
    id: row.id, template: row.template, state: row.state, stage: row.stage, done: toNumber(row.done), total: toNumber(row.total),
    ...(error ? { error } : {}),
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    size: row.size === null ? null : toNumber(row.size),
  };
}

/** Where a job's PDF is kept: a stored file of Forma's (engine/files), named by the job's id and the day it was asked for. */
function resultPath(dataDir: string, job: { id: string; workspace: string; created_at: Date | string }): string {
  return filePath(dataDir, job.workspace, new Date(job.created_at), job.id);
}

/** A jsonb value: parsed by the pg driver, a string from some others. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
