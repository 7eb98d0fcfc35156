// The print template designer (issue 8, part 4), in headless Chromium against the built app
// (tests/e2e/support.ts): the templates' overview; the quotation opened, a syntax error typed
// and shown at its line (nothing can be applied), fixed, the heading changed and seen in the live
// preview, the PDF preview rendered, applied into the metadata history — and a salesperson's
// print of a quote carrying the new heading. A template with scripts and addresses in it: the
// preview runs nothing and reaches no address. A new template started from a built-in one, with
// bad paper values refused at their controls. Screenshots land in tests/artifacts/.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfInfo, pdfText } from '../support/pdf-tools.ts';
import { reviewAndApply } from './admin-support.ts';
import { ADMIN_PASSWORD, expectText, expectVisible, pageApi, screenshot, useAppDatabase, useE2E } from './support.ts';

const e2e = useE2E({ demoCustomers: 10 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

/** Opens the designer and waits until its scripts (and the code editor) run. */
async function openDesigner(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('.apt-designer[data-hydrated=true] .apt-code[data-ready=true]').waitFor({ timeout: 15_000 });
}

/** The metadata version. */
async function metadataVersion(): Promise<number> {
  return Number((await db.query('select max(version) as v from forma.metadata_version')).rows[0].v);
}

/** The current body of a stored print template. */
async function storedSource(name: string): Promise<string> {
  const { rows } = await db.query(`select body from forma.metadata_document where kind = 'printTemplate' and name = $1 and valid_to is null`, [name]);
  return String((rows[0]?.body as { source?: string } | undefined)?.source ?? '');
}

/** Inserts text at the end of the editor's document, as typing would but without the editor's auto-closing of brackets and tags. */
async function appendToSource(page: Page, text: string): Promise<void> {
  await page.locator('.apt-code .cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(text);
}

/** Replaces every `find` of the shown source with `replace`, through the editor's search panel. */
async function replaceInSource(page: Page, find: string, replace: string): Promise<void> {
  await page.locator('.apt-code .cm-content').click();
  await page.keyboard.press('Control+f');
  const panel = page.locator('.apt-code .cm-search');
  await panel.locator('input[name=search]').fill(find);
  await panel.locator('input[name=replace]').fill(replace);
  await panel.locator('button[name=replaceAll]').click();
  await panel.locator('button[name=close]').click();
}

/** The live preview's document. */
const previewFrame = (page: Page) => page.frameLocator('.apt-sheet iframe');

/** Fetches a PDF from the page as the person signed in there; its bytes and content type. */
async function fetchPdf(page: Page, path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const answer = await page.evaluate(async (path) => {
    const response = await fetch(path);
    return { status: response.status, type: response.headers.get('Content-Type'), bytes: [...new Uint8Array(await response.arrayBuffer())] };
  }, path);
  return { ...answer, bytes: Buffer.from(answer.bytes) };
}

describe('the print templates', () => {
  it('lists every template with its entity, paper and kind', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await page.goto('/admin/print-templates');
    await expectText(page.locator('h1'), '打印模板');
    const row = (name: string) => page.locator(`tr[data-template=${name}] td`);
    await expectVisible(row('quote').first());
    expect(await row('quote').allInnerTexts()).toEqual(['报价单\nquote · 内置', '报价单', 'A4', '单据']);
    expect(await row('envelope_dl').nth(2).innerText()).toBe('DL');
    expect(await row('address_labels').nth(3).innerText()).toBe('标签（8 行 × 3 列）');
    expect(await page.locator('tr[data-template]').count()).toBe(7);
    expect(await page.locator('.admin-nav a.active').innerText()).toBe('打印模板');
    await screenshot(page, 'admin-print-templates');

    // In English too.
    await page.context().addCookies([{ name: 'forma_locale', value: 'en', url: e2e.app.url }]);
    await openDesigner(page, '/admin/print-templates/delivery_note');
    await expectText(page.locator('h1'), 'Print template: Delivery note');
    expect(await page.locator('[role=tab]').allInnerTexts()).toEqual(['Body', 'Header', 'Footer']);
    await expectText(previewFrame(page).locator('h1'), /发货单/);
    await screenshot(page, 'admin-print-template-en');
  });

  it('answers previews to administrators only, with the session’s CSRF token', async () => {
    const post = (page: Page, csrf: boolean) => page.evaluate(async (csrf) => {
      const form = new FormData();
      if (csrf) form.set('_csrf', (await (await fetch('/api/v1/session')).json()).csrfToken);
      form.set('template', 'not json');
      return (await fetch('/admin/print-preview', { method: 'POST', body: form })).status;
    }, csrf);
    const sales = await signedIn('sales1');
    expect(await post(sales, true)).toBe(403);
    expect(await sales.evaluate(async () => (await fetch('/admin/print-preview?entity=customer')).status)).toBe(403);
    const admin = await signedIn('admin', ADMIN_PASSWORD);
    expect(await post(admin, false)).toBe(403);
    // A malformed draft is the browser's bug: 400, not a page of problems.
    expect(await post(admin, true)).toBe(400);
    expect(await admin.evaluate(async () => (await fetch('/admin/print-preview?entity=nothing_here')).status)).toBe(404);
  });

  it('edits the quotation: a syntax error at its line, the heading live in the preview and the PDF, applied and printed by staff', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(page, '/admin/print-templates/quote');
    const frame = previewFrame(page);
    await expectText(frame.locator('h1'), '报价单');
    await expect.poll(() => page.locator('.apt-preview [role=status]').first().innerText()).toMatch(/^预览：BJ\d{6}-\d{4}$/);
    const before = await metadataVersion();
    const source = await storedSource('quote');
    expect(source).toContain('<h1>报价单</h1>');
    const review = page.locator('.change-review');

    // A syntax error: shown with its line, marked in the editor, the last good preview kept, nothing to review or apply.
    await appendToSource(page, '\n<p>{{record.number}</p>');
    // The line the cursor is on, as the editor's gutter numbers it.
    const errorLine = Number(await page.locator('.apt-code .cm-gutter.cm-lineNumbers .cm-activeLineGutter').innerText());
    expect(errorLine).toBeGreaterThan(50);
    const problems = page.locator('.apt-source-problems li');
    await expectText(problems.first(), new RegExp(`^第 ${errorLine} 行第 19 列：模板语法错误：`));
    await expectVisible(page.locator('.apt-code .cm-lint-marker-error'));
    await expectVisible(page.locator('.apt-code .cm-lintRange-error'));
    await expectText(page.locator('.tabs [role=tab][aria-selected=true] .apt-tab-errors'), '1');
    await expectText(page.locator('.apt-preview-error strong'), '打印模板有误');
    await expectText(frame.locator('h1'), '报价单');
    await expectText(page.locator('.apt-blocked'), '模板有语法错误：改正后才能检查和应用。');
    expect(await review.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    expect(await review.getByRole('button', { name: '应用', exact: true }).isDisabled()).toBe(true);
    // A click on the problem puts the cursor at it.
    await problems.first().locator('button').click();
    await expectText(page.locator('.apt-code .cm-activeLine'), '<p>{{record.number}</p>');
    await screenshot(page, 'admin-print-template-error');

    // Fixed (undone): the problem goes.
    await page.keyboard.press('Control+z');
    await expect.poll(() => problems.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.locator('.apt-preview-error').count()).toBe(0);

    // A new heading: in the live preview as the admin types.
    await replaceInSource(page, '<h1>报价单</h1>', '<h1>报价单（新版）</h1>');
    await expectText(frame.locator('h1'), '报价单（新版）');
    // Every mustache in view is marked, and only they: the marks followed the replacement above them.
    const marked = await page.locator('.apt-code .cm-line').evaluateAll((lines) => lines.map((line) => [
      [...line.querySelectorAll('.cm-hbs')].map((mark) => mark.textContent).join(''),
      (line.textContent?.match(/\{\{.*?\}\}\}?/g) ?? []).join(''),
    ]));
    expect(marked.filter(([, mustaches]) => mustaches).length).toBeGreaterThan(5);
    for (const [marks, mustaches] of marked) expect(marks).toBe(mustaches);
    await screenshot(page, 'admin-print-template-editor');

    // The PDF preview through the real renderer.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/print-preview?format=pdf')),
      page.getByRole('button', { name: 'PDF 预览' }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    await expectVisible(page.locator('iframe.apt-pdf-frame'));
    // The PDF the page shows (its object URL): the new heading, and as many pages as the page says.
    const preview = await fetchPdf(page, (await page.locator('iframe.apt-pdf-frame').getAttribute('src'))!);
    expect(preview.type).toBe('application/pdf');
    expect(pdfText(preview.bytes).replace(/\s+/g, '')).toContain('报价单（新版）');
    const pages = pdfInfo(preview.bytes).pages;
    expect(Number(response.headers()['x-forma-pages'])).toBe(pages);
    await expectText(page.locator('.apt-pdf-status strong'), `PDF：共 ${pages} 页`);
    expect(await metadataVersion()).toBe(before);

    // Applied: a new version in the history, with the reason.
    const version = await reviewAndApply(page, { reason: '报价单标题改为新版' });
    expect(version).toBe(before + 1);
    expect(await storedSource('quote')).toContain('<h1>报价单（新版）</h1>');
    await page.goto('/admin/history');
    const latest = page.locator('table.versions tbody tr').first();
    await expectText(latest.locator('td').first(), new RegExp(`^${version}`));
    expect(await latest.innerText()).toContain('报价单标题改为新版');
    await page.goto(`/admin/history/${version}`);
    await expectVisible(page.getByText('报价单', { exact: false }).first());
    expect(e2e.problems(page).uncaught).toEqual([]);

    // A salesperson prints one of their quotes: the new heading.
    const sales = await signedIn('sales1');
    const quotes = await pageApi(sales, 'GET', '/api/v1/records/quote?size=1');
    expect(quotes.status).toBe(200);
    const id = quotes.body.records[0].id as string;
    const printed = await fetchPdf(sales, `/api/v1/print/quote/${id}`);
    expect(printed.status).toBe(200);
    expect(printed.type).toBe('application/pdf');
    expect(pdfText(printed.bytes).replace(/\s+/g, '')).toContain('报价单（新版）');
  });

  describe('a template with scripts and outside addresses', () => {
    let listener: Server;
    const received: string[] = [];
    let origin = '';
    beforeAll(async () => {
      listener = createServer((request, response) => {
        received.push(`${request.method} ${request.url}`);
        response.end('x');
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

    it('previews inert: nothing runs, nothing is fetched, not even by the PDF', async () => {
      const page = await signedIn('admin', ADMIN_PASSWORD);
      await openDesigner(page, '/admin/print-templates/envelope_dl');
      const frame = previewFrame(page);
      await expectVisible(frame.locator('body'));
      // The record to preview with, found by the customers' quick search.
      await page.getByRole('searchbox', { name: '搜索客户…' }).fill('新时代网络');
      const record = page.locator('.apt-record select');
      await expect.poll(() => record.locator('option').allInnerTexts()).toContain('新时代网络公司');
      await record.selectOption({ label: '新时代网络公司' });
      await expectText(page.locator('.apt-preview-head [role=status]'), '预览：新时代网络公司');
      expect(await frame.locator('body').innerText()).toContain('新时代网络公司');
      await appendToSource(page, [
        '',
        '<p id="marker">INERT</p>',
        '<script>document.getElementById("marker").textContent = "RAN"; fetch("ORIGIN/script");</script>',
        '<img src="ORIGIN/img.png"><link rel="stylesheet" href="ORIGIN/style.css"><iframe src="ORIGIN/frame"></iframe>',
        '<div style="background-image: url(ORIGIN/background.png)">bg</div><video poster="ORIGIN/poster.png"></video>',
        '<object data="ORIGIN/object"></object><style>@import url("ORIGIN/import.css"); @font-face { font-family: x; src: url(ORIGIN/font.woff); } p { font-family: x; }</style>',
        '<meta http-equiv="refresh" content="0; url=ORIGIN/refresh"><img src="x" onerror="fetch(\'ORIGIN/onerror\')">',
      ].join('\n').replaceAll('ORIGIN', origin));
      await expectText(frame.locator('#marker'), 'INERT');
      expect(await page.locator('.apt-sheet iframe').getAttribute('sandbox')).toBe('');
      await page.getByRole('button', { name: 'PDF 预览' }).click();
      await expectText(page.locator('.apt-pdf-status strong'), /^PDF：共 \d+ 页$/, 20_000);
      await page.waitForTimeout(1_500);
      await expectText(frame.locator('#marker'), 'INERT');
      expect(received).toEqual([]);
      await page.locator('.apt-sheet').scrollIntoViewIfNeeded();
      await screenshot(page, 'admin-print-template-inert');
    });
  });

  it('starts a new template from a built-in one; bad paper is refused at its control', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await page.goto('/admin/print-templates');
    await page.locator('.apt-new select[name=from]').selectOption('address_labels');
    await page.getByRole('button', { name: '新建模板' }).click();
    await page.locator('.apt-designer[data-hydrated=true] .apt-code[data-ready=true]').waitFor({ timeout: 15_000 });
    await expectText(page.locator('h1'), '新建打印模板');
    expect(await page.locator('input[name=name]').inputValue()).toBe('address_labels_copy');
    expect(await page.locator('input[name=labelZh]').inputValue()).toBe('地址标签（A4 3×8）（副本）');
    await expect.poll(() => previewFrame(page).locator('.forma-label').count()).toBe(24);
    const at = (place: string) => page.locator(`[data-place=${place}]`);
    const review = page.locator('.change-review');
    const before = await metadataVersion();

    // A paper of size zero, margins leaving nothing, a start past the sheet: each at its control, nothing to review.
    await at('paper').locator('select').selectOption('custom');
    await at('width').locator('input').fill('0');
    await at('height').locator('input').fill('50');
    await expectText(at('width').locator('.field-error'), '应为大于 0、不超过 2000 的毫米数');
    expect(await at('width').locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(await review.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    await at('width').locator('input').fill('100');
    await at('margin_left').locator('input').fill('60');
    await at('margin_right').locator('input').fill('40');
    await expectText(page.locator('.apt-margins > .field-error'), '页边距过大：100×50 毫米的纸上没有可打印的区域');
    await at('margin_left').locator('input').fill('5');
    await at('margin_right').locator('input').fill('5');
    await at('startPosition').locator('input').fill('30');
    await expectText(at('startPosition').locator('.field-error'), '应为 1 到 24 之间的整数');
    await screenshot(page, 'admin-print-template-bad-paper');
    await at('startPosition').locator('input').fill('1');
    await at('rows').locator('input').fill('2');
    await at('columns').locator('input').fill('2');
    await at('margin_top').locator('input').fill('5');
    await at('margin_bottom').locator('input').fill('5');
    await expect.poll(() => previewFrame(page).locator('.forma-label').count()).toBe(4);
    expect(await metadataVersion()).toBe(before);

    await page.locator('input[name=labelZh]').fill('小标签');
    await page.locator('input[name=labelEn]').fill('Small labels');
    await page.locator('input[name=name]').fill('small_labels');
    const version = await reviewAndApply(page, { reason: '新建小标签模板' });
    expect(version).toBe(before + 1);
    await page.waitForURL('**/admin/print-templates/small_labels');
    await page.goto('/admin/print-templates');
    expect(await page.locator('tr[data-template=small_labels] td').allInnerTexts()).toEqual(['小标签\nsmall_labels', '客户', '100 × 50 mm', '标签（2 行 × 2 列）']);
  });
});
