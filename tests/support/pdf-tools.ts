// Reading generated PDFs in tests with poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm:
// Debian `poppler-utils`, installed by `npm test` — tests/support/system-packages.mjs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Writes the PDF to a scratch file for `use`, removed afterwards. */
function withFile<T>(pdf: Uint8Array, use: (file: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forma-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a poppler tool on the PDF and returns its output. */
function poppler(tool: string, pdf: Uint8Array, args: string[] = []): string {
  return withFile(pdf, (file) => execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' }));
}

/** Page count and the first page's size in points, from `pdfinfo`. */
export function pdfInfo(pdf: Uint8Array): { pages: number; width: number; height: number } {
  const info = poppler('pdfinfo', pdf);
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]), width: Number(size?.[1]), height: Number(size?.[2]) };
}

/** The text of the PDF, or of pages `first`..`last` (from 1), from `pdftotext -layout`. */
export function pdfText(pdf: Uint8Array, pages: { first?: number; last?: number } = {}): string {
  const range = [...(pages.first ? ['-f', String(pages.first)] : []), ...(pages.last ? ['-l', String(pages.last)] : [])];
  return poppler('pdftotext', pdf, ['-layout', ...range]);
}

/** The `pdffonts` table: one line per font, with its name, type and whether it is embedded. */
export function pdfFonts(pdf: Uint8Array): string {
  return poppler('pdffonts', pdf);
}

/**
 * Writes the first page of the PDF as tests/artifacts/<name>.png (`pdftoppm -png -r 60`), to
 * look at; returns the path.
 */
export function pdfScreenshot(pdf: Uint8Array, name: string, resolution = 60): string {
  mkdirSync(artifacts, { recursive: true });
  withFile(pdf, (file) => execFileSync('pdftoppm', ['-png', '-r', String(resolution), '-f', '1', '-l', '1', '-singlefile', file, path.join(artifacts, name)]));
  return path.join(artifacts, `${name}.png`);
}
