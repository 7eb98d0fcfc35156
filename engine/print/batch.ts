import { PDFDocument } from 'pdf-lib';
import type { PDFOptions } from 'puppeteer-core';
import type { Locale } from '../i18n/text.ts';
import { labelCss, labelSheets, pdfOptions, printDocument, type LabelGrid, type PageSetup } from './paper.ts';

/** One part of a batch: a complete HTML document, its pdf options, and how many documents or labels it holds (for progress). */
export interface BatchPart {
  html: string;
  pdf: PDFOptions;
  count: number;
}

/** Called as batch parts finish: `done` of `total` documents or labels are rendered. */
export type BatchProgress = (done: number, total: number) => void;

/** One printed document of a batch: its rendered template body, and its own rendered header and footer if the template has them. */
export interface PrintedDocument {
  body: string;
  header?: string;
  footer?: string;
}

/** Documents per Chromium `page.pdf()` call when they share everything but their body. */
const DOCUMENTS_PER_PART = 50;
/** Labels per Chromium `page.pdf()` call: a few hundred keep each call around a second or two. */
const LABELS_PER_PART = 300;

/**
 * Cuts many documents (1,000 quotes…) into batch parts for `PdfRenderer.renderBatch`: up to
 * `perPart` documents a part, shared out evenly, each document starting on a new page.
 * Documents with their own header or footer, or with page numbers, go one per part: Chromium's
 * header, footer and "page n of N" belong to one `page.pdf()` call, and each document numbers
 * its own pages.
 */
export function documentParts(
  documents: readonly PrintedDocument[], setup: PageSetup,
  { locale, perPart = DOCUMENTS_PER_PART }: { locale?: Locale; perPart?: number } = {},
): BatchPart[] {
  const own = setup.pageNumbers || documents.some((d) => d.header || d.footer);
  const size = own ? 1 : evenly(documents.length, Math.max(1, perPart));
  const css = '.forma-document + .forma-document { break-before: page; }';
  const parts: BatchPart[] = [];
  for (let from = 0; from < documents.length; from += size) {
    const chunk = documents.slice(from, from + size);
    const body = chunk.map((d) => `<section class="forma-document">${d.body}</section>`).join('');
    const { header, footer } = chunk[0]!;
    parts.push({
      html: printDocument(body, setup, { css, ...(locale ? { locale } : {}) }),
      pdf: pdfOptions(setup, { ...(header ? { header } : {}), ...(footer ? { footer } : {}), ...(locale ? { locale } : {}) }),
      count: chunk.length,
    });
  }
  return parts;
}

/**
 * Cuts a label job (10,000 address labels…) into batch parts for `PdfRenderer.renderBatch`:
 * whole sheets of `labelSheets`, at most about `labelsPerPart` labels a part, shared out evenly
 * (one part when the sheets carry page numbers, which count across one `page.pdf()` call).
 * `print_labels_start_invalid` when the grid's `startPosition` is past the cells of a sheet.
 */
export function labelParts(
  cells: readonly string[], setup: PageSetup, grid: LabelGrid,
  { locale, labelsPerPart = LABELS_PER_PART }: { locale?: Locale; labelsPerPart?: number } = {},
): BatchPart[] {
  const sheets = labelSheets(cells, grid);
  const perSheet = grid.rows * grid.columns;
  const blanks = (grid.startPosition ?? 1) - 1;
  const sheetsPerPart = setup.pageNumbers ? sheets.length : evenly(sheets.length, Math.max(1, Math.round(labelsPerPart / perSheet)));
  const css = labelCss(setup, grid);
  const pdf = pdfOptions(setup, locale ? { locale } : {});
  // Labels printed on the sheets before sheet `s`.
  const labelsBefore = (s: number) => Math.min(cells.length, Math.max(0, s * perSheet - blanks));
  const parts: BatchPart[] = [];
  for (let from = 0; from < sheets.length; from += sheetsPerPart) {
    const to = Math.min(sheets.length, from + sheetsPerPart);
    parts.push({
      html: printDocument(sheets.slice(from, to).join(''), setup, { css, ...(locale ? { locale } : {}) }),
      pdf,
      count: labelsBefore(to) - labelsBefore(from),
    });
  }
  return parts;
}

/** The size of parts of at most `most` that share `count` out evenly (1,000 by at most 300: 250, not 300 + 300 + 300 + 100). */
function evenly(count: number, most: number): number {
  const parts = Math.max(1, Math.ceil(count / most));
  return Math.max(1, Math.ceil(count / parts));
}

/**
 * Joins PDFs into one, pages in order (pdf-lib: each part's fonts and images are copied once).
 * One PDF comes back as it is.
 */
export async function mergePdfs(pdfs: readonly Uint8Array[]): Promise<Buffer> {
  if (pdfs.length === 1) return Buffer.from(pdfs[0]!);
  const merged = await PDFDocument.create();
  for (const bytes of pdfs) {
    const part = await PDFDocument.load(bytes);
    for (const page of await merged.copyPages(part, part.getPageIndices())) merged.addPage(page);
  }
  return Buffer.from(await merged.save());
}
