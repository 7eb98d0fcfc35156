// The admin's list view and numbering designers (issue 7, parts 3 and 4), in headless Chromium
// against the built app (tests/e2e/support.ts): the customer list's columns reordered by mouse,
// keyboard and buttons, a width, a pinned column and a default sort, applied and then seen by a
// salesperson; the quote numbering changed to QT + YYYYMM + - + 5 digits with its live preview,
// applied, and the next quote numbered as previewed. Bad input shows at its control and nothing
// is applied. Screenshots land in tests/artifacts/.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { reviewAndApply } from './admin-support.ts';
import { ADMIN_PASSWORD, expectText, expectVisible, pageApi, screenshot, useAppDatabase, useE2E } from './support.ts';

const e2e = useE2E({ demoCustomers: 30 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

/** Opens a designer and waits until its scripts run (dragging needs them). */
async function openDesigner(page: Page, path: string, root: '.alv-designer' | '.anb-designer'): Promise<void> {
  await page.goto(path);
  await page.locator(`${root}[data-hydrated=true]`).waitFor({ timeout: 15_000 });
}

/** The metadata version (the admin frame shows it). */
async function metadataVersion(): Promise<number> {
  return Number((await db.query('select max(version) as v from forma.metadata_version')).rows[0].v);
}

/** The fields of the designer's columns, in order. */
const designerColumns = (page: Page) => page.locator('li.alv-column').evaluateAll((items) => items.map((li) => li.getAttribute('data-field')));
const columnRow = (page: Page, field: string) => page.locator(`li.alv-column[data-field="${field}"]`);

/** Drags a column by its handle with the mouse onto another column's place, the way a person does. */
async function dragColumn(page: Page, field: string, onto: string): Promise<void> {
  const from = (await columnRow(page, field).locator('.drag-handle').boundingBox())!;
  const to = (await columnRow(page, onto).boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 8, { steps: 4 });
  await page.mouse.move(from.x + from.width / 2, to.y + to.height / 3, { steps: 12 });
  await page.mouse.up();
}

/** The header texts of a table, without the sort marks and the empty selection column. */
async function headerTexts(table: Locator): Promise<string[]> {
  return (await table.locator('thead th').allTextContents()).map((h) => h.replace(/ [▲▼]\d*$/, '').trim()).filter(Boolean);
}

/** Compares as PostgreSQL does in the C.UTF-8 collation of the test cluster (code points). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('the list view designer', () => {
  it('reorders, sizes, pins and sorts the customer list for everybody', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(page, '/admin/entities/customer/list', '.alv-designer');
    expect(await designerColumns(page)).toEqual(['code', 'name', 'level', 'phone', 'region', 'industry', 'source', 'owner', 'credit_limit', 'points']);

    // Mouse: 客户等级 to the front.
    await dragColumn(page, 'level', 'code');
    await expect.poll(() => designerColumns(page)).toEqual(['level', 'code', 'name', 'phone', 'region', 'industry', 'source', 'owner', 'credit_limit', 'points']);
    // Keyboard: the last column two places up (Space, ↑, ↑, Space on its handle).
    await columnRow(page, 'points').locator('.drag-handle').focus();
    for (const key of ['Space', 'ArrowUp', 'ArrowUp', 'Space']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(150);
    }
    await expect.poll(() => designerColumns(page)).toEqual(['level', 'code', 'name', 'phone', 'region', 'industry', 'source', 'points', 'owner', 'credit_limit']);
    // The ↑ button: 电话 before 客户名称.
    await columnRow(page, 'phone').getByRole('button', { name: /^上移/ }).click();
    const order = ['level', 'code', 'phone', 'name', 'region', 'industry', 'source', 'points', 'owner', 'credit_limit'];
    expect(await designerColumns(page)).toEqual(order);

    // A width out of range: the error at the width, no review, nothing applied.
    const before = await metadataVersion();
    const width = columnRow(page, 'name').locator('input.alv-width');
    await width.fill('10');
    await expectText(columnRow(page, 'name').locator('.field-error'), '宽度应为 40–800 之间的整数，或留空（自动）');
    expect(await width.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.change-review').getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    expect(await page.locator('.change-review').getByRole('button', { name: '应用', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'admin-list-view-bad-width');
    await width.fill('300');
    await expect.poll(() => columnRow(page, 'name').locator('.field-error').count()).toBe(0);
    expect(await metadataVersion()).toBe(before);

    // 电话 pinned: people may no longer hide it.
    await columnRow(page, 'phone').locator('input[name=hideable]').uncheck();
    // Default sort: by name, ascending (instead of the newest code first).
    await page.getByLabel('排序字段 1', { exact: true }).selectOption('name');
    await page.getByLabel('排序方向 1', { exact: true }).selectOption('asc');

    // A default filter through the staff filter builder: the preview lists only what it keeps; then it goes again.
    const count = async (where: string) => Number((await db.query(`select count(*) as n from ws_main.customer where deleted_at is null${where}`)).rows[0].n);
    const total = page.locator('.alv-preview-head > .muted').first();
    const filter = page.locator('.alv-filter');
    await filter.getByRole('button', { name: '设置默认筛选' }).click();
    await filter.getByRole('button', { name: '+ 添加条件', exact: true }).click();
    const condition = filter.locator('.condition').first();
    await condition.locator('select.field-pick').selectOption('level');
    await condition.locator('select.op-pick').selectOption('eq');
    await condition.locator('select.value').selectOption('VIP');
    await filter.locator('.builder-actions button.primary').click();
    await expectText(filter.locator('.filter-summary'), /^客户等级 .+ VIP$/);
    await expectText(total, `共 ${await count(" and level = 'VIP'")} 条`);
    await filter.getByRole('button', { name: '取消默认筛选' }).click();
    await expectText(total, `共 ${await count('')} 条`);

    // The preview follows the draft: its columns, the width, and real records sorted by name.
    const preview = page.locator('table.alv-preview-table');
    const labels = await page.locator('li.alv-column .alv-column-name strong').allTextContents();
    await expect.poll(() => headerTexts(preview)).toEqual(labels);
    await expect.poll(async () => {
      const names = await preview.locator(`tbody td:nth-child(${order.indexOf('name') + 1})`).allTextContents();
      return names.length > 1 && names.join('\n') === [...names].sort(byCodePoint).join('\n');
    }, { timeout: 10_000 }).toBe(true);
    expect(await preview.locator('th[data-field=name]').evaluate((th) => (th as HTMLElement).style.width)).toBe('300px');
    await expectText(preview.locator('th[data-field=name]'), `${labels[order.indexOf('name')]} ▲`);
    await expect.poll(() => page.locator('.alv-preview').getAttribute('aria-busy')).toBe('false');
    await screenshot(page, 'admin-list-view-designer');

    const version = await reviewAndApply(page);
    expect(version).toBeGreaterThan(before);
    expect(e2e.problems(page).uncaught).toEqual([]);
    expect(e2e.problems(page).console).toEqual([]);

    // A salesperson, in another browser: the admin's order and sort, the pinned column not hideable.
    const sales = await signedIn('sales1');
    await sales.goto('/r/customer');
    await sales.locator('.list-tools[data-hydrated=true]').waitFor({ timeout: 15_000 });
    const list = sales.locator('table.records');
    expect(await headerTexts(list)).toEqual(labels);
    const nameLabel = labels[order.indexOf('name')]!;
    await expectText(list.locator('thead th', { hasText: nameLabel }), `${nameLabel} ▲`);
    const nameColumn = 1 + (await list.locator('thead th').allTextContents()).findIndex((h) => h.startsWith(nameLabel));
    const names = await list.locator(`tbody tr td:nth-child(${nameColumn})`).allTextContents();
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual([...names].sort(byCodePoint));
    expect(await list.locator('thead th', { hasText: nameLabel }).evaluate((th) => (th as HTMLElement).style.width)).toBe('300px');
    await sales.locator('[data-testid=column-menu] summary').click();
    const phoneLabel = labels[order.indexOf('phone')]!;
    expect(await sales.locator('[data-testid=column-menu] label', { hasText: phoneLabel }).locator('input').isDisabled()).toBe(true);
    expect(await sales.locator('[data-testid=column-menu] label', { hasText: labels[order.indexOf('region')]! }).locator('input').isDisabled()).toBe(false);
    await screenshot(sales, 'admin-list-view-as-sales');
  });
});

describe('a list view column one lookup away', () => {
  it('previews the looked-up record\'s field', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(page, '/admin/entities/contact/list', '.alv-designer');
    await page.locator('select.alv-add-column').selectOption('customer.level');
    const row = columnRow(page, 'customer.level');
    await expectVisible(row);
    expect(await row.locator('.field-error').count()).toBe(0);
    const preview = page.locator('table.alv-preview-table');
    const at = 1 + (await preview.locator('thead th').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-field')))).indexOf('customer.level');
    expect(at).toBeGreaterThan(0);
    await expect.poll(async () => (await preview.locator(`tbody td:nth-child(${at})`).allInnerTexts()).filter(Boolean).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const levels = await preview.locator(`tbody td:nth-child(${at})`).allInnerTexts();
    expect(levels.every((level) => ['A 类', 'B 类', 'C 类', 'VIP', ''].includes(level.trim())), levels.join(',')).toBe(true);
    await screenshot(page, 'admin-list-view-lookup-column');
  });
});

describe('the numbering designer', () => {
  /** Today in the workspace's time zone, as the engine dates numbers. */
  const today = () => {
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()).split('-');
    return { year: year!, month: month! };
  };
  /** The sequence the quote rule gives next this month: its counter (none drawn yet: the start, 1) plus one step. */
  const nextQuoteSequence = async () => {
    const { year, month } = today();
    const row = (await db.query(`select value from forma.number_counter where rule = 'quote_number' and period = $1`, [`${year}-${month}`])).rows[0];
    return row ? Number(row.value) + 1 : 1;
  };

  it('lists every rule with its next number', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await page.goto('/admin/numbering');
    const quote = page.locator('tr[data-rule=quote_number]');
    await expectVisible(quote);
    const { year, month } = today();
    expect(await quote.locator('td').nth(1).innerText()).toBe('BJ{YYYY}{MM}-{####}');
    expect(await quote.locator('td.usages').innerText()).toBe('报价单 · 报价单号');
    expect(await quote.locator('td.next-number').innerText()).toBe(`BJ${year}${month}-${String(await nextQuoteSequence()).padStart(4, '0')}`);
    expect(await page.locator('tr[data-rule]').count()).toBe(12);
    await screenshot(page, 'admin-numbering-rules');
    // In English too.
    await page.context().addCookies([{ name: 'forma_locale', value: 'en', url: e2e.app.url }]);
    await openDesigner(page, '/admin/numbering/quote_number', '.anb-designer');
    await expectText(page.locator('h1'), 'Numbering rule: Quote number');
    expect(await page.locator('[data-place=date] select option:checked').innerText()).toMatch(/^Year\+month \(\d{6}\)$/);
    await screenshot(page, 'admin-numbering-designer-en');
  });

  it('builds the quote pattern from parts, previews the next numbers, and the next quote gets the first one', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(page, '/admin/numbering/quote_number', '.anb-designer');
    const { year, month } = today();
    const next = await nextQuoteSequence();
    const numbers = page.locator('[data-testid=next-numbers] li');
    const at = (place: string) => page.locator(`[data-place=${place}]`);
    const review = page.locator('.change-review');
    await expect.poll(() => numbers.allInnerTexts()).toEqual([0, 1, 2].map((i) => `BJ${year}${month}-${String(next + i).padStart(4, '0')}`));

    // Restarting yearly would give this month's numbers again: the preview says they are taken.
    expect(next).toBeGreaterThan(1);
    await at('reset').locator('select').selectOption('yearly');
    const taken = [1, 2, 3].filter((n) => n < next).map((n) => `BJ${year}${month}-000${n}`).join('、');
    await expectText(page.locator('.anb-preview .notice'), `${taken} 已被报价单使用：按此规则新建时编号会重复而无法保存。请换前缀或调大起始值。`);
    await screenshot(page, 'admin-numbering-taken');
    await at('reset').locator('select').selectOption('monthly');
    await expect.poll(() => page.locator('.anb-preview .notice').count()).toBe(0);

    await at('prefix').locator('input').fill('QT');
    await at('digits').locator('input').fill('5');
    expect(await at('pattern').locator('input').inputValue()).toBe('QT{YYYY}{MM}-{#####}');
    const expected = [0, 1, 2].map((i) => `QT${year}${month}-${String(next + i).padStart(5, '0')}`);
    await expect.poll(() => numbers.allInnerTexts()).toEqual(expected);

    // Bad input at the control, nothing applied: too many digits; a pattern without a sequence.
    const before = await metadataVersion();
    await at('digits').locator('input').fill('13');
    await expectText(at('digits').locator('.field-error'), '流水号位数应在 1 到 12 之间');
    await expectText(page.locator('.anb-preview p').first(), '格式有误，改正后显示预览。');
    expect(await review.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    await at('digits').locator('input').fill('5');
    await at('pattern').locator('input').fill('QT{YYYY}{MM}-');
    await expectText(at('pattern').locator('.field-error'), '格式中必须有一个流水号，如 {####}');
    expect(await at('prefix').count()).toBe(0);
    expect(await review.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    await screenshot(page, 'admin-numbering-bad-pattern');
    await at('pattern').locator('input').fill('QT{YYYY}{MM}-{#####}');
    expect(await at('prefix').locator('input').inputValue()).toBe('QT');
    // The engine's own check, at the reset period: a daily sequence needs the day in the number.
    await at('reset').locator('select').selectOption('daily');
    await expectText(at('reset').locator('.field-error'), /必须包含 \{YYYY\}\{MM\}\{DD\}，否则编号会重复/);
    await at('reset').locator('select').selectOption('monthly');
    await expect.poll(() => at('reset').locator('.field-error').count()).toBe(0);
    expect(await metadataVersion()).toBe(before);

    await expect.poll(() => numbers.allInnerTexts()).toEqual(expected);
    await screenshot(page, 'admin-numbering-designer');
    await reviewAndApply(page);
    expect(e2e.problems(page).uncaught).toEqual([]);
    expect(e2e.problems(page).console).toEqual([]);

    // The next quote gets the first number the preview showed.
    const customer = (await pageApi(page, 'POST', '/api/v1/records/customer/query', { page: { size: 1 } })).body.records[0].id;
    const made = await pageApi(page, 'POST', '/api/v1/records/quote', { customer });
    expect(made.status).toBe(201);
    expect(made.body.number).toBe(expected[0]);
    expect(made.body.number).toMatch(/^QT\d{6}-\d{5}$/);
    // The overview shows the new pattern and the number after it.
    await page.goto('/admin/numbering');
    const quote = page.locator('tr[data-rule=quote_number]');
    expect(await quote.locator('td').nth(1).innerText()).toBe('QT{YYYY}{MM}-{#####}');
    expect(await quote.locator('td.next-number').innerText()).toBe(expected[1]);
  });

  it('creates a new rule, at its own address once applied', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(page, '/admin/numbering/new', '.anb-designer');
    const at = (place: string) => page.locator(`[data-place=${place}]`);
    await at('name').locator('input').fill('quote_number');
    await expectText(at('name').locator('.field-error'), '已有名为「quote_number」的编号规则');
    await at('name').locator('input').fill('invoice_number');
    await at('labelZh').locator('input').fill('发票号');
    await at('labelEn').locator('input').fill('Invoice number');
    await at('prefix').locator('input').fill('FP');
    const { year, month } = today();
    await expect.poll(() => page.locator('[data-testid=next-numbers] li').allInnerTexts()).toEqual([1, 2, 3].map((n) => `FP${year}${month}-000${n}`));
    await screenshot(page, 'admin-numbering-new');
    const review = page.locator('.change-review');
    await review.getByRole('button', { name: '检查变更' }).click();
    await expectVisible(review.locator('.plan'));
    await review.getByRole('button', { name: '应用', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/numbering/invoice_number');
    await expectText(page.locator('.notice[role=status]'), /^已应用：版本 \d+$/);
    await expectText(page.locator('h1'), '编号规则：发票号');
    await page.goto('/admin/numbering');
    expect(await page.locator('tr[data-rule=invoice_number] td').nth(1).innerText()).toBe('FP{YYYY}{MM}-{####}');
    expect(await page.locator('tr[data-rule=invoice_number] td.usages').innerText()).toBe('未使用');
  });
});
