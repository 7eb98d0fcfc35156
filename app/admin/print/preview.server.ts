// The print template designer's previews (POST /admin/print-preview): the admin's draft template
// compiled and rendered with a record's real print data (or the built-in sample data), as an
// inert HTML page for a sandboxed frame, or as a PDF through the process's renderer.
import { PDFDocument } from 'pdf-lib';
import { FormaError, isFormaError, type Problem } from '../../../engine/errors.ts';
import type { Locale } from '../../../engine/i18n/text.ts';
import { documentParts, labelParts, type BatchPart } from '../../../engine/print/batch.ts';
import { printDataSource, type PrintData } from '../../../engine/print/data.ts';
import { DEFAULT_MARGINS, labelCss, labelSheets, pageSize, pdfOptions, printDocument, type LabelGrid, type PageSetup } from '../../../engine/print/paper.ts';
import type { PdfRenderer } from '../../../engine/print/renderer.ts';
import { compiledPrintTemplate, pageProblems, templatePageSetup, type CompiledPrintTemplate, type PrintTemplateDocument } from '../../../engine/print/template-document.ts';
import { getRecord } from '../../../engine/records/read.ts';
import { entityRuntime } from '../../../engine/records/runtime.ts';
import { checkChangeSet } from '../../../engine/schema/plan.ts';
import { getConfig } from '../../config.server.ts';
import { LOCALES, t } from '../../text/index.ts';
import type { Admin } from '../admin.server.ts';
import type { PreviewAnswer, TemplateProblemView } from './preview.ts';
import { sourcesKey } from './preview.ts';
import { recordName, sampleOf } from './templates.server.ts';

/**
 * The policy of every HTML preview, as a `<meta>` in the document itself: nothing may be
 * fetched — no script, frame, style sheet, font or image from any address — except `data:`
 * images and fonts (the company's logo and seal come that way), inline styles allowed. With the
 * frame's `sandbox` (no `allow-scripts`) nothing runs either: the promise the PDF makes.
 */
export const PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; media-src data:; form-action 'none'; base-uri 'none'";

/** A draft rendered with the data of one record: its page, label grid, language, and its body, header and footer as HTML. */
interface RenderedDraft {
  setup: PageSetup;
  grid?: LabelGrid;
  locale: Locale;
  body: string;
  header?: string;
  footer?: string;
  record: PreviewAnswer['record'];
  sources: string;
}

/** What a preview renders: the draft document, the record (empty: sample data), the sample's template, the language. */
export interface PreviewInput {
  template: PrintTemplateDocument;
  record: string;
  sample: string;
  locale: Locale;
}

/** The preview a form asks for (app/admin/print/preview.ts `previewForm`); a malformed one is the browser's bug, not the admin's. */
export function previewInput(form: FormData): PreviewInput {
  let template: unknown;
  try {
    template = JSON.parse(String(form.get('template') ?? ''));
  } catch {
    throw new Response('Bad request: template is not JSON', { status: 400 });
  }
  if (typeof template !== 'object' || template === null || Array.isArray(template)) throw new Response('Bad request: template is no document', { status: 400 });
  return {
    template: template as PrintTemplateDocument,
    record: String(form.get('record') ?? ''),
    sample: String(form.get('sample') ?? ''),
    locale: LOCALES.find((l) => l === form.get('locale')) ?? 'zh-CN',
  };
}

/**
 * The HTML preview of a draft: a complete,
 * inert document — the page CSS the PDF gets, the page drawn as a sheet of its paper with the
 * header and footer in its margins, a label sheet filled with the record from its start
 * position — or the problems that stop it, each compile or render error with its line and
 * column. Never throws for bad admin input.
 *
 * @example const answer = await previewHtml(admin, previewInput(await request.formData())); answer.html // '<!doctype html>…'
 */
export async function previewHtml(admin: Admin, input: PreviewInput): Promise<PreviewAnswer> {
  const draft = await renderDraft(admin, input);
  if ('answer' in draft) return draft.answer;
  return { html: previewDocument(draft), page: pageSize(draft.setup), problems: [], compiles: true, record: draft.record, sources: draft.sources };
}

