// Record forms as people use them (issue 6 §4, §5, §8): a new customer with the duplicate check
// and a server error beside its field, a contact started from the customer's page, a quote
// with three lines whose totals follow the typing and whose lines are reordered by dragging,
// and the same quote edited in two browsers at once. Against the built app, in headless
// Chromium (tests/e2e/support.ts); screenshots in tests/artifacts/form-*.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, expectText, expectVisible, screenshot, signIn, useE2E, useAppDatabase } from './support.ts';

const e2e = useE2E({ demoCustomers: 30 });

/** The app's own database, to compare the screens with the data. */
const db = useAppDatabase(e2e);

async function asSales1(): Promise<Page> {
  const page = await e2e.newPage();
  await signIn(page, 'sales1', DEMO_PASSWORD);
  return page;
}

/** The form is there and its scripts run (the save button works only once hydrated). */
async function formReady(page: Page): Promise<void> {
  await expectVisible(page.locator('.record-form-page[data-hydrated="true"] form#record-form'));
}

const recordId = /\/r\/[a-z_]+\/([0-9a-f-]{36})$/;

async function saved(page: Page): Promise<string> {
  await page.locator('.form-head button.primary').click();
  await page.waitForURL(recordId, { timeout: 15_000 });
  return recordId.exec(new URL(page.url()).pathname)![1]!;
}

/** The three totals of the quote form, as shown. */
const totals = (page: Page) => page.locator('[data-section="totals"] .readonly-value').allTextContents();

let customerId: string;
let quoteId: string;

describe('a new customer', () => {
  it('warns of similar customers while the name is typed, shows the server\'s error beside its field, and saves what was typed', async () => {
    const page = await asSales1();
    await page.goto('/r/customer/new');
    await formReady(page);
    await expectText(page.locator('h1'), '新建客户');
    // Read-only for a salesperson, filled in on save.
    await expectText(page.locator('[data-field="owner"] .readonly-value'), '李明（销售一部）');
    await expect.poll(() => page.locator('#root_code').getAttribute('placeholder')).toBe('留空则自动生成');

    await page.locator('#root_name').fill('新时代网络');
    await expectVisible(page.locator('.similar'));
    await expectText(page.locator('.similar strong'), '可能重复的客户');
    expect(await page.locator('.similar li a').allTextContents()).toContain('新时代网络公司');

    await page.locator('#root_name').fill('新时代网络（浦东）有限公司');
    await page.locator('#root_phone').fill('abc');
    await page.locator('#root_level').selectOption('A');
    await page.locator('#root_region').selectOption('310000');
    await page.locator('#root_region-1').selectOption('310100');
    await page.locator('#root_region-2').selectOption('310115');
    await page.locator('#root_credit_limit').fill('200000');
    await page.locator('.chip.toggle', { hasText: '茶' }).click();
    await screenshot(page, 'form-new-customer');

    await page.locator('.form-head button.primary').click();
    const phoneError = page.locator('[data-field="phone"] .field-error');
    await expectText(phoneError, /应为电话号码/);
    await expectText(page.locator('.form-alert'), /记录无效/);
    // Nothing typed is lost.
    expect(await page.locator('#root_name').inputValue()).toBe('新时代网络（浦东）有限公司');
    expect(await page.locator('#root_region-2').inputValue()).toBe('310115');
    await screenshot(page, 'form-new-customer-error');

    await page.locator('#root_phone').fill('021-5888 0001');
    await expect.poll(() => phoneError.count()).toBe(0); // the error goes once the field is changed
    customerId = await saved(page);
    const row = (await db.query('select name, phone, level, region, credit_limit, preferences, code from ws_main.customer where id = $1', [customerId])).rows[0];
    expect(row).toMatchObject({ name: '新时代网络（浦东）有限公司', phone: '021-5888 0001', level: 'A', region: '310115', credit_limit: '200000.00', preferences: ['tea'] });
    expect(row.code).toMatch(/^KH\d{4}-\d{5}$/);
    await expectText(page.locator('h1'), '新时代网络（浦东）有限公司');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });
});

