import { FormaError } from '../../engine/errors.ts';
import type { Locale } from '../../engine/i18n/text.ts';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import { documentKey, type EntityDocument } from '../../engine/metadata/model.ts';
import { calendarDate, DEFAULT_TIME_ZONE, type RecordsContext } from '../../engine/records/context.ts';
import { getRecord } from '../../engine/records/read.ts';
import { printJobPdf, printJobStatus, submitPrintJob, type PrintJobStatus } from '../../engine/print/jobs.ts';
import { printRecord } from '../../engine/print/print.ts';
import type { PdfRenderer } from '../../engine/print/renderer.ts';
import { findPrintTemplate } from '../../engine/print/template-document.ts';
import { accessOf } from '../../engine/security/access.ts';
import type { Actor } from '../../engine/security/actor.ts';
import { requestLocale } from '../lists/export.server.ts';
import { printRenderer, wakePrintWorker } from '../print.server.ts';
import { printTemplateChoices } from '../print/templates.server.ts';
import { label } from '../text/index.ts';
import { contentDisposition } from './content-disposition.server.ts';
import { apiError } from './errors.server.ts';
import { endpoint, json, queryParameters, readJson, type ApiDeps } from './http.server.ts';

/** What the print endpoints need of the process: its PDF renderer, and a way to tell its job worker that a job waits. */
export interface Printing {
  renderer: PdfRenderer;
  /** Makes sure a worker is running and looks for jobs now. */
  jobWaiting(): Promise<void> | void;
}

/**
 * The API's dependencies plus printing: the process's own (app/print.server.ts) unless given —
 * tests give their own renderer and worker.
 */
export interface PrintApiDeps extends ApiDeps {
  printing?: Printing;
}

/**
 * `GET /api/v1/print/templates?entity=<entity>`: the print templates the caller may use — of
 * one entity, or of all — each with its name, label, paper (and size in mm) and, for label
 * templates, the sheet (`labels: { rows, columns, startPosition }`). An entity that does not
 * exist for the caller is 404 `entity_unknown`; one they may not print has none.
 */
export const printTemplates = endpoint({
  GET: async ({ request, deps, actor }) => {
    const entity = queryParameters(request, ['entity']).get('entity');
    const { model } = await cachedModel(deps.db, deps.workspace);
    const access = await accessOf(deps.db, deps.workspace, actor, model);
    if (entity !== undefined && !access.entity(entity)) throw new FormaError('entity_unknown', { entity: entity.slice(0, 100) });
    return json({ templates: printTemplateChoices(model, access, entity) });
  },
});

/**
 * `GET /api/v1/print/:template/:id`: one record printed with a template, as `application/pdf`
 * shown in the browser (`?download=1`: saved, as 报价单-BJ202611-0042.pdf). Optional: `entity`
 * (the record's entity: a template of another is refused with `print_template_entity_mismatch`),
 * `startPosition` (label templates), `from` and `to` (the period of a statement, YYYY-MM-DD).
 * Texts in the caller's language. Refusals as JSON errors: 403 without the `print` right, 404
 * for a template or record that does not exist for the caller, 422 for a template that does not
 * compile or render (each problem with its line and column), 503 when printing is not set up.
 * Logged as `print` (engine/print/print.ts).
 */
export const printOne = endpoint({
  GET: async ({ request, params, deps, actor, address }) => {
    const parameters = queryParameters(request, ['entity', 'download', 'startPosition', 'from', 'to']);
    const download = flag(parameters.get('download'), 'download');
    const locale = requestLocale(request);
    const ctx = contextOf(deps);
    const entity = parameters.get('entity');
    const startPosition = parameters.get('startPosition');
    const pdf = await printRecord(ctx, actor, {
      template: params.template ?? '', recordId: params.id ?? '', renderer: printingOf(deps).renderer, locale,
      ...(deps.dataDir ? { dataDir: deps.dataDir } : {}),
      ...(entity !== undefined ? { entity } : {}),
      ...(startPosition !== undefined ? { startPosition: Number(startPosition) } : {}),
      ...period(parameters),
      ...(address ? { address } : {}),
    });
    const name = `${await templateLabel(ctx, params.template!, locale)}-${await recordTitle(ctx, actor, params.template!, params.id!)}.pdf`;
    return pdfResponse(pdf, name, download);
  },
});

/**
 * `POST /api/v1/print/:template/jobs` `{ "ids": [...] }` or `{ "filter": <filter tree>, "sort"?: [...] }`,
 * plus `startPosition` (label templates) and `period` (`{ from, to }`): a batch print as a job
 * (engine/print/jobs.ts), checked now, printed by a worker. 202 `{ id, total }` with the job's
 * address in `Location`; its progress at `GET /api/v1/print/jobs/:id`.
 */
