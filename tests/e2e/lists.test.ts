// A list's tools as people use them, in headless Chromium against the built app
// (tests/e2e/support.ts): the filter builder (in the address, problems at the condition),
// sorting, hidden columns that stay hidden, saved filters, a batch update with its result,
// and an export that downloads. Screenshots land in tests/artifacts/.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, expectText, expectVisible, screenshot, signIn, useE2E, useAppDatabase } from './support.ts';

const e2e = useE2E({ demoCustomers: 30 });

/** The app's own database, to compare the screens with the data. */
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

/** Opens a list and waits until its scripts run (the tools need them). */
async function openList(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('.list-tools[data-hydrated=true]').waitFor({ timeout: 15_000 });
}

/** The header texts of the list (the first, empty one is the selection column). */
const headers = (page: Page) => page.locator('table.records thead th').allTextContents();
/** The texts of the column headed `header`, every row. */
async function column(page: Page, header: string): Promise<string[]> {
  const n = 1 + (await headers(page)).findIndex((h) => h.replace(/ [▲▼]$/, '') === header);
  expect(n, `column ${header}`).toBeGreaterThan(0);
  return page.locator(`table.records tbody tr td:nth-child(${n})`).allTextContents();
}
/** What the API says about the same list, for the same person. */
async function apiCount(page: Page, filter: unknown): Promise<number> {
  const answer = await page.request.get(`/api/v1/records/customer?count=true&size=1&filter=${encodeURIComponent(JSON.stringify(filter))}`);
  return ((await answer.json()) as { total: { value: number } }).total.value;
}

