// Printing from the staff screens, in headless Chromium against the built app (tests/e2e/support.ts):
// the record page's Print button (one template: straight to the PDF in a new tab; several: a
// menu), and batch printing of address labels from the customer list — template, start cell,
// progress, the PDF. Screenshots: tests/artifacts/print-*.png.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfInfo, pdfText } from '../support/pdf-tools.ts';
import { expectText, expectVisible, screenshot, useAppDatabase, useE2E } from './support.ts';

const e2e = useE2E({ demoCustomers: 30 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

/** What the server answered to a page's navigation to a PDF, as it came over the wire. */
interface PdfAnswer {
  url: string;
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
}

/**
 * Clicks something that opens a PDF in a new tab: the tab, and the server's answer it was shown
 * (taken on its way to the browser: once Chromium's PDF viewer shows it, the page's response is
 * the viewer's, not the PDF).
 */
async function pdfInNewTab(page: Page, click: () => Promise<void>): Promise<{ tab: Page; answer: PdfAnswer }> {
  const context: BrowserContext = page.context();
  let seen: (answer: PdfAnswer) => void;
  const answered = new Promise<PdfAnswer>((resolve) => (seen = resolve));
  const handler = async (route: Route) => {
    if (!route.request().isNavigationRequest()) return route.fallback();
    const response = await route.fetch();
    seen({ url: route.request().url(), status: response.status(), headers: response.headers(), bytes: await response.body() });
    await route.fulfill({ response });
  };
  await context.route('**/api/v1/print/**', handler);
  try {
    const [tab, answer] = await Promise.all([context.waitForEvent('page'), answered, click()]);
    return { tab, answer };
  } finally {
    await context.unroute('**/api/v1/print/**', handler);
  }
}

describe('printing from the staff screens', () => {
  it('prints a quote from its page: 打印 opens the PDF in a new tab, logged as the person', async () => {
    const { rows: [quote] } = await db.query<{ id: string; number: string }>(
      `select q.id, q.number from ws_main.quote q join ws_main.customer c on c.id = q.customer where c.name = '新时代网络公司' order by q.quote_date limit 1`);
    const page = await signedIn('sales1');
    await page.goto(`/r/quote/${quote!.id}`);
    const print = page.locator('.page-actions .print-split a', { hasText: '打印' });
    await expectVisible(print);
    expect(await print.getAttribute('target')).toBe('_blank');
    await expect.poll(() => page.locator('.print-split a[download]').getAttribute('href')).toContain('download=1');
    await screenshot(page, 'print-quote-page');

    const { tab, answer: { status, headers, bytes } } = await pdfInNewTab(page, () => print.click());
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/pdf');
    expect(headers['content-disposition']).toMatch(/^inline; .*filename\*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95-/); // 报价单-
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfText(bytes).replace(/[ \t\u3000]+/g, '')).toContain(quote!.number);
    expect(new URL(tab.url()).pathname).toBe(`/api/v1/print/quote/${quote!.id}`);
    const { rows: logged } = await db.query(`select l.record_id from forma.system_log l where l.action = 'print' and l.actor_name = 'sales1'`);
    expect(logged).toEqual([{ record_id: quote!.id }]);
  });

  it('offers a customer\'s templates in a menu, a label template with its start cell', async () => {
    const { rows: [customer] } = await db.query<{ id: string }>(`select id from ws_main.customer where name = '新时代网络公司'`);
    const page = await signedIn('sales1');
    await page.goto(`/r/customer/${customer!.id}`);
    const menu = page.getByTestId('print-menu');
    await menu.locator('summary').click();
    const rows = menu.locator('.print-template');
    await expect.poll(() => rows.locator('.print-template-name').allTextContents()).toEqual(['地址标签（A4 3×8）', '客户对账单', '信封（DL）']);
    // A label template: start at the 5th cell of a partly used sheet.
    const labels = rows.filter({ hasText: '地址标签' });
    await labels.getByRole('button', { name: '从第 5 格开始' }).click();
    await expect.poll(() => labels.locator('input[name="startPosition"]').inputValue()).toBe('5');
    await screenshot(page, 'print-menu');

    const { answer: envelope } = await pdfInNewTab(page, () => rows.filter({ hasText: '信封' }).getByRole('button', { name: '打开' }).click());
    expect(envelope.headers['content-type']).toBe('application/pdf');
    expect(Math.round(pdfInfo(envelope.bytes).width)).toBe(624); // DL, 220 mm
    expect(new URL(envelope.url).searchParams.get('entity')).toBe('customer');
    const { answer: sheet } = await pdfInNewTab(page, () => labels.getByRole('button', { name: '打开' }).click());
    expect(new URL(sheet.url).searchParams.get('startPosition')).toBe('5');
    expect(pdfInfo(sheet.bytes).pages).toBe(1);
  });

  it('prints address labels of the whole customer list as a job, with progress, then opens the PDF', async () => {
    const page = await signedIn('manager1');
    await page.goto('/r/customer');
    await page.locator('.list-tools[data-hydrated=true]').waitFor({ timeout: 15_000 });
    const { rows: [counted] } = await db.query<{ n: string }>(`select count(*) as n from ws_main.customer where deleted_at is null`);
    const customers = Number(counted!.n);

    await page.locator('button.batch-print-open').click();
    const dialog = page.locator('dialog.print-dialog');
    await expectVisible(dialog);
    await expectText(dialog.locator('h2'), '批量打印客户');
    await expect.poll(() => dialog.locator('.print-choose > p').first().innerText()).toBe(`没有选中记录：打印全部 ${customers} 条记录。`);
    await dialog.getByLabel('地址标签（A4 3×8）').check();
    await dialog.getByRole('button', { name: '从第 23 格开始' }).click();
    await expect.poll(() => dialog.locator('.start-position input').inputValue()).toBe('23');
    await screenshot(page, 'print-batch-choose');

    // While the job runs, the dialog shows how far it is; the first look at it is shown as a large job's would be.
    let looked = false;
    await page.route('**/api/v1/print/jobs/*', async (route) => {
      if (looked) return route.fallback();
      looked = true;
      const id = new URL(route.request().url()).pathname.split('/').pop();
      await route.fulfill({ json: { id, state: 'running', stage: 'render', done: 2400, total: 10000 } });
    });
    const [created] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/print/address_labels/jobs')),
      dialog.getByRole('button', { name: '开始打印' }).click(),
    ]);
    expect(created.status()).toBe(202);
    expect(await created.json()).toMatchObject({ total: customers });
    await expectText(dialog.locator('.print-job-progress'), '正在生成 PDF：已完成 2,400 / 10,000');
    await screenshot(page, 'print-batch-progress');

    await expectText(dialog.locator('.print-job-result'), `已完成：${customers} 条记录已生成 PDF。`, 60_000);
    await expectText(dialog.locator('.print-job-summary'), `地址标签（A4 3×8） · ${customers} 条记录`);
    await screenshot(page, 'print-batch-done');
    const { answer: { headers, bytes } } = await pdfInNewTab(page, () => dialog.getByRole('link', { name: '打开 PDF' }).click());
    expect(headers['content-type']).toBe('application/pdf');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Two cells left on the first sheet, then 24 a sheet.
    expect(pdfInfo(bytes).pages).toBe(1 + Math.ceil((customers - 2) / 24));
    const download = dialog.getByRole('link', { name: '下载 PDF' });
    expect(await download.getAttribute('href')).toMatch(/\/api\/v1\/print\/jobs\/[0-9a-f-]{36}\/pdf\?download=1$/);
  });

  it('prints only the selected rows when some are', async () => {
    const page = await signedIn('manager1');
    await page.goto('/r/customer?sort=code');
    await page.locator('.list-tools[data-hydrated=true]').waitFor({ timeout: 15_000 });
    const boxes = page.locator('table.records tbody input[type=checkbox]');
    for (const i of [0, 1, 2]) await boxes.nth(i).check();
    await page.locator('button.batch-print-open').click();
    const dialog = page.locator('dialog.print-dialog');
    await expectText(dialog.locator('.print-choose > p').first(), '打印选中的 3 条记录。');
    await dialog.getByLabel('信封（DL）').check();
    await dialog.getByRole('button', { name: '开始打印' }).click();
    await expectText(dialog.locator('.print-job-result'), '已完成：3 条记录已生成 PDF。', 60_000);
    const { answer } = await pdfInNewTab(page, () => dialog.getByRole('link', { name: '打开 PDF' }).click());
    expect(pdfInfo(answer.bytes).pages).toBe(3);
  });
});
