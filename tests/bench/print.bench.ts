// `npm run bench:print`: the print engine (engine/print/) against raw puppeteer-core in the same
// run, on the Debian Chromium with the same flags:
//   - a quote (Chinese company header, a 10-line bordered table, totals, the capital amount, a
//     bar code) through the whole path — compileTemplate, printDocument, PdfRenderer.render —
//     one at a time (p50/p95 per PDF) interleaved with `page.setContent` + `page.pdf` of the same
//     HTML on one plain page: the ratio is the engine's cost (pool, inert page, template);
//   - documents/s with the default pool (2 pages) vs raw on 2 pages, in interleaved rounds;
//   - 1,000 DL envelope labels into one PDF (labelParts + renderBatch), and 10,000 address labels
//     on A4 sheets of 3 × 8.
// Prints figures; asserts nothing. Results: docs/benchmarks.md (bench:print).
// Env: BENCH_ITERATIONS (default 50), BENCH_DOCUMENTS (default 20 a round, 5 rounds, for documents/s).
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PDFDocument } from 'pdf-lib';
import { launch, type Page } from 'puppeteer-core';
import { labelParts } from '../../engine/print/batch.ts';
import { CHROMIUM_PATH } from '../../engine/print/fonts.ts';
import { compileTemplate } from '../../engine/print/handlebars.ts';
import { pdfOptions, printDocument, type PageSetup } from '../../engine/print/paper.ts';
import { CHROMIUM_ARGS, PdfRenderer } from '../../engine/print/renderer.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 50);
const DOCUMENTS = Number(process.env.BENCH_DOCUMENTS ?? 20);
const ROUNDS = 5;

const quoteSource = `
<style>
  .head { display: flex; justify-content: space-between; border-bottom: 2px solid #000; padding-bottom: 2mm; }
  .head h1 { font-size: 16pt; margin: 0; }
  h2 { text-align: center; font-size: 18pt; letter-spacing: 4pt; margin: 5mm 0; }
  table { width: 100%; border-collapse: collapse; }
  th, td { border: 1px solid #333; padding: 1.5mm 2mm; }
  th { background: #eee; }
  .num { text-align: right; }
  .totals td { font-weight: bold; }
</style>
<div class="head"><div><h1>{{company.name}}</h1>{{company.address}}　电话：{{company.phone}}</div>{{barcode number}}</div>
<h2>报 价 单</h2>
<p>客户：{{customer.name}}　联系人：{{customer.contact}}　报价单号：{{number}}　日期：{{date quoted_on}}</p>
<table>
  <thead><tr><th>序号</th><th>产品名称</th><th>规格型号</th><th>数量</th><th>单价</th><th>折扣</th><th>金额</th></tr></thead>
  <tbody>
  {{#each lines}}<tr><td>{{index1 @index}}</td><td>{{product}}</td><td>{{model}}</td><td class="num">{{number quantity}}</td><td class="num">{{money price}}</td><td class="num">{{percent discount}}</td><td class="num">{{money amount}}</td></tr>
  {{/each}}
  </tbody>
  <tfoot class="totals"><tr><td colspan="6">合计（大写：{{capital total prefix="人民币"}}）</td><td class="num">{{money total}}</td></tr></tfoot>
</table>
<p>备注：报价有效期三十天，含税（增值税 13%），交货期为合同签订后十五个工作日。</p>
<p style="margin-top: 12mm">供方（盖章）：{{company.name}}　　　　需方（盖章）：{{customer.name}}</p>`;

const products = ['企业版软件许可', '服务器（双路）', '实施服务', '年度维护', '培训（5 人天）', '交换机', '防火墙', '存储阵列', '不间断电源', '机柜'];
const quoteData = {
  company: { name: '新时代网络公司', address: '上海市徐汇区漕溪北路 88 号', phone: '021-6888 1234' },
  customer: { name: '上海华东贸易有限公司', contact: '王经理' },
  number: 'QT202611-0042', quoted_on: '2026-11-23',
  lines: products.map((product, i) => ({
    product, model: `FX-${100 + i}`, quantity: i + 1, price: '12800.00', discount: '5', amount: ((i + 1) * 12160).toFixed(2),
  })),
  total: String(products.reduce((sum, _, i) => sum + (i + 1) * 12160, 0)),
};

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);

console.log(`bench:print — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${ITERATIONS} iterations`);

const a4: PageSetup = { paper: 'A4', margins: { top: 15, right: 15, bottom: 15, left: 15 } };
const template = compileTemplate(quoteSource);
const html = printDocument(template(quoteData), a4);
const options = pdfOptions(a4);
const renderQuote = () => renderer.render(printDocument(template(quoteData), a4), options);

