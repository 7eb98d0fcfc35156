import { PDFDocument } from 'pdf-lib';
import { FormaError } from '../errors.ts';
import type { Locale } from '../i18n/text.ts';
import { cachedModel } from '../metadata/model-cache.ts';
import { documentKey, type Model } from '../metadata/model.ts';
import type { RecordsContext } from '../records/context.ts';
import { queryLimits, runQuery, type FilterTree, type QueryResult, type SortKey } from '../records/query/index.ts';
import { getRecord } from '../records/read.ts';
import { entityRuntime } from '../records/runtime.ts';
import { accessOf, requireRight } from '../security/access.ts';
import type { Actor } from '../security/actor.ts';
import { logEvent } from '../security/system-log.ts';
import { documentParts, labelParts, type BatchPart, type PrintedDocument } from './batch.ts';
import { printDataSource, type PrintData, type PrintDataOptions, type PrintDataSource } from './data.ts';
import type { LabelGrid, PageSetup } from './paper.ts';
import type { PdfRenderer } from './renderer.ts';
import { compiledPrintTemplate, findPrintTemplate, pageProblems, templatePageSetup, type CompiledPrintTemplate, type PrintTemplateDocument } from './template-document.ts';

/** What every print needs besides its records. */
export interface PrintOptions extends PrintDataOptions {
  /** The printTemplate document's name. */
  template: string;
  /** The process's PDF renderer (one warm Chromium, engine/print/renderer.ts). */
  renderer: PdfRenderer;
  /** The entity the caller prints records of (a record page, an API route): a template of another entity is refused. */
  entity?: string;
  /** For label sheets: the cell of the first sheet the first label goes in, instead of the template's `labels.startPosition`. */
  startPosition?: number;
  /** The client's address, for the system log. */
  address?: string;
}

/** How far a batch is: reading records (`total` known when ids were given), then rendering them. */
export interface PrintProgress {
  stage: 'read' | 'render';
  done: number;
  total?: number;
}

/** The records of a batch: by id (in that order, a record named twice printed twice) or all records a filter matches. */
export type PrintSelection =
  | { ids: string[]; filter?: undefined; sort?: undefined }
  | { filter: FilterTree; sort?: SortKey[]; ids?: undefined };

/**
 * Prints one record with a print template to a PDF (打印): checks the actor's `print` right on
 * the template's entity, reads the record and everything the template shows as they may see it
 * (engine/print/data.ts), renders the template in its compiled form (kept per metadata version)
 * on its paper, with its header, footer and page numbers, and writes a `print` row to the system
 * log. A label template prints the record as one label, in the start position.
 *
 * Refusals, each a FormaError before anything is printed: `print_template_not_found`,
 * `print_template_entity_mismatch`, `permission_denied`, `record_not_found`,
 * `print_template_invalid` (line and column), `print_render_failed` (a field the data lacks,
 * with line and column), `print_margins_too_large`, `print_period_invalid`, `print_setup_missing`.
 *
 * @example
 *   const pdf = await printRecord(ctx, actor, { template: 'quote', entity: 'quote', recordId, renderer, dataDir });
 */
export async function printRecord(ctx: RecordsContext, actor: Actor, options: PrintOptions & { recordId: string }): Promise<Buffer> {
  const job = await preparePrint(ctx, actor, options);
  const record = await getRecord(ctx, actor, job.template.entity, options.recordId);
  const pdf = await job.renderer.renderBatch(job.parts([job.render(await job.source.forRecord(record))]));
  await logPrint(ctx, actor, job.template, pdf, { recordId: record.id, address: options.address });
  return pdf;
}