/**
 * The PDF preview of a posted draft through the real renderer, with its page count — what
 * printing the record gives (a label sheet filled as in the HTML preview) — or the problems that
 * stop it.
 */
export async function previewPdf(admin: Admin, input: PreviewInput, renderer: PdfRenderer): Promise<{ pdf: Buffer; pages: number } | { answer: PreviewAnswer }> {
  const draft = await renderDraft(admin, input);
  if ('answer' in draft) return draft;
  const { setup, grid, locale } = draft;
  const parts: BatchPart[] = grid
    ? labelParts(labelCells(draft.body, grid), setup, grid, { locale })
    : documentParts([{ body: draft.body, ...(draft.header ? { header: draft.header } : {}), ...(draft.footer ? { footer: draft.footer } : {}) }], setup, { locale });
  try {
    const pdf = await renderer.renderBatch(parts);
    const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
    return { pdf, pages };
  } catch (error) {
    if (!isFormaError(error)) throw error;
    return {
      answer: refused(draft.sources, t(admin.locale, 'apt_pdf_failed'), [{ code: error.code, message: error.text[admin.locale], path: '' }], { compiles: true, record: draft.record }),
    };
  }
}

/** Reads the posted draft and renders it with its data, or says why it cannot be. */
async function renderDraft(admin: Admin, { template, record: recordId, sample: sampleName, locale }: PreviewInput): Promise<RenderedDraft | { answer: PreviewAnswer }> {
  const sources = sourcesKey(template);
  const source = `printTemplate:${template.name}`;

  // The sources first: whether they compile is what the designer needs to know before anything is applied.
  let compiled: CompiledPrintTemplate | undefined;
  let compileError: FormaError | undefined;
  try {
    compiled = compiledPrintTemplate(template);
  } catch (error) {
    if (!(error instanceof FormaError)) throw error;
    compileError = error;
  }
  const compiles = compiled !== undefined;
  // The page-shaping parts must be valid too (names and labels may still be being typed).
  const shaping = checkChangeSet(admin.model, { upsert: [{ document: template }], remove: [] }).problems
    .filter((p) => !/^\/(name|label|source|header|footer)(\/|$)/.test(p.path));
  const setup = templatePageSetup(template);
  if (!shaping.length) shaping.push(...pageProblems(template).map((p) => ({ ...p, source })));
  if (!compiled || shaping.length) {
    const problems = [...(compileError?.problems ?? []).map((p) => ({ ...p, source })), ...shaping].map((p) => view(p, admin.locale));
    return { answer: refused(sources, compileError ? compileError.text[admin.locale] : t(admin.locale, 'apt_preview_unavailable'), problems, { compiles }) };
  }

  let data: PrintData;
  let record: PreviewAnswer['record'];
  try {
    if (recordId) {
      const reader = await printDataSource(admin.ctx, admin.session.actor, template, { locale, dataDir: getConfig().dataDir });
      const found = await getRecord(admin.ctx, admin.session.actor, template.entity, recordId);
      data = await reader.forRecord(found);
      record = { id: found.id, label: recordName(entityRuntime(admin.model, admin.workspace, template.entity).display?.name, found) };
    } else {
      const sample = sampleOf(sampleName, template.entity);
      if (!sample) return { answer: refused(sources, t(admin.locale, 'apt_preview_no_record'), [], { compiles }) };
      data = sample;
      record = { id: null, label: t(admin.locale, 'apt_sample_data') };
    }
  } catch (error) {
    if (isFormaError(error)) return { answer: refused(sources, error.text[admin.locale], error.problems.map((p) => view(p, admin.locale)), { compiles }) };
    // Printing would fail the same way (a stored picture gone from the disk…): said on the
    // preview, which still tells whether the sources compile, rather than failing the request.
    console.error('Reading the print data of a preview failed:', error);
    return { answer: refused(sources, t(admin.locale, 'apt_preview_error'), [], { compiles }) };
  }

  try {
    const render = (part?: (data: unknown, options: { locale: Locale }) => string) => part?.(data, { locale });
    const [body, header, footer] = [render(compiled.source)!, render(compiled.header), render(compiled.footer)];
    return {
      setup, locale, body, record, sources,
      ...(template.labels ? { grid: template.labels } : {}),
      ...(header ? { header } : {}), ...(footer ? { footer } : {}),
    };
  } catch (error) {
    if (!isFormaError(error)) throw error;
    return { answer: refused(sources, error.text[admin.locale], error.problems.map((p) => view({ ...p, source }, admin.locale)), { compiles, record }) };
  }
}

