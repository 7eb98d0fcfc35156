import type { PDFOptions } from 'puppeteer-core';
import { FormaError } from '../errors.ts';
import type { Locale } from '../i18n/text.ts';
import { PRINT_FONT_FAMILY } from './fonts.ts';

/** Paper sizes a print template may name (engine/metadata/schemas/printTemplate.schema.json). */
export type PaperName = 'A4' | 'A5' | 'Letter' | 'DL' | 'C5' | 'C6' | '#10';

/** A size in millimetres. */
export interface PaperSize {
  width: number;
  height: number;
}

/** Named sizes in millimetres, as the schema lists them: envelopes are given lying down (DL 220 wide, 110 high). */
export const PAPER_SIZES: Readonly<Record<PaperName, PaperSize>> = {
  A4: { width: 210, height: 297 },
  A5: { width: 148, height: 210 },
  Letter: { width: 215.9, height: 279.4 },
  DL: { width: 220, height: 110 },
  C5: { width: 229, height: 162 },
  C6: { width: 162, height: 114 },
  '#10': { width: 241, height: 105 },
};

/** Page margins in millimetres. */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Margins of a template that names none. */
export const DEFAULT_MARGINS: Readonly<Margins> = { top: 10, right: 10, bottom: 10, left: 10 };

/** The page of a print template: the printTemplate document's `paper`, `orientation`, `margins` and `pageNumbers` as they are. */
export interface PageSetup {
  paper: PaperName | PaperSize;
  /** `landscape` turns the paper a quarter: its width and height swap. Default `portrait` (the size as listed). */
  orientation?: 'portrait' | 'landscape';
  margins?: Margins;
  /** "第 1 页 / 共 3 页" (zh-CN) or "Page 1 of 3" (en) at the bottom of every page. */
  pageNumbers?: boolean;
}

/** A sheet of labels: the printTemplate document's `labels`. */
export interface LabelGrid {
  rows: number;
  columns: number;
  /** Horizontal and vertical gaps between labels, mm. Default 0. */
  gapX?: number;
  gapY?: number;
  /** 1-based cell of the first sheet the first label goes in, to reuse a partly used sheet. Default 1. */
  startPosition?: number;
}

/** The size of the page as printed, in millimetres: the named or custom size, turned for `landscape`. */
export function pageSize(setup: PageSetup): PaperSize {
  const size = typeof setup.paper === 'string' ? PAPER_SIZES[setup.paper] : setup.paper;
  return setup.orientation === 'landscape' ? { width: size.height, height: size.width } : { ...size };
}

/**
 * The page CSS of a printed document: `@page` with the exact size and margins (Chromium takes
 * them with `preferCSSPageSize`), the Chinese font list, table rows that do not split across
 * pages and table headers that repeat on each page.
 */
export function pageCss(setup: PageSetup): string {
  const { width, height } = pageSize(setup);
  const m = setup.margins ?? DEFAULT_MARGINS;
  return `@page { size: ${width}mm ${height}mm; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
html, body { margin: 0; padding: 0; }
body { font-family: ${PRINT_FONT_FAMILY}; font-size: 10.5pt; line-height: 1.5; color: #000; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
thead { display: table-header-group; }
tr { break-inside: avoid; }`;
}

/** What is printed in the page margins: rendered header and footer HTML, and the language of page numbers. */
export interface PageDecorations {
  /** HTML at the top of every page (the template's rendered `header`). */
  header?: string;
  /** HTML at the bottom of every page (the template's rendered `footer`), above the page numbers. */
  footer?: string;
  /** Language of the page numbers. Default 'zh-CN'. */
  locale?: Locale;
}

const PAGE_NUMBERS: Record<Locale, string> = {
  'zh-CN': '第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页',
  en: 'Page <span class="pageNumber"></span> of <span class="totalPages"></span>',
};

/**
 * The puppeteer `page.pdf()` options of a page setup: the CSS page size wins
 * (`preferCSSPageSize`), backgrounds print, and the header, footer and page numbers go into the
 * page margins through Chromium's header and footer templates (Chromium fills the `pageNumber`
 * and `totalPages` spans itself; no script runs). Those templates inherit nothing from the page:
 * they get an explicit font size and the Chinese font list here, and must be tall enough to fit
 * the margins they are drawn in.
 */
