// The module designer (issue 7, part 5) in headless Chromium against the built app
// (tests/e2e/support.ts): an administrator reorders two modules (keyboard drag), renames one in
// both languages, moves an entity to another module (by mouse drag and by picking) and applies;
// a salesperson signed in elsewhere sees the new menu on their next page, without a restart.
// A bad machine name shows at its control. Screenshots land in tests/artifacts/.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, expectAttribute, expectText, expectVisible, screenshot, useAppDatabase, useE2E } from './support.ts';

const e2e = useE2E({ demoCustomers: 10 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

/** The module headings of the staff menu, in order. */
const menuModules = (page: Page) => page.locator('nav.sidebar h2').allTextContents();
/** The entities of one module of the staff menu, in order. */
const menuEntities = (page: Page, module: string) =>
  page.locator('nav.sidebar section').filter({ has: page.locator('h2', { hasText: new RegExp(`^${module}$`) }) }).locator('li').allTextContents();
/** The designer's modules (machine names), in order. */
const designerModules = (page: Page) => page.locator('.module-list > section.module-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-module')));
const card = (page: Page, module: string) => page.locator(`section.module-card[data-module="${module}"]`);
const entitiesOf = (page: Page, module: string) => card(page, module).locator('li.entity-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entity')));

/** The current document of a module, as stored. */
async function storedModule(name: string): Promise<{ label: Record<string, string>; icon?: string; position: number; entities: string[] }> {
  const { rows } = await db.query("select body from forma.metadata_document where kind = 'module' and name = $1 and valid_to is null", [name]);
  return typeof rows[0].body === 'string' ? JSON.parse(rows[0].body) : rows[0].body;
}