const renderer = new PdfRenderer();
const raw = await launch({ executablePath: CHROMIUM_PATH, headless: true, pipe: true, args: [...CHROMIUM_ARGS] });
const rawPages = [await raw.newPage(), await raw.newPage()];
const rawRender = async (page: Page) => {
  await page.setContent(html, { waitUntil: 'load' });
  return page.pdf(options);
};

try {
  for (let i = 0; i < 5; i++) {
    await renderQuote();
    await rawRender(rawPages[0]!);
  }
  // Interleaved so both see the same machine load.
  const engine: number[] = [], baseline: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let started = performance.now();
    await renderQuote();
    engine.push(performance.now() - started);
    started = performance.now();
    await rawRender(rawPages[0]!);
    baseline.push(performance.now() - started);
  }
  console.log('\nquote, A4, one at a time (template + page + PDF)');
  console.log(`  engine p50 ${ms(percentile(engine, 0.5))} p95 ${ms(percentile(engine, 0.95))}   raw puppeteer p50 ${ms(percentile(baseline, 0.5))} p95 ${ms(percentile(baseline, 0.95))}   ratio p50 ${(percentile(engine, 0.5) / percentile(baseline, 0.5)).toFixed(2)}`);

  // Rounds of each, interleaved: the median rate of each side.
  const engineRates: number[] = [], rawRates: number[] = [];
  const rate = async (render: () => Promise<unknown>) => {
    const started = performance.now();
    await render();
    return DOCUMENTS / ((performance.now() - started) / 1000);
  };
  for (let round = 0; round < ROUNDS; round++) {
    engineRates.push(await rate(() => Promise.all(Array.from({ length: DOCUMENTS }, renderQuote))));
    rawRates.push(await rate(() => Promise.all(rawPages.map(async (page) => {
      for (let i = 0; i < DOCUMENTS / rawPages.length; i++) await rawRender(page);
    }))));
  }
  const engineRate = percentile(engineRates, 0.5), rawRate = percentile(rawRates, 0.5);
  console.log(`\n${DOCUMENTS} quotes at once, pool of ${renderer.poolSize}, median of ${ROUNDS} rounds`);
  console.log(`  engine ${engineRate.toFixed(1)} documents/s   raw puppeteer (2 pages) ${rawRate.toFixed(1)} documents/s   ratio raw/engine ${(rawRate / engineRate).toFixed(2)}`);

  const envelope = compileTemplate('<div style="font-size: 12pt">{{zip}}<br>{{address}}<br><b style="font-size: 16pt">{{name}}</b> 收</div>');
  const dl: PageSetup = { paper: 'DL', margins: { top: 30, right: 20, bottom: 10, left: 90 } };
  await batch('1,000 DL envelopes (one address each) into one PDF', 1_000, dl, { rows: 1, columns: 1 }, (i) => envelope({
    zip: String(200000 + i), address: `上海市浦东新区世纪大道 ${i + 1} 号 ${(i % 30) + 1} 楼`, name: `客户${i + 1}`,
  }));
  const sheet = compileTemplate('<b>{{name}}</b><br>{{address}}<br>邮编 {{zip}}');
  await batch('10,000 address labels, A4 sheets of 3 × 8', 10_000, { paper: 'A4', margins: { top: 8, right: 7, bottom: 8, left: 7 } }, { rows: 8, columns: 3 }, (i) => sheet({
    zip: String(200000 + (i % 1000)), address: `上海市浦东新区世纪大道 ${i + 1} 号`, name: `客户${i + 1}`,
  }));
} finally {
  await renderer.close();
  await raw.close();
}

/** Renders `count` labels with `cell` through labelParts + renderBatch, and prints the time and size. */
async function batch(label: string, count: number, setup: PageSetup, grid: { rows: number; columns: number }, cell: (i: number) => string) {
  const started = performance.now();
  const cells = Array.from({ length: count }, (_, i) => cell(i));
  const parts = labelParts(cells, setup, grid);
  const laidOut = performance.now();
  let rendered = laidOut;
  const pdf = await renderer.renderBatch(parts, { onProgress: () => { rendered = performance.now(); } });
  const finished = performance.now();
  const s = (from: number, to: number) => `${((to - from) / 1000).toFixed(2)} s`;
  console.log(`\n${label}`);
  console.log(`  ${s(started, finished)}: templates and layout ${s(started, laidOut)}, Chromium ${s(laidOut, rendered)}, joining ${s(rendered, finished)}; `
    + `${parts.length} parts, ${(await PDFDocument.load(pdf)).getPageCount()} pages, ${(pdf.length / 1024 / 1024).toFixed(1)} MiB, ${(count / ((finished - started) / 1000)).toFixed(0)} labels/s`);
}
