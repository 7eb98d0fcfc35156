// The PDF renderer (engine/print/renderer.ts) in the Debian Chromium: its pool and queue, its
// timeout, recovery from a crashed browser, the setup check, and batches joined into one PDF
// (engine/print/batch.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentParts, labelParts } from '../../engine/print/batch.ts';
import { checkPrintSetup } from '../../engine/print/fonts.ts';
import { pdfOptions, printDocument, type PageSetup } from '../../engine/print/paper.ts';
import { PdfRenderer } from '../../engine/print/renderer.ts';
import { pdfInfo, pdfText } from '../support/pdf-tools.ts';
import { refusal } from '../support/refusal.ts';

const a5: PageSetup = { paper: 'A5' };
const page = (text: string) => printDocument(`<h1>${text}</h1>`, a5);
/** A table of 3,000 rows: about a hundred pages, a second or more to print. */
const longTable = Array.from({ length: 3000 }, (_, i) => `<tr><td>${i}</td><td>第 ${i} 行</td></tr>`).join('');

let renderer: PdfRenderer;
beforeAll(() => {
  renderer = new PdfRenderer({ poolSize: 2 });
});
afterAll(() => renderer.close());

describe('PdfRenderer', () => {
  it('renders two at a time and queues the rest', async () => {
    const renders = Array.from({ length: 6 }, (_, i) => renderer.render(page(`文档 ${i + 1}`), pdfOptions(a5)));
    expect(renderer.load).toEqual({ rendering: 2, waiting: 4 });
    const pdfs = await Promise.all(renders);
    pdfs.forEach((pdf, i) => expect(pdfText(pdf)).toContain(`文档 ${i + 1}`));
    expect(renderer.load).toEqual({ rendering: 0, waiting: 0 });
  });

  it('gives up on a render past its timeout, and goes on rendering', async () => {
    const error = await refusal(renderer.render(printDocument(`<table>${longTable}</table>`, a5), pdfOptions(a5), { timeoutMs: 20 }));
    expect(error.code).toBe('print_timeout');
    expect(error.text['zh-CN']).toBe('生成 PDF 超时（超过 0.02 秒）');
    expect(pdfText(await renderer.render(page('超时之后'), pdfOptions(a5)))).toContain('超时之后');
  });

  it('launches Chromium again when it was killed', async () => {
    await renderer.render(page('之前'), pdfOptions(a5));
    const before = await renderer.processId();
    expect(before).toBeGreaterThan(0);
    process.kill(before!, 'SIGKILL');
    // Killed while idle: the next render gets a new browser.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pdfText(await renderer.render(page('之后'), pdfOptions(a5)))).toContain('之后');
    const after = await renderer.processId();
    expect(after).not.toBe(before);
    // Killed during a render (a long table takes a second): it is tried again in a new browser.
    const during = renderer.render(printDocument(`<h1>渲染中</h1><table>${longTable}</table>`, a5), pdfOptions(a5));
    setTimeout(() => process.kill(after!, 'SIGKILL'), 150);
    expect(pdfText(await during, { first: 1, last: 1 })).toContain('渲染中');
    const third = await renderer.processId();
    expect(third).toBeGreaterThan(0);
    expect(third).not.toBe(after);
  });

  it('names the apt-get command when Chromium or the Chinese font is missing', async () => {
    expect(() => checkPrintSetup()).not.toThrow();
    const error = await refusal(Promise.resolve().then(() => checkPrintSetup([
      { package: 'chromium', file: '/usr/bin/chromium' }, { package: 'fonts-wqy-microhei', file: '/nonexistent/wqy-microhei.ttc' },
    ])));
    expect(error.code).toBe('print_setup_missing');
    expect(error.text.en).toBe('Printing needs system packages that are not installed: fonts-wqy-microhei (/nonexistent/wqy-microhei.ttc). '
      + 'As root, run: apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei');
    const noBrowser = new PdfRenderer({ executablePath: '/nonexistent/chromium' });
    const refused = await refusal(noBrowser.render(page('x')));
    expect(refused.code).toBe('print_setup_missing');
    expect(refused.text['zh-CN']).toContain('apt-get install -y --no-install-recommends chromium');
    await noBrowser.close();
  });

  it('refuses renders once closed', async () => {
    const closing = new PdfRenderer();
    await closing.render(page('x'));
    await closing.close();
    expect((await refusal(closing.render(page('y')))).code).toBe('print_renderer_closed');
  });
});

describe('batches', () => {
  it('prints documents in parts and joins them in order, with progress', async () => {
    const documents = Array.from({ length: 5 }, (_, i) => ({ body: `<h1>报价单 ${i + 1}</h1>` }));
    const parts = documentParts(documents, a5, { perPart: 2 });
    expect(parts.map((p) => p.count)).toEqual([2, 2, 1]);
    const progress: [number, number][] = [];
    const pdf = await renderer.renderBatch(parts, { onProgress: (done, total) => progress.push([done, total]) });
    expect(pdfInfo(pdf).pages).toBe(5);
    documents.forEach((_, i) => expect(pdfText(pdf, { first: i + 1, last: i + 1 })).toContain(`报价单 ${i + 1}`));
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual([5, 5]);
  });

  it('numbers the pages of each document on its own', async () => {
    const long = `<h1>对账单</h1>${'<p>明细</p>'.repeat(60)}`;
    const setup: PageSetup = { paper: 'A5', pageNumbers: true, margins: { top: 10, right: 10, bottom: 15, left: 10 } };
    const parts = documentParts([{ body: long }, { body: long }], setup);
    expect(parts).toHaveLength(2);
    const pdf = await renderer.renderBatch(parts);
    const pages = pdfInfo(pdf).pages;
    expect(pages % 2).toBe(0);
    const last = pdfText(pdf, { first: pages, last: pages }).replace(/\s+/g, '');
    expect(last).toContain(`第${pages / 2}页/共${pages / 2}页`);
  });

  it('prints 10,000 labels into one PDF', async () => {
    const setup: PageSetup = { paper: 'A4', margins: { top: 8, right: 7, bottom: 8, left: 7 } };
    const grid = { rows: 8, columns: 3, startPosition: 3 };
    const cells = Array.from({ length: 10_000 }, (_, i) => `<b>客户 ${i + 1}</b><br>上海市浦东新区世纪大道 ${i + 1} 号`);
    const parts = labelParts(cells, setup, grid);
    expect(parts.reduce((sum, p) => sum + p.count, 0)).toBe(10_000);
    let last: [number, number] = [0, 0];
    const pdf = await renderer.renderBatch(parts, { onProgress: (done, total) => { last = [done, total]; } });
    expect(last).toEqual([10_000, 10_000]);
    // Two blank cells, then 10,000 labels, 24 a sheet.
    const sheets = Math.ceil(10_002 / 24);
    expect(pdfInfo(pdf).pages).toBe(sheets);
    expect(pdfText(pdf, { first: sheets, last: sheets })).toContain('客户 10000');
  });
});