describe('the module designer', () => {
  it('reorders, renames and regroups the menu in one applied change that staff see at once', async () => {
    const sales = await signedIn('sales1');
    expect(await menuModules(sales)).toEqual(['客户管理', '销售管理', '售后服务', '商品管理', '市场管理', '办公']);

    const admin = await signedIn('admin', ADMIN_PASSWORD);
    await admin.goto('/admin/modules');
    await admin.locator('.module-designer[data-hydrated=true]').waitFor({ timeout: 15_000 });
    expect(await designerModules(admin)).toEqual(['customers', 'sales', 'service', 'goods', 'marketing', 'purchase', 'finance', 'office']);
    await expectText(admin.locator('.module-preview h3').first(), '客户管理');
    await screenshot(admin, 'admin-modules-before');

    // Sales before customers, with the keyboard: focus the handle, Space, up, Space.
    await card(admin, 'sales').locator('.module-head .drag-handle').focus();
    for (const key of ['Space', 'ArrowUp', 'Space']) {
      await admin.keyboard.press(key);
      // dnd-kit measures and moves between the keys.
      await admin.waitForTimeout(150);
    }
    await expect.poll(() => designerModules(admin)).toEqual(['sales', 'customers', 'service', 'goods', 'marketing', 'purchase', 'finance', 'office']);

    // 售后服务 becomes 客户服务 / Customer care.
    await card(admin, 'service').getByLabel('中文名称').fill('客户服务');
    await card(admin, 'service').getByLabel('英文名称').fill('Customer care');
    // And a life buoy for its icon, from the picker.
    await card(admin, 'service').locator('.icon-picker summary').click();
    await screenshot(admin, 'admin-modules-icon-picker');
    await card(admin, 'service').getByRole('button', { name: 'life-buoy', exact: true }).click();
    await expectAttribute(card(admin, 'service').locator('.icon-picker summary svg'), 'data-icon', 'life-buoy');
    expect(await card(admin, 'service').locator('.icon-picker').getAttribute('open')).toBeNull();

    // The contract goes to the customers, dragged by its handle with the mouse onto the contacts.
    await card(admin, 'sales').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    const handle = (await card(admin, 'sales').locator('li[data-entity="contract"] .drag-handle').boundingBox())!;
    const target = (await card(admin, 'customers').locator('li[data-entity="contact"]').boundingBox())!;
    await admin.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await admin.mouse.down();
    await admin.mouse.move(handle.x + handle.width / 2, handle.y + 20, { steps: 4 });
    await admin.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await admin.mouse.move(target.x + target.width / 2, target.y + target.height / 2 + 2, { steps: 2 });
    await admin.mouse.up();
    await expect.poll(() => entitiesOf(admin, 'customers')).toContain('contract');
    expect(await entitiesOf(admin, 'sales')).not.toContain('contract');
    // Then exactly between the contacts and the activities, with the buttons.
    const contract = card(admin, 'customers').locator('li[data-entity="contract"]');
    while ((await entitiesOf(admin, 'customers')).indexOf('contract') > 2) await contract.getByRole('button', { name: '上移「合同」' }).click();
    while ((await entitiesOf(admin, 'customers')).indexOf('contract') < 2) await contract.getByRole('button', { name: '下移「合同」' }).click();
    expect(await entitiesOf(admin, 'customers')).toEqual(['customer', 'contact', 'contract', 'activity']);
    // And the campaign to the office by picking the module: its line items would follow it, it has none.
    await card(admin, 'marketing').locator('li[data-entity="campaign"] select').selectOption({ label: '办公' });
    expect((await entitiesOf(admin, 'office')).at(-1)).toBe('campaign');

    // The preview follows the draft, in either language.
    await expect.poll(() => admin.locator('.module-preview h3').allTextContents()).toEqual(
      ['销售管理', '客户管理', '客户服务', '商品管理', '市场管理', '采购管理', '财务管理', '办公']);
    await admin.locator('.preview-languages button', { hasText: 'English' }).click();
    await expectText(admin.locator('.module-preview h3').nth(2), 'Customer care');

    await admin.getByRole('button', { name: '检查变更' }).click();
    await expectText(admin.locator('.change-review p.muted').first(), '计划共 7 步，可以应用');
    // Sales and customers change places (and customers gets the contract), service its label, the
    // campaign leaves marketing for the office; the two entities moved. Nothing else is written.
    expect((await admin.locator('.change-review ol.plan li').allTextContents()).map((line) => line.replace(/^\S+ /, '')).sort()).toEqual([
      '更新实体 campaign', '更新实体 contract', '更新模块 customers', '更新模块 marketing', '更新模块 office',
      '更新模块 sales', '更新模块 service',
    ]);
    await screenshot(admin, 'admin-modules-review');
    const before = Number((await db.query('select max(version) as v from forma.metadata_version')).rows[0].v);
    await admin.getByRole('button', { name: '应用', exact: true }).click();
    await expectText(admin.locator('.change-review .notice'), `已应用：版本 ${before + 1}`);
    // The designer starts again from the applied version: nothing left to apply.
    await expect.poll(() => designerModules(admin)).toEqual(['sales', 'customers', 'service', 'goods', 'marketing', 'purchase', 'finance', 'office']);
    await expectVisible(admin.getByRole('button', { name: '检查变更' }));
    expect(await admin.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    // The admin's own frame follows too: the version, and their menu.
    await expectText(admin.locator('.admin-version'), `当前版本 ${before + 1}`);
    expect((await menuModules(admin)).slice(0, 3)).toEqual(['销售管理', '客户管理', '客户服务']);
    await screenshot(admin, 'admin-modules-applied');

    expect(await storedModule('service')).toMatchObject({ label: { 'zh-CN': '客户服务', en: 'Customer care' }, icon: 'life-buoy' });
    expect((await storedModule('sales')).position).toBeLessThan((await storedModule('customers')).position);
    expect((await storedModule('customers')).entities).toEqual(['customer', 'contact', 'contract', 'activity']);

    // The salesperson, signed in all along in their own browser, on their next page.
    await sales.goto('/');
    await expect.poll(() => menuModules(sales)).toEqual(['销售管理', '客户管理', '客户服务', '商品管理', '办公']);
    expect(await menuEntities(sales, '客户管理')).toEqual(['客户', '联系人', '合同', '联系记录']);
    expect(await menuEntities(sales, '销售管理')).toEqual(['销售机会', '报价单', '销售单', '发货单']);
    expect(await menuEntities(sales, '办公')).toEqual(expect.arrayContaining(['市场活动']));
    await screenshot(sales, 'admin-modules-staff-menu-zh');
    await sales.locator('.topbar button[name="locale"]').click();
    await expect.poll(() => menuModules(sales)).toEqual(['Sales', 'Customers', 'Customer care', 'Products', 'Office']);
    await screenshot(sales, 'admin-modules-staff-menu-en');
    expect(e2e.problems(admin).uncaught).toEqual([]);
    expect(e2e.problems(sales).uncaught).toEqual([]);
  });

  it('shows a bad machine name at its control, and removes an empty module it added', async () => {
    const admin = await signedIn('admin', ADMIN_PASSWORD);
    await admin.goto('/admin/modules');
    await admin.locator('.module-designer[data-hydrated=true]').waitFor({ timeout: 15_000 });
    await admin.getByRole('button', { name: '+ 新建模块' }).click();
    const added = admin.locator('.module-list > section.module-card').last();
    await added.getByLabel('英文名称').fill('Human resources');
    // The machine name follows the English label while it was not typed.
    expect(await added.getByLabel('标识').inputValue()).toBe('human_resources');
    await added.getByLabel('标识').fill('Human Resources');
    await expectText(added.locator('.module-name .field-error'), '标识须以小写字母开头，只含小写字母、数字和下划线，最多 48 个字符');
    await added.getByLabel('标识').fill('sales');
    await expectText(added.locator('.module-name .field-error'), '已有模块使用这个标识');
    // A good name; the Chinese label is still empty, which the review refuses too.
    await added.getByLabel('标识').fill('hr');
    await expectText(added.locator('.module-labels .field-error').first(), '请填写名称');
    await screenshot(admin, 'admin-modules-bad-input');
    await admin.getByRole('button', { name: '检查变更' }).click();
    await expectVisible(admin.locator('.change-review [role="alert"]').first());
    expect(await admin.getByRole('button', { name: '应用', exact: true }).isDisabled()).toBe(true);

    // A module holding entities cannot be removed; the empty one can.
    expect(await card(admin, 'goods').getByRole('button', { name: '删除模块「商品管理」' }).isDisabled()).toBe(true);
    await added.getByRole('button', { name: /删除模块/ }).click();
    await expect.poll(() => admin.locator('.module-list > section.module-card').count()).toBe(8);
    expect(await admin.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    expect(e2e.problems(admin).uncaught).toEqual([]);
  });
});
