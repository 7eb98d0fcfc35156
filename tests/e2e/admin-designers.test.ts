// Issue 7's story across the designers, as an admin and a salesperson in two browsers: two
// customer fields added in the entity manager, placed in the form's second section and in the
// list, applied; staff fill them in, see them in the list and sort by one — no restart. Then a
// rename, an archive and a restore, a rollback to the version before the fields, and two admins
// changing the customer at once. Screenshots in tests/artifacts/admin-story-*.png.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { metadataVersion, reviewAndApply } from './admin-support.ts';
import { ADMIN_PASSWORD, DEMO_PASSWORD, expectText, expectVisible, screenshot, useAppDatabase, useE2E } from './support.ts';

const e2e = useE2E({ demoCustomers: 10 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

const control = (scope: Page | Locator, name: string) => scope.locator(`[data-control="${name}"]`).locator('input, select, textarea').first();
const fieldRow = (page: Page, field: string) => page.locator(`table.ae-fields tr[data-field="${field}"]`);

async function openEntity(page: Page): Promise<void> {
  await page.goto('/admin/entities/customer');
  await page.locator('.ae-designer[data-hydrated="true"]').waitFor({ timeout: 15_000 });
}

/** Opens the entity manager's editor on a new field with its labels (the machine name follows the English one). */
async function newField(page: Page, zh: string, en: string, type?: string): Promise<Locator> {
  await page.getByRole('button', { name: '+ 添加字段' }).click();
  const panel = page.locator('.ae-editor');
  await expectVisible(panel);
  if (type) await control(panel, 'type').selectOption(type);
  await control(panel, 'label.zh-CN').fill(zh);
  await control(panel, 'label.en').fill(en);
  return panel;
}

/** The staff form of a new customer, or of `id`, once its scripts run. */
async function openForm(page: Page, id?: string): Promise<void> {
  await page.goto(id ? `/r/customer/${id}/edit` : '/r/customer/new');
  await expectVisible(page.locator('.record-form-page[data-hydrated="true"] form#record-form'));
}

/** The list's column headers, without sort markers. */
const headers = async (page: Page) => (await page.locator('table.records thead th').allInnerTexts()).map((h) => h.replace(/[▲▼]/g, '').trim());
const stored = async (id: string) => (await db.query('select name, wechat, grade from ws_main.customer where id = $1', [id])).rows[0];

describe('designing the customer for staff, without a restart', () => {
  it('adds, places, lists, renames, archives, restores and rolls back two fields; staff follow each step', async () => {
    const admin = await signedIn('admin', ADMIN_PASSWORD);
    const staff = await signedIn('sales1', DEMO_PASSWORD);
    const start = await metadataVersion(admin);

    // Entity manager: a text field 微信号 and a select (A/B/C). The issue calls it 客户等级, which
    // the standard customer has already (level): the editor says so, and the admin picks 客户分级.
    await openEntity(admin);
    let panel = await newField(admin, '微信号', 'WeChat');
    expect(await control(panel, 'name').inputValue()).toBe('wechat');
    await panel.getByRole('button', { name: '完成' }).click();
    panel = await newField(admin, '客户等级', 'Grade', 'select');
    const namesake = panel.locator('[data-control="label.zh-CN"] .ae-namesake');
    await expectText(namesake, '字段 level 也叫「客户等级」：员工将看到两个同名字段');
    await screenshot(admin, 'admin-story-namesake');
    await control(panel, 'label.zh-CN').fill('客户分级');
    await expect.poll(() => namesake.count()).toBe(0);
    for (const [i, value] of ['A', 'B', 'C'].entries()) {
      await panel.getByRole('button', { name: '+ 添加选项' }).click();
      await control(panel, `option.${i}.value`).fill(value);
      await control(panel, `option.${i}.label.zh-CN`).fill(`${value} 级`);
      await control(panel, `option.${i}.label.en`).fill(`Grade ${value}`);
    }
    await panel.getByRole('button', { name: '完成' }).click();
    await screenshot(admin, 'admin-story-fields');
    await reviewAndApply(admin);

    // Form layout: both into the second section, 联系方式.
    await admin.goto('/admin/entities/customer/layout');
    await expectVisible(admin.locator('.al-page[data-hydrated="true"]'), 15_000);
    for (const label of ['微信号', '客户分级']) await admin.locator('.al-palette').getByLabel(`把「${label}」放入分组`).selectOption('contact_info');
    await expect.poll(() => admin.locator('.al-section[data-section="contact_info"] .al-field').evaluateAll((items) => items.map((li) => li.getAttribute('data-field'))))
      .toEqual(expect.arrayContaining(['wechat', 'grade']));
    await expectVisible(admin.locator('.al-preview section[data-section="contact_info"] [data-field="grade"]'));
    await screenshot(admin, 'admin-story-layout');
    await reviewAndApply(admin);

    // List view: both as columns.
    await admin.goto('/admin/entities/customer/list');
    await admin.locator('.alv-designer[data-hydrated=true]').waitFor({ timeout: 15_000 });
    for (const field of ['wechat', 'grade']) await admin.locator('select.alv-add-column').selectOption(field);
    await screenshot(admin, 'admin-story-list-view');
    const placed = await reviewAndApply(admin);

    // Staff, signed in all along: the form has both fields in 联系方式; what they save stays.
    await openForm(staff);
    await expectVisible(staff.locator('section[data-section="contact_info"] [data-field="wechat"]'));
    await expectVisible(staff.locator('section[data-section="contact_info"] [data-field="grade"]'));
    await staff.locator('#root_name').fill('微信测试客户');
    await staff.locator('#root_wechat').fill('wx-2026');
    await staff.locator('#root_grade').selectOption('B');
    await screenshot(staff, 'admin-story-staff-form');
    await staff.locator('.form-head button.primary').click();
    await staff.waitForURL(/\/r\/customer\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    const id = /([0-9a-f-]{36})$/.exec(new URL(staff.url()).pathname)![1]!;
    expect(await stored(id)).toEqual({ name: '微信测试客户', wechat: 'wx-2026', grade: 'B' });
    await expectText(staff.locator('main.content'), /wx-2026/);

    // The list shows both columns and sorts by 客户分级.
    await staff.goto('/r/customer');
    expect(await headers(staff)).toEqual(expect.arrayContaining(['微信号', '客户分级']));
    await staff.locator('table.records thead th a', { hasText: '客户分级' }).click();
    await staff.waitForURL(/sort=grade/);
    const gradeColumn = 1 + (await headers(staff)).indexOf('客户分级');
    expect(await staff.locator(`table.records tbody tr td:nth-child(${gradeColumn})`).first().innerText()).toBe('B 级');
    await screenshot(staff, 'admin-story-staff-list');

    // Renamed 微信号 → 微信: staff see the new label, the value is intact.
    await openEntity(admin);
    await fieldRow(admin, 'wechat').getByRole('button', { name: '编辑' }).click();
    await control(admin.locator('.ae-editor'), 'label.zh-CN').fill('微信');
    await admin.locator('.ae-editor').getByRole('button', { name: '完成' }).click();
    await reviewAndApply(admin);
    await openForm(staff, id);
    await expectText(staff.locator('[data-field="wechat"] .field-label'), '微信');
    expect(await staff.locator('#root_wechat').inputValue()).toBe('wx-2026');

    // Archived: gone from the form and the list (taken off both in the same change), kept in the database.
    await openEntity(admin);
    await fieldRow(admin, 'wechat').getByRole('button', { name: '归档' }).click();
    await reviewAndApply(admin, { shot: 'admin-story-archive-review' });
    await openForm(staff, id);
    expect(await staff.locator('[data-field="wechat"]').count()).toBe(0);
    await staff.goto('/r/customer');
    expect(await headers(staff)).not.toContain('微信');
    expect((await stored(id)).wechat).toBe('wx-2026');

    // Restored: the value is back on the form, in 联系方式 where it stood, and the column in the list.
    await openEntity(admin);
    await fieldRow(admin, 'wechat').getByRole('button', { name: '恢复' }).click();
    await reviewAndApply(admin, { shot: 'admin-story-restore-review' });
    await openForm(staff, id);
    expect(await staff.locator('section[data-section="contact_info"] #root_wechat').inputValue()).toBe('wx-2026');
    await staff.goto('/r/customer');
    expect(await headers(staff)).toContain('微信');

    // Rolled back to the version before the fields: both gone for staff, the record's other data intact.
    await admin.goto(`/admin/history/${start}`);
    await admin.getByRole('button', { name: '检查回滚计划' }).click();
    await expectVisible(admin.locator('.change-review .plan'));
    await screenshot(admin, 'admin-story-rollback-review');
    await admin.getByRole('button', { name: `回滚到版本 ${start}` }).click();
    await expectText(admin.locator('.change-review [role=status]'), /^已应用：版本 \d+$/, 15_000);
    expect(await metadataVersion(admin)).toBeGreaterThan(placed);
    await openForm(staff, id);
    expect(await staff.locator('[data-field="wechat"], [data-field="grade"]').count()).toBe(0);
    expect(await staff.locator('#root_name').inputValue()).toBe('微信测试客户');
    expect(await stored(id)).toEqual({ name: '微信测试客户', wechat: 'wx-2026', grade: 'B' });
    await admin.goto('/admin/history');
    // The rollback is in the history in the admin's words.
    await expectText(admin.locator('table tbody tr').first(), new RegExp(`回滚到版本 ${start}`));
    await screenshot(admin, 'admin-story-history');
    expect(e2e.problems(admin).uncaught).toEqual([]);
    expect(e2e.problems(staff).uncaught).toEqual([]);
  });

  it("shows the second of two admins editing the customer the first one's change instead of overwriting it", async () => {
    const first = await signedIn('admin', ADMIN_PASSWORD);
    const second = await signedIn('admin', ADMIN_PASSWORD);
    await openEntity(first);
    await openEntity(second);

    // The first renames 简称; the second, on the page loaded before that, renames 传真.
    await fieldRow(first, 'short_name').getByRole('button', { name: '编辑' }).click();
    await control(first.locator('.ae-editor'), 'label.zh-CN').fill('客户简称');
    await first.locator('.ae-editor').getByRole('button', { name: '完成' }).click();
    await reviewAndApply(first);

    await fieldRow(second, 'fax').getByRole('button', { name: '编辑' }).click();
    await control(second.locator('.ae-editor'), 'label.zh-CN').fill('传真号码');
    await second.locator('.ae-editor').getByRole('button', { name: '完成' }).click();
    const before = await metadataVersion(second);
    const review = second.locator('.change-review');
    await review.getByRole('button', { name: '检查变更' }).click();
    await expectVisible(review.locator('.plan'));
    await review.getByRole('button', { name: '应用', exact: true }).click();
    await expectVisible(review.locator('.conflict'));
    await expectText(review.locator('.conflict'), /字段「简称」的名称：简称 → 客户简称/);
    await screenshot(second, 'admin-story-conflict');
    expect(await metadataVersion(second)).toBe(before);
    const labels = (await db.query(`select body->'schema'->'properties'->'fax'->'x-forma'->'label'->>'zh-CN' as fax,
      body->'schema'->'properties'->'short_name'->'x-forma'->'label'->>'zh-CN' as short_name
      from forma.metadata_document where kind = 'entity' and name = 'customer' and valid_to is null`)).rows[0];
    expect(labels).toEqual({ fax: '传真', short_name: '客户简称' });

    // Loading theirs discards the draft: the page shows the applied state, and editing again works.
    await review.getByRole('link', { name: '放弃我的修改，载入最新版本' }).click();
    await openEntity(second);
    await expectText(fieldRow(second, 'short_name').locator('td').first(), /^客户简称/);
  });
});