export const printJobs = endpoint({
  POST: async ({ request, params, deps, actor, address }) => {
    const body = await readJson(request);
    const { ids, filter, sort, startPosition, period: asked, ...unknown } = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const [extra] = Object.keys(unknown);
    if (extra !== undefined) throw memberInvalid(extra.slice(0, 100), { zh: 'ids、filter、sort、startPosition、period 之一', en: 'one of ids, filter, sort, startPosition, period' });
    if (startPosition !== undefined && typeof startPosition !== 'number') throw memberInvalid('startPosition', { zh: '整数', en: 'a whole number' });
    if (asked !== undefined && (typeof asked !== 'object' || asked === null || Array.isArray(asked))) {
      throw memberInvalid('period', { zh: '{ "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }', en: '{ "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }' });
    }
    const printing = printingOf(deps);
    const job = await submitPrintJob(contextOf(deps), actor, {
      template: params.template ?? '',
      selection: { ...(ids !== undefined ? { ids } : {}), ...(filter !== undefined ? { filter } : {}), ...(sort !== undefined ? { sort } : {}) },
      locale: requestLocale(request),
      ...(startPosition !== undefined ? { startPosition } : {}),
      ...(asked ? { period: asked as { from?: string; to?: string } } : {}),
      ...(address ? { address } : {}),
    }, { renderer: printing.renderer, dataDir: dataDirOf(deps) });
    await printing.jobWaiting();
    return json(job, 202, { Location: `/api/v1/print/jobs/${job.id}` });
  },
});

/**
 * `GET /api/v1/print/jobs/:id`: a job's progress, for whoever asked for it only (404 for anyone
 * else): `{ id, template, state: queued|running|done|failed, stage: read|render|null, done, total,
 * error?, createdAt, startedAt, finishedAt, size, pdf? }` — `pdf` the address of the PDF once done.
 */
export const printJob = endpoint({
  GET: async ({ params, deps, actor }) => {
    const job = await printJobStatus(contextOf(deps), actor, params.id ?? '');
    // A job left queued — or running, its worker gone — by a stopped server is printed once someone looks for it.
    if (job.state === 'queued' || job.state === 'running') await printingOf(deps).jobWaiting();
    return json({ ...job, ...(job.state === 'done' ? { pdf: `/api/v1/print/jobs/${job.id}/pdf` } : {}) });
  },
});

/**
 * `GET /api/v1/print/jobs/:id/pdf`: the PDF of a finished job (`?download=1`: saved, as
 * 地址标签（A4 3×8）-20261123-10000.pdf); 409 `print_job_not_done` before (or when it failed).
 */
export const printJobResult = endpoint({
  GET: async ({ request, params, deps, actor }) => {
    const download = flag(queryParameters(request, ['download']).get('download'), 'download');
    const ctx = contextOf(deps);
    const { job, stream } = await printJobPdf(ctx, actor, params.id ?? '', dataDirOf(deps));
    return pdfResponse(stream, await jobFileName(ctx, job, requestLocale(request)), download, job.size ?? undefined);
  },
});

function printingOf(deps: PrintApiDeps): Printing {
  return deps.printing ?? { renderer: printRenderer(), jobWaiting: wakePrintWorker };
}

function contextOf(deps: ApiDeps): RecordsContext {
  return { db: deps.db, workspace: deps.workspace };
}

function dataDirOf(deps: ApiDeps): string {
  if (!deps.dataDir) throw new Error('Forma API: no data directory to keep printed PDFs in');
  return deps.dataDir;
}

/** A yes/no query parameter: absent, 0 or false is no; 1 or true is yes. */
function flag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw apiError(400, 'parameter_invalid', { name, expectedZh: '1 或 0', expectedEn: '1 or 0' });
}

/** The period of `from` and `to`, when given (the engine checks them: `print_period_invalid`). */
function period(parameters: Map<string, string>): { period?: { from?: string; to?: string } } {
  const [from, to] = [parameters.get('from'), parameters.get('to')];
  if (from === undefined && to === undefined) return {};
  return { period: { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) } };
}

function memberInvalid(member: string, expected: { zh: string; en: string }) {
  return apiError(400, 'body_member_invalid', { member, expectedZh: expected.zh, expectedEn: expected.en });
}

/** A PDF as the browser shows it (inline) or saves it (attachment), under a file name in the caller's language. */
function pdfResponse(body: Buffer | ReadableStream<Uint8Array>, filename: string, download: boolean, size = Buffer.isBuffer(body) ? body.length : undefined): Response {
  const bytes = Buffer.isBuffer(body) ? new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) : body;
  return new Response(bytes as BodyInit, {
    headers: {
      'Content-Type': 'application/pdf',
      ...(size !== undefined ? { 'Content-Length': String(size) } : {}),
      'Content-Disposition': contentDisposition(download ? 'attachment' : 'inline', filename),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** The template's label in the language, or its name when it is gone from the metadata (a job's, a day later). */
async function templateLabel(ctx: RecordsContext, template: string, locale: Locale): Promise<string> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const document = model.get(documentKey({ kind: 'printTemplate', name: template }));
  return document ? label(document.label, locale) : template;
}

/** What a printed record is called in its file name: its display field (a quote's number, a customer's name), else its id. */
async function recordTitle(ctx: RecordsContext, actor: Actor, template: string, id: string): Promise<string> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const { entity } = findPrintTemplate(model, template);
  const display = (model.get(documentKey({ kind: 'entity', name: entity })) as EntityDocument | undefined)?.schema['x-forma']?.displayField;
  const record = await getRecord(ctx, actor, entity, id);
  const title = display ? record[display] : undefined;
  return typeof title === 'string' || typeof title === 'number' ? String(title) : id;
}

/** A job's file name: the template's label, the day it was asked for (workspace time) and how many records it prints. */
async function jobFileName(ctx: RecordsContext, job: PrintJobStatus, locale: Locale): Promise<string> {
  const day = calendarDate(new Date(job.createdAt), ctx.timeZone ?? DEFAULT_TIME_ZONE).replace(/-/g, '');
  return `${await templateLabel(ctx, job.template, locale)}-${day}-${job.total}.pdf`;
}