describe('a contact from the customer\'s page', () => {
  it('opens the new contact with the customer filled in by name', async () => {
    const page = await asSales1();
    await page.goto(`/r/customer/${customerId}`);
    await page.locator(`a[href="/r/contact/new?customer=${customerId}"]`).click();
    await page.waitForURL(/\/r\/contact\/new\?customer=/);
    await formReady(page);
    expect(await page.locator('#root_customer').inputValue()).toBe('新时代网络（浦东）有限公司');
    await page.locator('#root_name').fill('王芳');
    await page.locator('#root_mobile').fill('139 1234 5678');
    const contactId = await saved(page);
    const row = (await db.query('select name, customer from ws_main.contact where id = $1', [contactId])).rows[0];
    expect(row).toEqual({ name: '王芳', customer: customerId });
    await expectText(page.locator(`a[href="/r/customer/${customerId}"]`).first(), '新时代网络（浦东）有限公司');
  });
});

describe('a quote with lines', () => {
  /** Picks a product for line `i` by typing part of its name. */
  async function product(page: Page, i: number, text: string, name: RegExp) {
    await page.locator(`#root_lines_${i}_product`).fill(text);
    const hit = page.locator('.lookup-hits li[role="option"]', { hasText: name }).first();
    await expectVisible(hit);
    await hit.click();
  }
  const descriptions = (page: Page) => page.locator('td.t-text input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));

  it('recomputes line amounts and totals as lines change, reorders lines by dragging and with the keyboard, and saves them', async () => {
    const page = await asSales1();
    await page.goto(`/r/customer/${customerId}`);
    await page.locator(`a[href="/r/quote/new?customer=${customerId}"]`).click();
    await formReady(page);
    expect(await page.locator('#root_customer').inputValue()).toBe('新时代网络（浦东）有限公司');
    await expectText(page.locator('[data-field="number"] .readonly-value'), '自动生成');

    for (let i = 0; i < 3; i++) await page.locator('button.add-line').click();
    await expect.poll(() => page.locator('.lines-grid tbody tr').count()).toBe(3);
    // New lines start with the line entity's defaults: qty 1, no discount, 13 % VAT.
    expect(await page.locator('#root_lines_0_qty').inputValue()).toBe('1');
    expect(await page.locator('#root_lines_0_tax_rate').inputValue()).toBe('13');

    await product(page, 0, 'Vostro', /Vostro/);
    await page.locator('#root_lines_0_description').fill('A 台式机');
    await page.locator('#root_lines_0_qty').fill('20');
    await page.locator('#root_lines_0_unit_price').fill('5000');
    await expect.poll(() => totals(page)).toEqual(['¥100,000.00', '¥11,504.42', '¥88,495.58']);

    await product(page, 1, 'R210', /R210/);
    await page.locator('#root_lines_1_description').fill('B 服务器');
    await page.locator('#root_lines_1_unit_price').fill('8000');
    await page.locator('#root_lines_2_description').fill('C 安装服务');
    await page.locator('#root_lines_2_qty').fill('3');
    await page.locator('#root_lines_2_unit_price').fill('99.5');
    await page.locator('#root_lines_2_discount').fill('10');
    await page.locator('#root_lines_2_tax_rate').fill('6');
    // 100000 + 8000 + 3 × 99.5 × 0.9 = 108268.65; tax per line, rounded, then summed: 11504.42 + 920.35 + 15.21
    await expect.poll(() => totals(page)).toEqual(['¥108,268.65', '¥12,439.98', '¥95,828.67']);
    expect(await page.locator('.lines-grid tbody tr').nth(2).locator('td.t-formula').allTextContents()).toEqual(['¥268.65', '¥15.21']);
    await page.locator('#root_lines_1_qty').fill('2');
    await expect.poll(() => totals(page)).toEqual(['¥116,268.65', '¥13,360.34', '¥102,908.31']);
    await screenshot(page, 'form-quote-lines');

    // Drag line 3 by its handle above line 1.
    const from = (await page.locator('.drag-handle').nth(2).boundingBox())!;
    const to = (await page.locator('.drag-handle').nth(0).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + 2, { steps: 12 });
    await page.mouse.up();
    await expect.poll(() => descriptions(page)).toEqual(['C 安装服务', 'A 台式机', 'B 服务器']);
    // Let the drop settle (rows back in place, their transition over) before the keyboard drag measures them.
    await expect.poll(() => page.locator('.lines-grid tbody tr').evaluateAll((rows) => rows.every((r) => !(r as HTMLElement).style.transform))).toBe(true);
    await page.waitForTimeout(300);
    // With the keyboard: Space picks line 1 up, ↓ moves it, Space drops it.
    await page.locator('.drag-handle').nth(0).focus();
    await page.keyboard.press('Space');
    const lifted = page.locator('.lines-grid tr.dragging');
    await expect.poll(() => lifted.count()).toBe(1);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => lifted.evaluate((row) => (row as HTMLElement).style.transform)).toMatch(/translate3d\(0px, [1-9]/);
    await page.keyboard.press('Space');
    await expect.poll(() => descriptions(page)).toEqual(['A 台式机', 'C 安装服务', 'B 服务器']);
    // Removing a line updates the totals too.
    await page.locator('.lines-grid tbody tr').nth(1).locator('.danger-link').click();
    await expect.poll(() => totals(page)).toEqual(['¥116,000.00', '¥13,345.13', '¥102,654.87']);

    quoteId = await saved(page);
    const quote = (await db.query('select total, tax_amount, amount_excl_tax, customer, number from ws_main.quote where id = $1', [quoteId])).rows[0];
    expect(quote).toMatchObject({ total: '116000.00', tax_amount: '13345.13', amount_excl_tax: '102654.87', customer: customerId });
    const lines = (await db.query('select description, qty, amount from ws_main.quote_line where parent_id = $1 order by position', [quoteId])).rows;
    expect(lines).toEqual([
      { description: 'A 台式机', qty: '20', amount: '100000.00' },
      { description: 'B 服务器', qty: '2', amount: '16000.00' },
    ]);
    await expectText(page.locator('h1'), quote.number);
    expect(e2e.problems(page).uncaught).toEqual([]);
  });

  it('handles the same quote edited in two browsers: shows who changed what, then keeps mine on their version', async () => {
    const [mine, theirs] = [await asSales1(), await asSales1()];
    for (const page of [mine, theirs]) {
      await page.goto(`/r/quote/${quoteId}/edit`);
      await formReady(page);
    }
    expect(await mine.locator('#root_lines_0_product').inputValue()).toMatch(/Vostro/); // names, never ids

    await theirs.locator('#root_delivery_terms').fill('合同签订后 10 个工作日内送货');
    await theirs.locator('#root_lines_0_qty').fill('25');
    await saved(theirs);

    await mine.locator('#root_remarks').fill('客户要求开增值税专用发票');
    await mine.locator('#root_lines_1_qty').fill('3');
    await mine.locator('.form-head button.primary').click();
    const dialog = mine.locator('[role="dialog"]');
    await expectVisible(dialog);
    await expectText(dialog.locator('h2'), '这条记录已被他人修改');
    const listed = await dialog.locator('.conflict-changes').innerText();
    expect(listed).toContain('sales1');
    expect(listed).toContain('交货条款：合同签订后 10 个工作日内送货');
    expect(listed).toContain('第 1 行 数量：25');
    // What I typed is still in the form behind the dialog.
    expect(await mine.locator('#root_remarks').inputValue()).toBe('客户要求开增值税专用发票');
    await screenshot(mine, 'form-conflict');

    await dialog.locator('button.primary').click(); // keep mine
    await mine.waitForURL(recordId, { timeout: 15_000 });
    const quote = (await db.query('select delivery_terms, remarks, total, version from ws_main.quote where id = $1', [quoteId])).rows[0];
    // Theirs and mine, nothing silently overwritten: 25 × 5000 + 3 × 8000.
    expect(quote).toMatchObject({ delivery_terms: '合同签订后 10 个工作日内送货', remarks: '客户要求开增值税专用发票', total: '149000.00' });
    const qtys = (await db.query('select qty from ws_main.quote_line where parent_id = $1 order by position', [quoteId])).rows.map((r) => r.qty);
    expect(qtys).toEqual(['25', '3']);
  });

  it('reloads theirs when asked, discarding mine', async () => {
    const [mine, theirs] = [await asSales1(), await asSales1()];
    for (const page of [mine, theirs]) {
      await page.goto(`/r/quote/${quoteId}/edit`);
      await formReady(page);
    }
    await theirs.locator('#root_remarks').fill('对方的备注');
    await saved(theirs);
    await mine.locator('#root_remarks').fill('我的备注');
    await mine.locator('.form-head button.primary').click();
    const dialog = mine.locator('[role="dialog"]');
    await expectVisible(dialog);
    await dialog.locator('button:not(.primary)').click(); // reload
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await mine.locator('#root_remarks').inputValue()).toBe('对方的备注');
    // Saving now changes nothing and goes back to the record.
    await saved(mine);
    expect((await db.query('select remarks from ws_main.quote where id = $1', [quoteId])).rows[0].remarks).toBe('对方的备注');
  });
});