/** An answer that shows no page: why, and the problems; whether the sources compiled, when that was found out. */
function refused(
  sources: string, error: string, problems: TemplateProblemView[], { compiles, record }: { compiles?: boolean; record?: PreviewAnswer['record'] } = {},
): PreviewAnswer {
  return { error, problems, record: record ?? { id: null, label: '' }, sources, ...(compiles !== undefined ? { compiles } : {}) };
}

/** A problem in the admin's language, with the line and column of a template problem. */
function view(p: Problem & { line?: number; column?: number }, locale: Locale): TemplateProblemView {
  return {
    code: p.code, message: p.message[locale], path: p.path, ...(p.source ? { source: p.source } : {}),
    ...(p.line !== undefined ? { line: p.line, column: p.column ?? 1 } : {}),
  };
}

/** One label sheet of the same record, from the grid's start position to its last cell. */
function labelCells(body: string, grid: LabelGrid): string[] {
  return Array.from({ length: grid.rows * grid.columns - (grid.startPosition ?? 1) + 1 }, () => body);
}

/**
 * The HTML preview: the document the PDF is made of, shown on screen as one sheet of its paper
 * (the body continuous; page breaks are the PDF's), with Chromium's own header and footer
 * templates in its top and bottom margins and the policy that keeps it inert.
 */
function previewDocument(draft: RenderedDraft): string {
  const { setup, grid, locale } = draft;
  const css = screenCss(setup, grid !== undefined);
  let html: string;
  if (grid) {
    html = printDocument(labelSheets(labelCells(draft.body, grid), grid).join(''), setup, { locale, css: `${labelCss(setup, grid)}\n${css}` });
  } else {
    const { headerTemplate, footerTemplate } = pdfOptions(setup, { ...(draft.header ? { header: draft.header } : {}), ...(draft.footer ? { footer: draft.footer } : {}), locale });
    const margin = (className: string, content: string | undefined) => (content ? `<div class="${className}">${content}</div>` : '');
    html = printDocument(`${margin('forma-preview-header', headerTemplate)}${draft.body}${margin('forma-preview-footer', footerTemplate)}`, setup, { locale, css });
  }
  return html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${PREVIEW_POLICY}">`);
}

/**
 * The sheet of paper on screen: its size and margins in mm, a shadow on grey; label cells
 * outlined; links not followed (a click would load their address in the frame).
 */
function screenCss(setup: PageSetup, labels: boolean): string {
  const { width, height } = pageSize(setup);
  const m = setup.margins ?? DEFAULT_MARGINS;
  return `@media screen {
html { background: #e9ebee; padding: 16px 0; }
body { position: relative; box-sizing: border-box; width: ${width}mm; min-height: ${height}mm; margin: 0 auto; padding: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); }
.forma-preview-header, .forma-preview-footer { position: absolute; left: 0; right: 0; display: flex; align-items: center; overflow: hidden; }
.forma-preview-header { top: 0; height: ${m.top}mm; }
.forma-preview-footer { bottom: 0; height: ${m.bottom}mm; }
.pageNumber::after, .totalPages::after { content: "1"; }
a[href] { pointer-events: none; }
${labels ? '.forma-label { outline: 1px dashed #b8c0cc; outline-offset: -1px; }' : ''}
}`;
}