export function pdfOptions(setup: PageSetup, decorations: PageDecorations = {}): PDFOptions {
  const { width, height } = pageSize(setup);
  const m = setup.margins ?? DEFAULT_MARGINS;
  const footer = [
    decorations.footer ?? '',
    setup.pageNumbers ? `<div style="text-align: center">${PAGE_NUMBERS[decorations.locale ?? 'zh-CN']}</div>` : '',
  ].join('');
  const decorated = Boolean(decorations.header || footer);
  const box = (html: string) =>
    `<div style="width: 100%; box-sizing: border-box; padding: 0 ${m.right}mm 0 ${m.left}mm; font-family: ${PRINT_FONT_FAMILY}; font-size: 9pt; color: #000; -webkit-print-color-adjust: exact;">${html}</div>`;
  return {
    preferCSSPageSize: true,
    printBackground: true,
    width: `${width}mm`,
    height: `${height}mm`,
    margin: { top: `${m.top}mm`, right: `${m.right}mm`, bottom: `${m.bottom}mm`, left: `${m.left}mm` },
    displayHeaderFooter: decorated,
    // Both templates, always: one left out would be Chromium's default (the date, the title, the URL).
    ...(decorated ? { headerTemplate: box(decorations.header ?? ''), footerTemplate: box(footer) } : {}),
  };
}

/** Options of `printDocument`. */
export interface DocumentOptions {
  /** The `lang` of the document (line breaking, quotes). Default 'zh-CN'. */
  locale?: Locale;
  /** More CSS after the page CSS (e.g. `labelCss`). */
  css?: string;
}

/**
 * A complete HTML document to print: the page CSS of `setup`, then `body` (a rendered template:
 * HTML with its own `<style>` elements). Give it with `pdfOptions(setup)` to the renderer.
 */
export function printDocument(body: string, setup: PageSetup, options: DocumentOptions = {}): string {
  return `<!doctype html><html lang="${options.locale ?? 'zh-CN'}"><head><meta charset="utf-8"><style>
${pageCss(setup)}
${options.css ?? ''}
</style></head><body>${body}</body></html>`;
}

/**
 * The CSS of label sheets (`labelSheets`): each sheet exactly fills the page inside the margins
 * as a grid of rows × columns equal cells with the gaps between them, then a page break; a label
 * too large for its cell is cut at the cell's edge rather than moving the rest.
 */
export function labelCss(setup: PageSetup, grid: LabelGrid): string {
  const { height } = pageSize(setup);
  const m = setup.margins ?? DEFAULT_MARGINS;
  return `.forma-sheet { display: grid; grid-template-columns: repeat(${grid.columns}, minmax(0, 1fr)); grid-template-rows: repeat(${grid.rows}, minmax(0, 1fr)); column-gap: ${grid.gapX ?? 0}mm; row-gap: ${grid.gapY ?? 0}mm; height: ${height - m.top - m.bottom}mm; overflow: hidden; break-after: page; }
.forma-sheet:last-child { break-after: auto; }
.forma-label { overflow: hidden; box-sizing: border-box; }`;
}

/**
 * Lays labels out on sheets: `cells` (one rendered label each, in order) fill rows × columns
 * cells per sheet, left to right then top to bottom, the first one in cell `startPosition` of
 * the first sheet (the cells before it stay blank). Returns the HTML of each sheet, to be
 * printed with `labelCss` — or a few hundred at a time in batches (engine/print/batch.ts).
 * `print_labels_start_invalid` when `startPosition` is past the cells of a sheet.
 *
 * @example labelSheets(addresses, { rows: 8, columns: 3, startPosition: 5 }) // 50 labels → 3 sheets
 */
export function labelSheets(cells: readonly string[], grid: LabelGrid): string[] {
  const perSheet = grid.rows * grid.columns;
  const start = grid.startPosition ?? 1;
  if (start > perSheet) throw new FormaError('print_labels_start_invalid', { start, cells: perSheet });
  if (cells.length === 0) return [];
  const slots = [...Array.from({ length: start - 1 }, () => ''), ...cells];
  const sheets: string[] = [];
  for (let from = 0; from < slots.length; from += perSheet) {
    const labels = slots.slice(from, from + perSheet).map((cell) => `<div class="forma-label">${cell}</div>`);
    sheets.push(`<div class="forma-sheet">${labels.join('')}</div>`);
  }
  return sheets;
}
