// The kanban board (issue 6 §7) and the global search with the caller lookup (§1, §6), as a
// salesperson uses them, in headless Chromium against the built app (tests/e2e/support.ts).
// Screenshots land in tests/artifacts/ (board, board-refused, search-results, search-caller…).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, expectAttribute, expectText, expectVisible, pageApi, screenshot, useAppDatabase, useE2E } from './support.ts';

const e2e = useE2E({ demoCustomers: 30 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

const column = (page: Page, stage: string) => page.locator(`.board-column[data-column="${stage}"]`);

/** Opens the board and waits until its script runs (a card can be picked up only then). */
async function openBoard(page: Page): Promise<void> {
  await page.goto('/r/opportunity/board');
  await expectText(page.locator('.page-head h1'), '销售机会看板');
  await expectVisible(page.locator('.board-card').first());
  // dnd-kit gives draggables their aria-roledescription once React took the page over.
  await expectAttribute(page.locator('.board-card').first(), 'aria-roledescription', '可拖动的卡片');
}

/**
 * A new opportunity of sales1's in the first column (初步接洽), due long ago so it comes first
 * in its column (the list view sorts by expected close): a card of the test's own.
 */
async function newCard(page: Page, name: string): Promise<{ id: string; version: number }> {
  const customer = (await pageApi(page, 'POST', '/api/v1/records/customer/query', { page: { size: 1 } })).body.records[0].id;
  const made = await pageApi(page, 'POST', '/api/v1/records/opportunity', { name, customer, stage: 'initial_contact', amount: 88000, expected_close: '2020-01-01' });
  expect(made.status).toBe(201);
  return { id: made.body.id, version: made.body.version };
}

/** Drags a card with the mouse onto a column, the way a person does (past dnd-kit's 6 px threshold, then across). */
async function drag(page: Page, card: Locator, target: Locator, shot?: string): Promise<void> {
  const from = (await card.boundingBox())!;
  await page.mouse.move(from.x + 40, from.y + 12);
  await page.mouse.down();
  await page.mouse.move(from.x + 52, from.y + 24, { steps: 4 });
  // Aim at the column where it is now (the board may scroll while a card is carried near its edge).
  await expect.poll(async () => {
    const to = (await target.boundingBox())!;
    await page.mouse.move(to.x + to.width / 2, to.y + Math.min(160, to.height / 2), { steps: 10 });
    return target.getAttribute('class');
  }).toContain('over');
  if (shot) await viewShot(page, shot);
  await page.mouse.up();
}

/**
 * A screenshot of the viewport only, in the middle of a drag: a full-page one resizes the
 * viewport for a moment, and dnd-kit cancels a drag when the window is resized.
 */
async function viewShot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
}

describe('the opportunity board', () => {
  it('shows a column per stage in option order with counts, and cards with amount, customer and owner', async () => {
    const page = await signedIn('sales1');
    await openBoard(page);
    expect(await page.locator('.board-column h2').allTextContents())
      .toEqual(['初步接洽', '需求确认', '方案报价', '商务谈判', '合同审批', '赢单在望', '赢单', '输单']);
    // Stage is required: no column for records without one.
    expect(await page.locator('.board-column[data-column=""]').count()).toBe(0);
    const story = page.locator('.board-card', { hasText: '新时代网络 机房服务器扩容' });
    await expectVisible(story);
    expect(await story.getAttribute('data-id')).toBeTruthy();
    expect(await column(page, 'negotiation').locator('.board-card', { hasText: '机房服务器扩容' }).count()).toBe(1);
    await expectText(story.locator('.type-money dd'), '¥180,000.00');
    await expectText(story.locator('.type-lookup dd'), '新时代网络公司');
    await expectText(story.locator('.type-user dd'), '李明（销售一部）');
    // Each count is the engine's count of the column, not of the cards loaded.
    const counts = await page.locator('.board-count').allTextContents();
    expect(counts.every((c) => /^\d+ 条$/.test(c))).toBe(true);
    // Back to the list from the board.
    expect(await page.locator('.view-switch a').getAttribute('href')).toBe('/r/opportunity');
    await screenshot(page, 'board');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });

  it('moves an opportunity to another stage by dragging it, and the move is saved', async () => {
    const page = await signedIn('sales1');
    const { id, version } = await newCard(page, '拖动测试 服务器采购');
    await openBoard(page);
    const [stage, target] = ['initial_contact', 'needs_confirmed'];
    const card = column(page, stage).locator(`.board-card[data-id="${id}"]`);
    const before = Number((await column(page, target).locator('.board-count').textContent())!.replace(/\D/g, ''));
    await drag(page, card, column(page, target), 'board-dragging');
    const moved = column(page, target).locator(`.board-card[data-id="${id}"]`);
    await expectVisible(moved);
    // Saved: the card carries the version the API returned, the next move is made against it.
    await expectAttribute(moved, 'data-version', String(version + 1));
    await expectText(column(page, target).locator('.board-count'), `${before + 1} 条`);
    expect(await column(page, stage).locator(`.board-card[data-id="${id}"]`).count()).toBe(0);
    expect((await pageApi(page, 'GET', `/api/v1/records/opportunity/${id}`)).body).toMatchObject({ stage: target, version: version + 1 });

    await page.reload();
    await expectVisible(column(page, target).locator(`.board-card[data-id="${id}"]`));
    expect(await column(page, stage).locator(`.board-card[data-id="${id}"]`).count()).toBe(0);
    expect(e2e.problems(page).uncaught).toEqual([]);
  });

  it('puts a card back and says why when the change is refused (someone changed the record meanwhile)', async () => {
    const page = await signedIn('sales1');
    const { id, version } = await newCard(page, '冲突测试 网络改造');
    await openBoard(page);
    const [stage, target] = ['initial_contact', 'needs_confirmed'];
    const card = column(page, stage).locator(`.board-card[data-id="${id}"]`);
    await expectVisible(card);
    // Someone else edits the record first: the board's version is now stale.
    const edit = await pageApi(page, 'PATCH', `/api/v1/records/opportunity/${id}`, { next_step: '电话确认预算', version });
    expect(edit.status).toBe(200);

    await drag(page, card, column(page, target));
    const refusal = page.locator('.board-refusal');
    await expectVisible(refusal);
    await expectText(refusal.locator('span'), /没能移到“需求确认”：记录已被他人修改：你编辑的是版本 \d+，当前为版本 \d+/);
    // Moments in the message as people read them, not ISO timestamps.
    expect(await refusal.innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    const back = column(page, stage).locator(`.board-card[data-id="${id}"]`);
    await expectVisible(back);
    expect(await back.getAttribute('class')).toContain('refused');
    expect(await column(page, target).locator(`.board-card[data-id="${id}"]`).count()).toBe(0);
    await screenshot(page, 'board-refused');
    expect((await pageApi(page, 'GET', `/api/v1/records/opportunity/${id}`)).body.stage).toBe(stage);

    // "Reload the board" brings the current version: the same move then goes through.
    await refusal.getByRole('button', { name: '刷新看板' }).click();
    await expectAttribute(column(page, stage).locator(`.board-card[data-id="${id}"]`), 'data-version', String(version + 1));
    await drag(page, column(page, stage).locator(`.board-card[data-id="${id}"]`), column(page, target));
    await expectAttribute(column(page, target).locator(`.board-card[data-id="${id}"]`), 'data-version', String(version + 2));
  });

  it('moves a card with the keyboard: space picks it up, an arrow key carries it to the next column, space drops it', async () => {
    const page = await signedIn('sales1');
    const { id } = await newCard(page, '键盘测试 软件升级');
    await openBoard(page);
    const card = column(page, 'initial_contact').locator(`.board-card[data-id="${id}"]`);
    await card.focus();
    await page.keyboard.press('Space');
    // Picked up: it hovers over its own column (dnd-kit listens for the arrow keys a tick later).
    await expect.poll(() => column(page, 'initial_contact').getAttribute('class')).toContain('over');
    await expect.poll(() => card.getAttribute('class')).toContain('dragging');
    await page.waitForTimeout(50);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => column(page, 'needs_confirmed').getAttribute('class')).toContain('over');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => column(page, 'proposal').getAttribute('class')).toContain('over');
    await viewShot(page, 'board-keyboard-drag');
    await page.keyboard.press('Space');
    await expectVisible(column(page, 'proposal').locator(`.board-card[data-id="${id}"]`));
    await expect.poll(async () => (await pageApi(page, 'GET', `/api/v1/records/opportunity/${id}`)).body.stage).toBe('proposal');
    // What happened is announced to screen readers in the person's language.
    await expect.poll(() => page.locator('[role="status"]').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/已移到“方案报价”/)]));
  });

  it('loads a long column page by page', async () => {
    const page = await signedIn('sales1');
    const customer = (await pageApi(page, 'POST', '/api/v1/records/customer/query', { page: { size: 1 } })).body.records[0].id;
    for (let i = 1; i <= 23; i++) {
      const made = await pageApi(page, 'POST', '/api/v1/records/opportunity', { name: `分页测试 ${String(i).padStart(2, '0')}`, customer, stage: 'contract_approval', amount: i * 1000 });
      expect(made.status).toBe(201);
    }
    await openBoard(page);
    const lane = column(page, 'contract_approval');
    const total = Number((await lane.locator('.board-count').textContent())!.replace(/\D/g, ''));
    expect(total).toBeGreaterThanOrEqual(23);
    expect(await lane.locator('.board-card').count()).toBe(20);
    await lane.getByRole('button', { name: '加载更多' }).click();
    await expect.poll(() => lane.locator('.board-card').count()).toBe(Math.min(total, 40));
    if (total <= 40) expect(await lane.locator('.board-more').count()).toBe(0);
    const ids = await lane.locator('.board-card').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the global search', () => {
  it('opens the caller card for a customer’s phone number, with its latest activities and orders', async () => {
    const page = await signedIn('sales1');
    const box = page.locator('.global-search input[name="q"]');
    await box.fill('021-6888 1234');
    await box.press('Enter');
    await page.waitForURL('**/search?q=*');
    await expectText(page.locator('#caller-heading'), '来电：021-6888 1234');
    // A single match opens straight on its card.
    const caller = page.locator('details.caller');
    expect(await caller.count()).toBe(1);
    expect(await caller.getAttribute('open')).not.toBeNull();
    await expectText(caller.locator('.caller-name'), '新时代网络公司');
    const activities = caller.locator('.caller-related', { hasText: '最近联系记录' });
    await expectVisible(activities);
    expect(await activities.locator('tbody tr').first().innerText()).toContain('拜访新时代网络，确认服务器配置');
    // Open orders only: the demo's 20 Dell Vostro order is shipped, not yet completed.
    const orders = caller.locator('.caller-related', { hasText: '未完成订单' });
    expect(await orders.locator('tbody tr').count()).toBe(1);
    expect(await orders.innerText()).toContain('已发货');
    // Once it is completed, it is no longer open.
    await db.query(`update ws_main.sales_order set status = 'completed' where customer = (select id from ws_main.customer where name = '新时代网络公司')`);
    await page.reload();
    await expectText(page.locator('details.caller .caller-related', { hasText: '未完成订单' }), /没有订单/);
    await db.query(`update ws_main.sales_order set status = 'shipped' where customer = (select id from ws_main.customer where name = '新时代网络公司')`);
    expect(await caller.locator('a.button', { hasText: '记一笔联系记录' }).getAttribute('href')).toMatch(/^\/r\/activity\/new\?customer=/);
    await screenshot(page, 'search-caller');
    expect(e2e.problems(page).uncaught).toEqual([]);
  });

  it('finds a contact by the mobile number with +86, under its customer', async () => {
    const page = await signedIn('sales1');
    await page.goto(`/search?q=${encodeURIComponent('+86 138 0013 8000')}`);
    const caller = page.locator('details.caller');
    await expectVisible(caller);
    await expectText(caller.locator('.caller-name'), '新时代网络公司');
    expect(await caller.locator('.caller-match').innerText()).toContain('张建华');
    expect(await caller.locator('.caller-match h4').innerText()).toBe('联系人 · 手机');
    await screenshot(page, 'search-caller-contact');
  });

  it('says so for a number nobody has, and keeps another salesperson’s customers out', async () => {
    const page = await signedIn('sales2');
    await page.goto(`/search?q=${encodeURIComponent('021-6888 1234')}`);
    await expectText(page.locator('.caller-panel p').first(), '没有找到这个号码的客户或联系人。');
    expect(await page.locator('details.caller').count()).toBe(0);
  });

  it('lists the hits of a text search grouped by entity, linking to the records', async () => {
    const page = await signedIn('sales1');
    const box = page.locator('.global-search input[name="q"]');
    await box.fill('新时代');
    await box.press('Enter');
    await page.waitForURL('**/search?q=*');
    await expectText(page.locator('.page-head h1'), '“新时代”的搜索结果');
    const groups = page.locator('.search-group');
    await expectVisible(groups.first());
    // The customer named so comes first.
    await expectText(groups.first().locator('h3'), '客户');
    expect(await page.locator('.search-group h3').allTextContents()).toEqual(expect.arrayContaining(['客户', '销售机会']));
    const customer = groups.first().locator('a', { hasText: '新时代网络公司' });
    expect(await customer.getAttribute('href')).toMatch(/^\/r\/customer\/[0-9a-f-]{36}$/);
    expect(await page.locator('.caller-panel').count()).toBe(0);
    await screenshot(page, 'search-results');
    await customer.click();
    await page.waitForURL('**/r/customer/*');

    await page.goto(`/search?q=${encodeURIComponent('没有这样的名字xyz')}`);
    await expectText(page.locator('p.empty'), '没有找到匹配的记录。');
  });
});
