// The staff screens as people use them: sign-in, the frame and its menu, lists, record pages,
// the language switch, signing out and refused pages — in headless Chromium against the built
// app (tests/e2e/support.ts). Screenshots land in tests/artifacts/.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, expectAttribute, expectText, expectVisible, screenshot, signIn, useE2E, useAppDatabase } from './support.ts';

const e2e = useE2E({ demoCustomers: 30 });

/** The app's own database, to compare the screens with the data. */
const db = useAppDatabase(e2e);

async function ownerId(login: string): Promise<string> {
  return (await db.query<{ id: string }>('select id from forma."user" where login = $1', [login])).rows[0]!.id;
}

/** The module headings of the sidebar. */
const menuModules = (page: Page) => page.locator('nav.sidebar h2').allTextContents();
/** The texts of one column of the list (1-based), every row. */
const column = (page: Page, n: number) => page.locator(`table.records tbody tr td:nth-child(${n})`).allTextContents();

const { signedIn } = e2e;

describe('signing in', () => {
  it('shows the error for a wrong password on the page, and lands on the home page with the right one', async () => {
    const page = await e2e.newPage();
    await page.goto('/login');
    await expectText(page.locator('h1'), '登录 Forma');
    await screenshot(page, 'login-zh');

    await page.locator('input[name="login"]').fill('sales1');
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('form button[type="submit"]').click();
    await expectVisible(page.locator('[role="alert"]'));
    expect(await page.locator('[role="alert"]').textContent()).toMatch(/密码|登录/);
    expect(new URL(page.url()).pathname).toBe('/login');
    // The login typed stays in the field.
    expect(await page.locator('input[name="login"]').inputValue()).toBe('sales1');
    await screenshot(page, 'login-zh-wrong-password');

    await signIn(page, 'sales1', DEMO_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/');
    await expectText(page.locator('main.content h1'), '李明（销售一部），你好');
    await expectVisible(page.locator('.tile h2').first());
    expect(await page.locator('.tile h2').allTextContents()).toContain('客户管理');
    expect(await page.locator('.tile a').allTextContents()).toEqual(expect.arrayContaining(['客户', '联系人']));
    await screenshot(page, 'home-zh');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });

  it('gives a salesperson no purchasing or finance modules, and the administrator both', async () => {
    const sales = await signedIn('sales1');
    const salesModules = await menuModules(sales);
    expect(salesModules).toEqual(expect.arrayContaining(['客户管理', '销售管理']));
    expect(salesModules).not.toContain('采购管理');
    expect(salesModules).not.toContain('财务管理');

    const admin = await signedIn('admin');
    expect(await menuModules(admin)).toEqual(expect.arrayContaining(['客户管理', '销售管理', '采购管理', '财务管理']));
    await screenshot(admin, 'home-zh-admin');
  });
});

describe('the customer list', () => {
  it('shows a salesperson only their own customers', async () => {
    const page = await signedIn('sales1');
    await page.locator('nav.sidebar a', { hasText: /^客户$/ }).click();
    await page.waitForURL('**/r/customer');
    await expectText(page.locator('.page-head h1'), '客户');

    const own = Number((await db.query('select count(*) from ws_main.customer where owner_id = $1 and deleted_at is null', [await ownerId('sales1')])).rows[0].count);
    const all = Number((await db.query('select count(*) from ws_main.customer where deleted_at is null')).rows[0].count);
    expect(own).toBeGreaterThan(1);
    expect(own).toBeLessThan(all);
    // The API, with the same session, gives the same count.
    const api = await (await page.request.get('/api/v1/records/customer?count=true&size=200')).json() as { total: { value: number } };
    expect(api.total.value).toBe(own);

    await expectText(page.locator('.page-head .muted'), `共 ${own} 条`);
    expect(await page.locator('table.records tbody tr').count()).toBe(own);
    const ownerColumn = 1 + (await page.locator('table.records thead th').allTextContents()).indexOf('负责人');
    expect(ownerColumn).toBeGreaterThan(0);
    expect(new Set(await column(page, ownerColumn))).toEqual(new Set(['李明（销售一部）']));
    await screenshot(page, 'list-zh');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });

  it('sorts by a column when its header is clicked, ascending then descending, with the ▲/▼ marker', async () => {
    const page = await signedIn('sales1');
    await page.goto('/r/customer');
    const nameColumn = 1 + (await page.locator('table.records thead th').allTextContents()).indexOf('客户名称');
    const before = await column(page, nameColumn);

    await page.locator('table.records thead th a', { hasText: '客户名称' }).click();
    await page.waitForURL(/[?&]sort=name(&|$)/);
    const header = page.locator('table.records thead th', { hasText: '客户名称' });
    await expectText(header, '客户名称 ▲');
    await expectAttribute(header, 'aria-sort', 'ascending');
    const ascending = await column(page, nameColumn);
    // The test cluster's collation is C.UTF-8: code point order, as JavaScript compares strings.
    expect(ascending).toEqual([...before].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(ascending).not.toEqual(before);

    await header.locator('a').click();
    await page.waitForURL(/[?&]sort=-name(&|$)/);
    await expectText(header, '客户名称 ▼');
    await expectAttribute(header, 'aria-sort', 'descending');
    expect(await column(page, nameColumn)).toEqual([...ascending].reverse());
  });

  it('finds 新时代网络公司 with the quick search', async () => {
    const page = await signedIn('sales1');
    await page.goto('/r/customer');
    const search = page.locator('.list-search input[name="q"]');
    await search.fill('新时代网络公司');
    await search.press('Enter');
    await page.waitForURL(/[?&]q=/);
    await expectText(page.locator('table.records tbody tr').first(), /新时代网络公司/);
    expect(await page.locator('table.records tbody tr').count()).toBe(1);
    expect(await search.inputValue()).toBe('新时代网络公司');
    await expectText(page.locator('.page-head .muted'), '共 1 条');
    // Part of the name finds it too.
    await search.fill('新时代');
    await search.press('Enter');
    await page.waitForURL(/[?&]q=%E6%96%B0%E6%97%B6%E4%BB%A3(&|$)/);
    expect(await column(page, 1 + (await page.locator('table.records thead th').allTextContents()).indexOf('客户名称'))).toContain('新时代网络公司');
  });
});

describe('a record page', () => {
  it('shows the customer in the sections of its form layout, with its contacts and quotes', async () => {
    const page = await signedIn('sales1');
    await page.goto('/r/customer?q=新时代网络公司');
    // The first column of the list view (the customer number) links to the record.
    await page.locator('table.records tbody tr', { hasText: '新时代网络公司' }).locator('a[href^="/r/customer/"]').first().click();
    await page.waitForURL(/\/r\/customer\/[0-9a-f-]{36}$/);
    await expectText(page.locator('.page-head h1').first(), '新时代网络公司');

    const sections = await page.locator('.record-grid section.card > h2').allTextContents();
    expect(sections).toEqual(expect.arrayContaining(['基本信息', '联系方式', '信用与积分']));
    // The form's sections (the aside repeats owner and times).
    const field = (label: string) => page.locator('.record-grid > div:first-child dl > div', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
    await expectText(field('客户等级'), 'VIP');
    await expectText(field('电话'), '021-6888 1234');
    await expectText(field('负责人'), '李明（销售一部）');

    const related = (title: string) => page.locator('.record-grid section.card', { has: page.locator('h2', { hasText: new RegExp(`^${title} `) }) });
    await expectText(related('联系人'), /张建华/);
    await expectText(related('联系人').locator('h2'), '联系人 (1)');
    await expectText(related('报价单').locator('h2'), '报价单 (2)');
    expect(await related('报价单').locator('tbody tr').count()).toBe(2);
    await expectText(page.locator('.timeline li').first(), /创建了记录/);
    await screenshot(page, 'record-zh');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });
});

describe('the language switch', () => {
  it('shows the menu, lists and record pages in English, and back in Chinese', async () => {
    const page = await signedIn('sales1');
    await page.goto('/r/customer');
    await page.locator('header.topbar button', { hasText: 'English' }).click();
    await expectText(page.locator('.page-head h1'), 'Customer');
    expect(new URL(page.url()).pathname).toBe('/r/customer');
    expect(await menuModules(page)).toEqual(expect.arrayContaining(['Customers', 'Sales']));
    expect(await page.locator('table.records thead th').allTextContents()).toEqual(expect.arrayContaining(['Customer name', 'Owner']));
    await expectText(page.locator('.page-head .muted'), /^\d+ records$/);
    await screenshot(page, 'list-en');

    await page.locator('table.records tbody a[href^="/r/customer/"]').first().click();
    await page.waitForURL(/\/r\/customer\/[0-9a-f-]{36}$/);
    await expectText(page.locator('.page-head a.muted'), 'Customer');
    expect(await page.locator('.record-grid section.card > h2').allTextContents()).toEqual(expect.arrayContaining(['Basics', 'Contact details']));
    await screenshot(page, 'record-en');

    await page.locator('header.topbar button', { hasText: '中文' }).click();
    await expectText(page.locator('.page-head a.muted'), '客户');
    expect(await menuModules(page)).toContain('客户管理');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });
});

describe('signing out', () => {
  it('returns to the sign-in page, after which the list sends there too', async () => {
    const page = await signedIn('sales1');
    await page.goto('/r/customer');
    await page.locator('details.user-menu summary').click();
    await expectVisible(page.locator('details.user-menu .menu'));
    await screenshot(page, 'user-menu-zh');
    await page.locator('details.user-menu button', { hasText: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto('/r/customer');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/r/customer');
    await expectText(page.locator('h1'), '登录 Forma');
  });
});

describe('refused pages', () => {
  /** An error page of the app, inside the frame (the menu stays): the status, its title, and no stack trace. */
  async function expectErrorPage(page: Page, path: string, statuses: number[], title: RegExp) {
    const response = await page.goto(path);
    expect(statuses).toContain(response!.status());
    await expectText(page.locator('.page-error h1'), title);
    await expectVisible(page.locator('nav.sidebar'));
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/\bat .+:\d+:\d+|Error:|node_modules/);
    expect(await page.locator('pre.stack').count()).toBe(0);
    // The way back is there.
    await expectVisible(page.locator('.page-error a[href="/"]'));
    return response!.status();
  }

  it("answers a 404 page for another salesperson's customer", async () => {
    const page = await signedIn('sales1');
    const theirs = (await db.query<{ id: string }>('select id from ws_main.customer where owner_id = $1 limit 1', [await ownerId('sales2')])).rows[0]!.id;
    await expectErrorPage(page, `/r/customer/${theirs}`, [404], /^找不到这个页面$/);
    await screenshot(page, 'not-found-zh');
    // The same page is there for its owner.
    const owner = await signedIn('sales2');
    expect((await owner.goto(`/r/customer/${theirs}`))!.status()).toBe(200);
  });

  it('answers a 404/403 page for an entity the role may not read, or that does not exist', async () => {
    const page = await signedIn('sales1');
    await expectErrorPage(page, '/r/purchase_order', [403, 404], /^(找不到这个页面|没有权限)$/);
    await expectErrorPage(page, '/r/supplier', [403, 404], /^(找不到这个页面|没有权限)$/);
    await expectErrorPage(page, '/r/no_such_entity', [404], /^找不到这个页面$/);
    await expectErrorPage(page, '/r/customer/not-a-record-id', [400, 404], /^(找不到这个页面|页面出错了)$/);
    // The administrator reads purchase orders.
    const admin = await signedIn('admin');
    expect((await admin.goto('/r/purchase_order'))!.status()).toBe(200);
  });
});
