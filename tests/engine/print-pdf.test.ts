// Printing to PDF in the Debian Chromium, checked with poppler: paper sizes, Chinese text and
// its embedded font, tables over several pages, page numbers, label sheets, and pages that can
// neither run a script nor reach any address. Pictures of a quote and a label sheet are written
// to tests/artifacts/print-*.png.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJK_FONT } from '../../engine/print/fonts.ts';
import { compileTemplate } from '../../engine/print/handlebars.ts';
import { labelCss, labelSheets, pdfOptions, printDocument, type LabelGrid, type PageSetup } from '../../engine/print/paper.ts';
import { PdfRenderer } from '../../engine/print/renderer.ts';
import { pdfFonts, pdfInfo, pdfScreenshot, pdfText } from '../support/pdf-tools.ts';

let renderer: PdfRenderer;
beforeAll(() => {
  renderer = new PdfRenderer();
});
afterAll(() => renderer.close());

/** A page size in points, to within 1 pt. */
function expectSize(pdf: Uint8Array, width: number, height: number) {
  const info = pdfInfo(pdf);
  expect(Math.abs(info.width - width), `width ${info.width}`).toBeLessThanOrEqual(1);
  expect(Math.abs(info.height - height), `height ${info.height}`).toBeLessThanOrEqual(1);
}

/** Renders a template body on a page setup, as the print service will. */
function print(body: string, setup: PageSetup, decorations: Parameters<typeof pdfOptions>[1] = {}) {
  return renderer.render(printDocument(body, setup), pdfOptions(setup, decorations));
}

const quoteSource = `
<style>
  h1 { text-align: center; font-size: 18pt; margin: 0 0 4mm; }
  .lines { width: 100%; border-collapse: collapse; }
  .lines th, .lines td { border: 1px solid #333; padding: 1.5mm 2mm; }
  .lines th { background: #eee; }
  .num { text-align: right; }
  .codes { display: flex; justify-content: space-between; align-items: end; margin-top: 6mm; }
</style>
<h1>{{company.name}} 报价单</h1>
<p>客户：{{customer.name}}　报价单号：{{number}}　日期：{{date quoted_on}}</p>
<table class="lines">
  <thead><tr><th>序号</th><th>产品名称</th><th>数量</th><th>单价</th><th>金额</th></tr></thead>
  <tbody>
    {{#each lines}}<tr><td>{{index1 @index}}</td><td>{{product}}</td><td class="num">{{number quantity}}</td><td class="num">{{money price}}</td><td class="num">{{money amount}}</td></tr>
    {{/each}}
  </tbody>
</table>
<p><b>合计：{{money total}}</b>　大写：{{capital total prefix="人民币"}}</p>
<div class="codes">{{barcode number}}{{qrcode url size=22}}</div>`;

const products = ['企业版软件许可', '服务器（双路）', '实施服务', '年度维护', '培训（5 人天）'];
function quoteData(lineCount: number) {
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    product: `${products[i % products.length]} 型号 FX-${i + 1}`, quantity: 2, price: '5000.00', amount: '10000.00',
  }));
  return {
    company: { name: '新时代网络公司' }, customer: { name: '上海华东贸易有限公司' }, number: 'QT202611-0042',
    quoted_on: '2026-11-23', url: 'https://forma.example/q/QT202611-0042', lines, total: String(10000 * lineCount),
  };
}
const quote = compileTemplate(quoteSource);

describe('documents', () => {
  it('prints a quote on A4 with its Chinese text in the embedded CJK font', async () => {
    const pdf = await print(quote(quoteData(10)), { paper: 'A4' });
    expect(pdfInfo(pdf).pages).toBe(1);
    expectSize(pdf, 595.28, 841.89);
    const text = pdfText(pdf);
    expect(text).toContain('新时代网络公司 报价单');
    expect(text).toContain('人民币壹拾万元整');
    expect(text).toContain('¥100,000.00');
    expect(text).toContain('报价单号：QT202611-0042');
    expect(text).toContain('2026年11月23日');
    // The Chinese glyphs come from Micro Hei, embedded: never boxes from a missing font.
    expect(pdfFonts(pdf)).toMatch(new RegExp(`\\+${CJK_FONT.pdfName}\\s+CID TrueType\\s+Identity-H\\s+yes`));
    pdfScreenshot(pdf, 'print-quote');
  });

  it('gives envelopes and landscape pages their size', async () => {
    // DL: 220 × 110 mm.
    expectSize(await print('<p>上海市徐汇区漕溪北路 88 号</p>', { paper: 'DL', margins: { top: 20, right: 20, bottom: 20, left: 110 } }), 623.6, 311.8);
    expectSize(await print('<p>横向</p>', { paper: 'A4', orientation: 'landscape' }), 841.89, 595.28);
    expectSize(await print('<p>自定义</p>', { paper: { width: 100, height: 150 } }), 283.46, 425.2);
  });

  it('continues a long table on the next pages with its header row, numbered "第 n 页 / 共 N 页"', async () => {
    const setup: PageSetup = { paper: 'A4', margins: { top: 25, right: 12, bottom: 20, left: 12 }, pageNumbers: true };
    const pdf = await print(quote(quoteData(60)), setup, { header: '<div style="text-align: right">新时代网络公司</div>' });
    const { pages } = pdfInfo(pdf);
    expect(pages).toBeGreaterThanOrEqual(2);
    const second = pdfText(pdf, { first: 2, last: 2 });
    expect(second).toMatch(/序号\s+产品名称\s+数量\s+单价\s+金额/);
    expect(second).toContain('新时代网络公司');
    // pdftotext drops the spaces of small text.
    expect(second.replace(/\s+/g, '')).toContain(`第2页/共${pages}页`);
    const english = await print('<p>Quote</p>', { paper: 'A5', pageNumbers: true }, { locale: 'en' });
    expect(pdfText(english)).toMatch(/Page\s*1\s*of\s*1/);
  });
});