describe('the customer list', () => {
  it('filters with the builder (the filter goes in the address), sorts within the filter, and shows problems at their condition', async () => {
    const page = await signedIn('manager1');
    await openList(page, '/r/customer');
    await page.locator('button.filter-toggle').click();
    await page.getByRole('button', { name: '+ 添加条件', exact: true }).click();
    const condition = page.locator('.filter-builder .condition').first();
    await condition.locator('select.field-pick').selectOption('level');
    await condition.locator('select.op-pick').selectOption('in');
    await condition.locator('.value-picks summary').click();
    await condition.locator('.value-picks label', { hasText: 'A 类' }).locator('input').check();
    await condition.locator('.value-picks label', { hasText: 'B 类' }).locator('input').check();
    await condition.locator('.value-picks summary').click();
    await screenshot(page, 'list-filter-builder');
    await page.locator('.builder-actions button.primary').click();
    await page.waitForURL((url) => url.searchParams.has('filter'));

    const filter = JSON.parse(new URL(page.url()).searchParams.get('filter')!);
    expect(filter).toEqual({ and: [{ field: 'level', op: 'in', value: ['A', 'B'] }] });
    const expected = await apiCount(page, filter);
    expect(expected).toBeGreaterThan(0);
    await expectText(page.locator('.page-head .muted'), `共 ${expected} 条`);
    expect(new Set(await column(page, '客户等级'))).toEqual(new Set(['A 类', 'B 类']));
    await expectText(page.locator('.filter-summary'), '客户等级 属于 A 类、B 类');

    // Sorting keeps the filter.
    await page.locator('table.records thead th a', { hasText: '客户名称' }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'name');
    expect(JSON.parse(new URL(page.url()).searchParams.get('filter')!)).toEqual(filter);
    // The address changes before the sorted rows render: wait for them.
    const sorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    await expect.poll(async () => { const names = await column(page, '客户名称'); return names.join() === sorted(names).join(); }).toBe(true);
    expect((await column(page, '客户名称')).length).toBe(Math.min(expected, 50));

    // The address is the filter: a bookmark of it opens the same list.
    const again = await signedIn('manager1');
    await openList(again, new URL(page.url()).pathname + new URL(page.url()).search);
    await expectText(again.locator('.page-head .muted'), `共 ${expected} 条`);

    // A filter the engine refuses: the problem under its condition, in words.
    const bad = { and: [{ field: 'credit_limit', op: 'gte', value: '很多' }, { field: 'level', op: 'contains', value: 'A' }] };
    await openList(page, `/r/customer?filter=${encodeURIComponent(JSON.stringify(bad))}`);
    const errors = page.locator('.filter-builder .condition .field-error');
    await expectVisible(errors.first());
    expect(await errors.allTextContents()).toEqual([
      expect.stringContaining('"信用额度"'),
      expect.stringMatching(/^"客户等级" 不能按"包含"筛选，可用：等于、不等于、属于/),
    ]);
    await screenshot(page, 'list-filter-problems');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });

  it('hides a column for the person, in any browser, until they show it again', async () => {
    const page = await signedIn('sales1');
    await openList(page, '/r/customer');
    expect(await headers(page)).toContain('电话');
    await page.locator('[data-testid=column-menu] summary').click();
    await page.locator('[data-testid=column-menu] label', { hasText: '电话' }).locator('input').uncheck();
    await page.waitForFunction(() => ![...document.querySelectorAll('table.records thead th')].some((th) => th.textContent === '电话'));
    // Pinned columns cannot be hidden.
    expect(await page.locator('[data-testid=column-menu] label', { hasText: '客户名称' }).locator('input').isDisabled()).toBe(true);
    await screenshot(page, 'list-column-menu');
    // Saved on the server: wait for it, then reload, and look from another browser too.
    await expect.poll(async () => (await db.query(`select value from forma.user_preference p join forma."user" u on u.id = p.user_id
      where u.login = 'sales1' and p.key = 'list.customer.columns'`)).rows[0]?.value).toEqual({ hidden: ['phone'] });
    await page.reload();
    await page.locator('.list-tools[data-hydrated=true]').waitFor();
    expect(await headers(page)).not.toContain('电话');
    const other = await signedIn('sales1');
    await openList(other, '/r/customer');
    expect(await headers(other)).not.toContain('电话');
    expect(await headers(other)).toContain('客户名称');

    await page.locator('[data-testid=column-menu] summary').click();
    await page.locator('[data-testid=column-menu] label', { hasText: '电话' }).locator('input').check();
    await page.waitForFunction(() => [...document.querySelectorAll('table.records thead th')].some((th) => th.textContent === '电话'));
    // The column shows at once; reload only once the server has it too (nothing hidden: no preference left).
    await expect.poll(async () => (await db.query(`select value from forma.user_preference p join forma."user" u on u.id = p.user_id
      where u.login = 'sales1' and p.key = 'list.customer.columns'`)).rows[0]?.value).toBeUndefined();
    await page.reload();
    await page.locator('.list-tools[data-hydrated=true]').waitFor();
    expect(await headers(page)).toContain('电话');
  });

  it('saves the filter in use under a name and picks it again', async () => {
    const page = await signedIn('sales1');
    const vip = { field: 'level', op: 'eq', value: 'VIP' };
    await openList(page, `/r/customer?filter=${encodeURIComponent(JSON.stringify(vip))}`);
    await page.locator('[data-testid=saved-filters] summary').click();
    await page.locator('[data-testid=saved-filters] input[name=name]').fill('我的 VIP');
    await page.locator('[data-testid=saved-filters] .save-filter button[type=submit]').click();
    await expectVisible(page.locator('[data-testid=saved-filters] .saved-list a', { hasText: '我的 VIP' }));
    await openList(page, '/r/customer');
    await page.locator('[data-testid=saved-filters] summary').click();
    await page.locator('[data-testid=saved-filters] .saved-list a', { hasText: '我的 VIP' }).click();
    await page.waitForURL((url) => url.searchParams.has('filter'));
    expect(JSON.parse(new URL(page.url()).searchParams.get('filter')!)).toEqual(vip);
    expect(new Set(await column(page, '客户等级'))).toEqual(new Set(['VIP']));
  });

  it('updates a field of the selected records in one batch and says how many changed', async () => {
    const page = await signedIn('manager1');
    await openList(page, '/r/customer?sort=name');
    const rows = page.locator('table.records tbody tr');
    const codes = [await rows.nth(0).locator('td').nth(1).innerText(), await rows.nth(1).locator('td').nth(1).innerText()];
    await rows.nth(0).locator('td.select input').check();
    await rows.nth(1).locator('td.select input').check();
    await expectText(page.locator('.batch-bar .selection strong'), '已选择 2 条');
    await page.locator('.batch-bar button', { hasText: '批量修改' }).click();
    await page.locator('.batch-form select[name=field]').selectOption('source');
    await page.locator('.batch-form select.value').selectOption('exhibition');
    await screenshot(page, 'list-batch-bar');
    await page.locator('.batch-form button[type=submit]').click();
    await expectText(page.locator('.batch-result'), /完成：已修改 \d 条记录/);
    await screenshot(page, 'list-batch-result');
    const { rows: changed } = await db.query<{ source: string }>(`select source from ws_main.customer where code = any($1)`, [codes]);
    expect(changed.map((r) => r.source)).toEqual(['exhibition', 'exhibition']);
    // The list shows the new values, and the selection is gone.
    expect((await column(page, '客户来源')).slice(0, 2)).toEqual(['展会', '展会']);
    expect(await page.locator('td.select input:checked').count()).toBe(0);

    // Every record of the filter: the bar offers them all once the page is selected.
    await openList(page, '/r/customer?sort=name&filter=' + encodeURIComponent(JSON.stringify({ field: 'level', op: 'ne', value: 'VIP' })));
    await page.locator('table.records thead th.select input').check();
    const all = page.locator('.batch-bar .selection button', { hasText: /选择全部 \d+ 条匹配记录/ });
    if (await all.count()) {
      await all.click();
      await expectText(page.locator('.batch-bar .selection strong'), /已选择全部 \d+ 条匹配记录/);
    }
  });

  it('offers only the batch actions the role allows', async () => {
    const page = await signedIn('sales1');
    await openList(page, '/r/customer');
    await page.locator('table.records tbody tr').first().locator('td.select input').check();
    const actions = await page.locator('.batch-bar .batch-actions > button').allTextContents();
    // A salesperson may update their customers but not delete in batches, nor reassign (the owner is read-only for them).
    expect(actions).toEqual(['批量修改']);
    expect(await page.locator('[data-testid=export-menu]').count()).toBe(0);
  });

  it('exports the current filter to a file that downloads', async () => {
    const page = await e2e.newPage();
    await signIn(page, 'manager1', DEMO_PASSWORD);
    const filter = { field: 'level', op: 'in', value: ['A', 'B'] };
    await openList(page, `/r/customer?filter=${encodeURIComponent(JSON.stringify(filter))}`);
    await page.locator('[data-testid=export-menu] summary').click();
    await screenshot(page, 'list-export-menu');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=export-menu] a[data-format=xlsx][data-all]').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^客户-\d{8}-\d{4}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount - 1).toBe(await apiCount(page, filter));
    expect((sheet.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['客户编号', '客户名称']);

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      (async () => {
        await page.locator('[data-testid=export-menu]').evaluate((menu) => ((menu as HTMLDetailsElement).open = true));
        await page.locator('[data-testid=export-menu] a[data-format=csv]').first().click();
      })(),
    ]);
    const bytes = await readFile((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('客户名称');
    const logged = await db.query(`select details from forma.system_log where action = 'export' order by id`);
    expect(logged.rows.map((r) => r.details.format)).toEqual(['xlsx', 'csv']);
  });
});