/**
 * Prints many records with one template into one PDF (批量打印): documents one after another,
 * each starting on a new page with its own page numbers, or — for a label template — labels
 * laid out rows × columns on sheets from the start position. The records are those of
 * `selection` the actor may read, paged through the query engine with no cap (10,000 address
 * labels), each turned into HTML as soon as it is read, then rendered in parts
 * (engine/print/batch.ts) on the renderer's pages side by side and joined; `onProgress` follows
 * both stages. One `print` row in the system log tells the count. Besides `printRecord`'s refusals: `print_selection_invalid`,
 * `print_batch_empty`, `print_start_position_invalid`, and `record_not_found` for an id the
 * actor may not read.
 *
 * @example
 *   const pdf = await printBatch(ctx, actor, { template: 'address_labels', filter: { field: 'level', op: 'eq', value: 'VIP' }, renderer,
 *     onProgress: ({ stage, done, total }) => console.log(stage, done, total) });
 */
export async function printBatch(
  ctx: RecordsContext, actor: Actor,
  options: PrintOptions & PrintSelection & { onProgress?: (progress: PrintProgress) => void },
): Promise<Buffer> {
  const selection = checkSelection(options);
  const job = await preparePrint(ctx, actor, options);
  const { onProgress } = options;
  // Entities with lines fields are read record by record: a query page does not carry lines.
  const withLines = entityRuntime(job.model, ctx.workspace, job.template.entity).children.size > 0;
  // Each record is rendered to HTML as soon as it is read: only the HTML stays in memory.
  const documents: PrintedDocument[] = [];
  for await (const records of selectedRecords(ctx, actor, job.template.entity, selection)) {
    for (const record of records) {
      const view = withLines ? await getRecord(ctx, actor, job.template.entity, String(record.id)) : record;
      documents.push(job.render(await job.source.forRecord(view)));
    }
    onProgress?.({ stage: 'read', done: documents.length, ...(selection.ids ? { total: selection.ids.length } : {}) });
  }
  if (!documents.length) throw new FormaError('print_batch_empty');
  const pdf = await job.renderer.renderBatch(job.parts(documents), {
    onProgress: (done, total) => onProgress?.({ stage: 'render', done, total }),
  });
  await logPrint(ctx, actor, job.template, pdf, {
    address: options.address, count: documents.length, ...(selection.filter ? { filter: selection.filter } : {}),
  });
  return pdf;
}

/**
 * A print about to happen: its template, the data source of its records, how to render one
 * record's data (a label is a document with only a body) and how to cut rendered records into
 * batch parts for the renderer.
 */
interface PrintJob {
  model: Model;
  template: PrintTemplateDocument;
  source: PrintDataSource;
  renderer: PdfRenderer;
  render(data: PrintData): PrintedDocument;
  parts(documents: readonly PrintedDocument[]): BatchPart[];
}

async function preparePrint(ctx: RecordsContext, actor: Actor, options: PrintOptions): Promise<PrintJob> {
  const { model } = await cachedModel(ctx.db, ctx.workspace);
  const template = findPrintTemplate(model, options.template);
  const access = await accessOf(ctx.db, ctx.workspace, actor, model);
  if (options.entity !== undefined && options.entity !== template.entity) {
    const label = (entity: string) => model.get(documentKey({ kind: 'entity', name: entity }))?.label ?? { 'zh-CN': entity, en: entity };
    const [prints, asked] = [label(template.entity), label(options.entity)];
    throw new FormaError('print_template_entity_mismatch', {
      template: template.name, printsZh: prints['zh-CN'], printsEn: prints.en, entityZh: asked['zh-CN'], entityEn: asked.en,
    });
  }
  await requireRight(ctx.db, ctx.workspace, access, template.entity, 'print');
  const compiled = compiledPrintTemplate(template);
  const setup = pageSetup(template);
  const grid = template.labels ? labelGrid(template.labels, options.startPosition) : undefined;
  const source = await printDataSource(ctx, actor, template, options);
  const locale = options.locale ?? 'zh-CN';
  return {
    model, template, source, renderer: options.renderer,
    render: (data) => (grid ? { body: compiled.source(data, { locale }) } : printedDocument(compiled, data, locale)),
    parts: (documents) => (grid ? labelParts(documents.map((d) => d.body), setup, grid, { locale }) : documentParts(documents, setup, { locale })),
  };
}