describe('label sheets', () => {
  const addresses = Array.from({ length: 50 }, (_, i) => `<b>收件人 ${i + 1}</b><br>上海市浦东新区世纪大道 ${100 + i} 号<br>邮编 200120`);
  const grid: LabelGrid = { rows: 8, columns: 3, gapX: 2.5, gapY: 0 };
  const setup: PageSetup = { paper: 'A4', margins: { top: 8.5, right: 7, bottom: 8.5, left: 7 } };
  const printLabels = (cells: string[], g: LabelGrid) =>
    renderer.render(printDocument(labelSheets(cells, g).join(''), setup, { css: labelCss(setup, g) }), pdfOptions(setup));

  it('lays 50 labels in a 3 × 8 grid on 3 pages', async () => {
    const pdf = await printLabels(addresses, grid);
    expect(pdfInfo(pdf).pages).toBe(3);
    expect(pdfText(pdf, { first: 3, last: 3 })).toMatch(/收件人 49[\s\S]*收件人 50/);
    expect(pdfText(pdf, { first: 1, last: 1 })).toMatch(/收件人 1\s+收件人 2\s+收件人 3/);
    pdfScreenshot(pdf, 'print-labels');
  });

  it('starts at startPosition, leaving the cells before it blank', async () => {
    const sheets = labelSheets(['A', 'B'], { ...grid, startPosition: 5 });
    expect(sheets).toHaveLength(1);
    expect(sheets[0]!.match(/<div class="forma-label"><\/div>/g)).toHaveLength(4);
    expect(sheets[0]).toContain('<div class="forma-label"></div><div class="forma-label">A</div><div class="forma-label">B</div>');
    // 24 cells: starting in the last, the second label goes on a second sheet.
    expect(pdfInfo(await printLabels(['甲', '乙'], { ...grid, startPosition: 24 })).pages).toBe(2);
    expect(pdfInfo(await printLabels(['甲', '乙'], { ...grid, startPosition: 23 })).pages).toBe(1);
    const firstRowSkipped = pdfText(await printLabels(['甲'], { ...grid, startPosition: 4 }));
    expect(firstRowSkipped.trim()).toBe('甲');
    expect(() => labelSheets(['A'], { ...grid, startPosition: 25 })).toThrow(/beyond the 24 labels/);
    expect(labelSheets([], grid)).toEqual([]);
  });
});

describe('an inert page', () => {
  let server: http.Server;
  const requests: string[] = [];
  let connections = 0;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      response.end('body { color: red }');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('runs no script', async () => {
    const template = compileTemplate('<p id="t">原来的文字 {{name}}</p><script>document.getElementById("t").textContent = "SCRIPT RAN";</script>');
    const text = pdfText(await print(template({ name: 'ORIGINAL' }), { paper: 'A5' }));
    expect(text).toContain('原来的文字 ORIGINAL');
    expect(text).not.toContain('SCRIPT RAN');
  });

  it('reaches no address and no file, and still prints', async () => {
    const u = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const template = compileTemplate(`
      <link rel="stylesheet" href="${u}/a.css"><link rel="prefetch" href="${u}/prefetch"><link rel="preconnect" href="${u}/">
      <meta http-equiv="refresh" content="0; url=${u}/refresh">
      <style>@import url("${u}/import.css"); @font-face { font-family: Remote; src: url(${u}/font.woff2); }
        body { background: url(${u}/background.png); } .remote { font-family: Remote; }</style>
      <p class="remote">{{company}} 仍然打印</p>
      <img src="${u}/x.png"><iframe src="file:///etc/passwd"></iframe><iframe src="${u}/frame"></iframe>
      <object data="${u}/object"></object><svg><image href="${u}/svg.png"/></svg>
      <img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">`);
    const pdf = await print(template({ company: '新时代网络公司' }), { paper: 'A5' }, { header: `<img src="${u}/header.png">` });
    // Long enough for a late request (the refresh, the prefetch) to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(requests).toEqual([]);
    expect(connections).toBe(0);
    const text = pdfText(pdf);
    expect(text).toContain('新时代网络公司 仍然打印');
    expect(text).not.toMatch(/root:|Not Found|ERR_/);
  });
});