/** The page of a template; `print_margins_too_large` when its margins leave no room on its paper (a template saved before the model check refused such margins). */
function pageSetup(template: PrintTemplateDocument): PageSetup {
  const [problem] = pageProblems(template).filter((p) => p.code === 'print_margins_too_large');
  if (problem) throw new FormaError('print_template_invalid', {}, [{ ...problem, source: `printTemplate:${template.name}` }]);
  return templatePageSetup(template);
}

/** The template's label grid, from `startPosition` when one is given (1 to rows × columns). */
function labelGrid(labels: LabelGrid, startPosition: number | undefined): LabelGrid {
  if (startPosition === undefined) return labels;
  const cells = labels.rows * labels.columns;
  if (!Number.isInteger(startPosition) || startPosition < 1 || startPosition > cells) throw new FormaError('print_start_position_invalid', { cells });
  return { ...labels, startPosition };
}

/** One record's document: its body, and its header and footer when the template has them. */
function printedDocument(compiled: CompiledPrintTemplate, data: PrintData, locale: Locale): PrintedDocument {
  return {
    body: compiled.source(data, { locale }),
    ...(compiled.header ? { header: compiled.header(data, { locale }) } : {}),
    ...(compiled.footer ? { footer: compiled.footer(data, { locale }) } : {}),
  };
}

/** A batch's selection as given, or `print_selection_invalid`: ids (a non-empty list of texts) or a filter, not both. */
function checkSelection(selection: PrintSelection): PrintSelection {
  const { ids, filter } = selection as { ids?: unknown; filter?: unknown };
  const validIds = Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string');
  if ((ids === undefined) === (filter === undefined) || (ids !== undefined && !validIds)) throw new FormaError('print_selection_invalid');
  return selection;
}

/** Records per query page of a batch. */
const BATCH_PAGE = 200;

/**
 * The selected records the actor may read, a query page at a time: by ids in their order (a
 * list of at most `queryLimits.listItems` ids a query; an id they may not read is
 * `record_not_found`), or by filter in its sort.
 */
async function* selectedRecords(ctx: RecordsContext, actor: Actor, entity: string, selection: PrintSelection): AsyncGenerator<Record<string, unknown>[]> {
  const pages = async function* (filter: FilterTree | undefined, sort?: SortKey[]) {
    let page: QueryResult | undefined;
    do {
      page = await runQuery(ctx, actor, entity, {
        ...(filter ? { filter } : {}), ...(sort ? { sort } : {}), page: { size: BATCH_PAGE, ...(page?.next ? { after: page.next } : {}) },
      });
      yield page.records;
    } while (page.next);
  };
  if (!selection.ids) {
    yield* pages(selection.filter, selection.sort);
    return;
  }
  for (let from = 0; from < selection.ids.length; from += queryLimits.listItems) {
    const ids = selection.ids.slice(from, from + queryLimits.listItems);
    const found = new Map<string, Record<string, unknown>>();
    for await (const records of pages({ field: 'id', op: 'in', value: [...new Set(ids)] })) {
      for (const record of records) found.set(String(record.id), record);
    }
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw new FormaError('record_not_found', { entity, id: missing.slice(0, 60) });
    yield ids.map((id) => found.get(id)!);
  }
}

/** The `print` row of the system log: the template, the record or the count, and the pages printed. */
async function logPrint(
  ctx: RecordsContext, actor: Actor, template: PrintTemplateDocument, pdf: Buffer,
  details: { recordId?: string; address?: string | undefined; count?: number; filter?: FilterTree },
): Promise<void> {
  const { recordId, address, ...rest } = details;
  const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
  await logEvent(ctx.db, {
    workspace: ctx.workspace, actor, action: 'print', entity: template.entity,
    ...(recordId ? { recordId } : {}), ...(address ? { address } : {}),
    details: { template: template.name, pages, ...rest },
  });
}
