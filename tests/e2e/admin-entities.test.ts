// The entity manager as an admin uses it (issue 7, part 1), against the built app in headless
// Chromium (tests/e2e/support.ts): a new entity with a text, a select and a formula field whose
// records staff then create and list; a customer field added, renamed, archived, restored and
// purged, with the data checked in the database at each step; and bad input shown at its
// control with nothing applied. Screenshots in tests/artifacts/admin-entities-*.png.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { reviewAndApply } from './admin-support.ts';
import { ADMIN_PASSWORD, expectText, expectVisible, screenshot, useE2E, useAppDatabase } from './support.ts';

const e2e = useE2E({ demoCustomers: 5 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

/** The metadata version the workspace is at. */
async function version(): Promise<number> {
  return Number((await db.query(`select metadata_version as v from forma.workspace where name = 'main'`)).rows[0].v);
}

/** Opens an entity manager page and waits until its scripts run. */
async function openDesigner(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('.ae-designer[data-hydrated="true"]').waitFor({ timeout: 15_000 });
}

const control = (scope: Page | Locator, name: string) => scope.locator(`[data-control="${name}"]`);
const input = (scope: Page | Locator, name: string) => control(scope, name).locator('input, select, textarea').first();
const editor = (page: Page) => page.locator('.ae-editor');
const row = (page: Page, field: string) => page.locator(`table.ae-fields tr[data-field="${field}"]`);

async function labels(scope: Page | Locator, zh: string, en: string, prefix = ''): Promise<void> {
  await input(scope, `${prefix}label.zh-CN`).fill(zh);
  await input(scope, `${prefix}label.en`).fill(en);
}

/** Opens the editor on a new field and names it (the machine name follows the English label). */
async function addField(page: Page, zh: string, en: string, type?: string): Promise<Locator> {
  await page.getByRole('button', { name: '+ 添加字段' }).click();
  const panel = editor(page);
  await expectVisible(panel);
  if (type) await input(panel, 'type').selectOption(type);
  await labels(panel, zh, en);
  return panel;
}

const recordId = /\/r\/[a-z_]+\/([0-9a-f-]{36})$/;

describe('a new entity', () => {
  it('is created with a text, a select and a formula field, then staff create and list its records', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await page.goto('/admin/entities');
    await expectVisible(page.locator('table.ae-entities tr[data-entity="customer"]'));
    await expectText(page.locator('tr[data-entity="quote_line"] .ae-line-of'), '报价单的明细行');
    await screenshot(page, 'admin-entities-list');
    await page.getByRole('link', { name: '新建实体' }).click();
    await page.locator('.ae-designer[data-hydrated="true"]').waitFor({ timeout: 15_000 });
    const start = await version();

    await labels(page, '供应商评估', 'Supplier review', 'entity.');
    expect(await input(page, 'entity.name').inputValue()).toBe('supplier_review');
    await control(page, 'entity.icon').locator('summary').click();
    await control(page, 'entity.icon').locator('[data-icon-choice="clipboard-check"]').click();
    await input(page, 'entity.module').selectOption('purchase');
    // The record's name field is there from the start, required and naming the records.
    await expectText(row(page, 'name').locator('td').first(), /^名称/);
    await expectText(row(page, 'name').locator('.ae-marks'), /必填/);

    let panel = await addField(page, '联系人', 'Contact person');
    expect(await input(panel, 'name').inputValue()).toBe('contact_person');
    await panel.getByRole('button', { name: '完成' }).click();

    panel = await addField(page, '评级', 'Rating', 'select');
    const grades = [['A', '优秀', 'Excellent', '#388e3c'], ['B', '合格', 'Acceptable', '#fbc02d'], ['C', '不合格', 'Failing', '#d32f2f']];
    for (const [i, [value, zh, en, color]] of grades.entries()) {
      await panel.getByRole('button', { name: '+ 添加选项' }).click();
      await input(panel, `option.${i}.value`).fill(value!);
      await input(panel, `option.${i}.label.zh-CN`).fill(zh!);
      await input(panel, `option.${i}.label.en`).fill(en!);
      await input(panel, `option.${i}.color`).selectOption(color!);
    }
    await panel.locator('[data-control="required"] input').check();
    await screenshot(page, 'admin-entities-field-editor-select');
    await panel.getByRole('button', { name: '完成' }).click();

    panel = await addField(page, '评估摘要', 'Summary', 'formula');
    await input(panel, 'resultType').selectOption('text');
    // Live: a formula naming a field that is not there is refused under the box as it is typed.
    await input(panel, 'expression').fill('concat(name, " / ", ratng)');
    await expectText(control(panel, 'expression').locator('.field-error'), '公式引用了不存在或已归档的字段 "ratng"');
    await input(panel, 'expression').fill('concat(name, " / ", rating)');
    await expect.poll(() => control(panel, 'expression').locator('.field-error').count()).toBe(0);
    await expectVisible(panel.locator('.ae-formula-state.checked'));
    await panel.getByRole('button', { name: '完成' }).click();
    expect(await version()).toBe(start);

    await reviewAndApply(page);
    await page.waitForURL(/\/admin\/entities\/supplier_review$/);
    await expectText(page.locator('.ae-entity > .notice'), /实体已创建/);
    await expectVisible(control(page, 'entity.icon').locator('summary svg[data-icon="clipboard-check"]'));
    expect(await page.locator('table.ae-fields tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field'))))
      .toEqual(['name', 'contact_person', 'rating', 'summary']);

    // Staff: the menu lists it under its module, its form falls back to its fields, the list shows the record.
    await page.goto('/r/supplier_review/new');
    await expectVisible(page.locator('.record-form-page[data-hydrated="true"] form#record-form'));
    await expectText(page.locator('nav.sidebar section', { hasText: '采购管理' }).locator('a', { hasText: '供应商评估' }), '供应商评估');
    await page.locator('#root_name').fill('华东五金 2026 年度评估');
    await page.locator('#root_contact_person').fill('王芳');
    await page.locator('#root_rating').selectOption('B');
    await page.locator('.form-head button.primary').click();
    await page.waitForURL(recordId, { timeout: 15_000 });
    const id = recordId.exec(new URL(page.url()).pathname)![1]!;
    const saved = (await db.query('select name, contact_person, rating, summary from ws_main.supplier_review where id = $1', [id])).rows[0];
    expect(saved).toEqual({ name: '华东五金 2026 年度评估', contact_person: '王芳', rating: 'B', summary: '华东五金 2026 年度评估 / B' });
    await page.goto('/r/supplier_review');
    await expectText(page.locator('table.records tbody tr').first(), /华东五金 2026 年度评估/);
  });
});

describe('a customer field', () => {
  it('is added, renamed (staff see the new label), archived (gone, data kept), restored (back) and purged (column gone)', async () => {
    const admin = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(admin, '/admin/entities/customer');
    await screenshot(admin, 'admin-entities-manager');
    const panel = await addField(admin, '微信号', 'WeChat ID');
    expect(await input(panel, 'name').inputValue()).toBe('wechat_id');
    await input(panel, 'maxLength').fill('40');
    await panel.locator('[data-control="searchable"] input').check();
    await panel.getByRole('button', { name: '完成' }).click();
    await expectText(row(admin, 'wechat_id').locator('.ae-state'), '新字段');
    await reviewAndApply(admin);
    await expectText(row(admin, 'wechat_id').locator('.ae-state'), '使用中');

    // Renamed: a label only, in both languages.
    await row(admin, 'wechat_id').getByRole('button', { name: '编辑' }).click();
    await expect.poll(() => input(editor(admin), 'name').getAttribute('readonly')).not.toBeNull();
    await labels(editor(admin), '微信', 'WeChat');
    await editor(admin).getByRole('button', { name: '完成' }).click();
    await expectText(row(admin, 'wechat_id').locator('.ae-state'), '已修改');
    await reviewAndApply(admin);

    const customer = (await db.query(`select c.id from ws_main.customer c join forma."user" u on u.id = c.owner_id where u.login = 'sales1' order by c.id limit 1`)).rows[0].id as string;
    const staff = await signedIn('sales1');
    const openForm = async () => {
      await staff.goto(`/r/customer/${customer}/edit`);
      await expectVisible(staff.locator('.record-form-page[data-hydrated="true"] form#record-form'));
    };
    await openForm();
    await expectText(staff.locator('[data-field="wechat_id"] .field-label'), '微信');
    await staff.locator('#root_wechat_id').fill('wx-sales-001');
    await staff.locator('.form-head button.primary').click();
    await staff.waitForURL(recordId, { timeout: 15_000 });
    const stored = async () => (await db.query(`select wechat_id from ws_main.customer where id = $1`, [customer])).rows[0]?.wechat_id;
    expect(await stored()).toBe('wx-sales-001');

    // Archived: gone from the form, the value stays in its column.
    await openDesigner(admin, '/admin/entities/customer');
    await row(admin, 'wechat_id').getByRole('button', { name: '归档' }).click();
    await expectText(row(admin, 'wechat_id').locator('.ae-state'), '将在应用后归档');
    await reviewAndApply(admin);
    await expectText(row(admin, 'wechat_id').locator('.ae-state'), '已归档');
    await openForm();
    expect(await staff.locator('[data-field="wechat_id"]').count()).toBe(0);
    expect(await stored()).toBe('wx-sales-001');

    // Restored: back with its value.
    await row(admin, 'wechat_id').getByRole('button', { name: '恢复' }).click();
    await reviewAndApply(admin);
    await openForm();
    expect(await staff.locator('#root_wechat_id').inputValue()).toBe('wx-sales-001');

    // Purged: only archived fields, only after typing the name, and the column is gone.
    await row(admin, 'wechat_id').getByRole('button', { name: '归档' }).click();
    await reviewAndApply(admin);
    const before = await version();
    await row(admin, 'wechat_id').getByRole('button', { name: '永久删除…' }).click();
    const dialog = admin.locator('.ae-purge');
    await expectText(dialog.locator('.alert'), /删除数据库列 wechat_id/);
    const purge = dialog.getByRole('button', { name: '永久删除', exact: true });
    await dialog.locator('input').fill('wechat');
    expect(await purge.isEnabled()).toBe(false);
    await dialog.locator('input').fill('wechat_id');
    await purge.click();
    await expect.poll(version, { timeout: 15_000 }).toBe(before + 1);
    await expect.poll(() => row(admin, 'wechat_id').count()).toBe(0);
    const column = await db.query(`select 1 from information_schema.columns where table_schema = 'ws_main' and table_name = 'customer' and column_name = 'wechat_id'`);
    expect(column.rowCount).toBe(0);
  });
});

describe('bad input', () => {
  it('is shown at its control, and nothing is applied', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(page, '/admin/entities/customer');
    const panel = await addField(page, '电话', 'Phone');

    // A name in use (the suggestion from "Phone"), then one that is not a machine name.
    await expectText(control(panel, 'name').locator('.field-error'), '此实体已有字段 "phone"（含已归档字段）');
    await expectVisible(page.locator('.ae-fix-first'));
    // Nothing to review or apply while it stands.
    expect(await page.locator('.change-review').getByRole('button', { name: '应用', exact: true }).count()).toBe(0);
    await input(panel, 'name').fill('Phone-2');
    await expectText(control(panel, 'name').locator('.field-error'), /标识名须以小写字母开头/);
    await input(panel, 'name').fill('phone_2');
    await expect.poll(() => control(panel, 'name').locator('.field-error').count()).toBe(0);

    // Empty labels: said once the admin tries to close the field (an empty box is not yet a mistake).
    await input(panel, 'label.en').fill('');
    expect(await control(panel, 'label.en').locator('.field-error').count()).toBe(0);
    await panel.getByRole('button', { name: '完成' }).click();
    await expectText(control(panel, 'label.en').locator('.field-error'), '请填写名称');
    await input(panel, 'label.en').fill('Second phone');

    // A select whose options repeat a value.
    await input(panel, 'type').selectOption('select');
    for (const [i, value] of ['A', 'A'].entries()) {
      await panel.getByRole('button', { name: '+ 添加选项' }).click();
      await input(panel, `option.${i}.value`).fill(value);
      await input(panel, `option.${i}.label.zh-CN`).fill(`选项${i}`);
      await input(panel, `option.${i}.label.en`).fill(`Option ${i}`);
    }
    await expectText(control(panel, 'option.1.value').locator('.field-error'), '选项值 "A" 重复');
    await screenshot(page, 'admin-entities-error');
    await input(panel, 'option.1.value').fill('B');

    // A formula naming a field that does not exist: the engine's problem under the expression.
    await input(panel, 'type').selectOption('formula');
    await input(panel, 'expression').fill('credit_limit * missing_field');
    await expectText(control(panel, 'expression').locator('.field-error'), '公式引用了不存在或已归档的字段 "missing_field"');
    // Reviewed anyway: refused, the problem stays at its control, and Apply stays off.
    await page.locator('.change-review').getByRole('button', { name: '检查变更' }).click();
    await expectText(page.locator('.change-review .error-summary'), /元数据无效/);
    expect(await page.locator('.change-review').getByRole('button', { name: '应用', exact: true }).isEnabled()).toBe(false);
    await expectText(control(panel, 'expression').locator('.field-error'), '公式引用了不存在或已归档的字段 "missing_field"');
    await expectText(row(page, 'phone_2').locator('.ae-row-problems'), '1 个问题');

    // A lookup to an entity another admin archived meanwhile: the engine says so at the target.
    const other = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(other, '/admin/entities/task');
    await other.getByRole('button', { name: '归档实体' }).click();
    await reviewAndApply(other);
    const archived = await version();
    await input(panel, 'type').selectOption('lookup');
    await input(panel, 'target').selectOption('task');
    await expectText(control(panel, 'target').locator('.field-error'), '实体 "task" 已归档');

    // The type of an existing field where its data cannot follow.
    await panel.getByRole('button', { name: '取消' }).click();
    await row(page, 'credit_limit').getByRole('button', { name: '编辑' }).click();
    await input(editor(page), 'type').selectOption('multiselect');
    await panel.getByRole('button', { name: '+ 添加选项' }).click();
    await input(panel, 'option.0.value').fill('x');
    await input(panel, 'option.0.label.zh-CN').fill('甲');
    await input(panel, 'option.0.label.en').fill('X');
    await expectText(control(panel, 'type').locator('.field-error'), /不能从 money 类型改为 multiselect 类型/);

    expect(await version()).toBe(archived);
    const columns = await db.query(`select column_name from information_schema.columns where table_schema = 'ws_main' and table_name = 'customer' and column_name like 'phone_2%'`);
    expect(columns.rowCount).toBe(0);
  });
});

describe('an entity', () => {
  it('is renamed, archived (gone from the menu, table kept), restored, and purged only after typing its name', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    const table = async () => (await db.query(`select count(*)::int as n from ws_main.supplier_review`)).rows[0].n as number;
    const rows = await table();
    expect(rows).toBeGreaterThan(0);
    await openDesigner(page, '/admin/entities/supplier_review');
    // Renamed first, in both languages: the menu follows.
    await labels(page, '供应商年度评估', 'Annual supplier review', 'entity.');
    await reviewAndApply(page);
    const menuEntry = page.locator('nav.sidebar a', { hasText: '供应商年度评估' });
    await expectVisible(menuEntry);
    await expectText(page.locator('.page-head h1'), '供应商年度评估');

    await page.getByRole('button', { name: '归档实体' }).click();
    await reviewAndApply(page);
    await expectText(page.locator('.ae-archive-entity .notice'), /此实体已归档/);
    await expect.poll(() => menuEntry.count()).toBe(0);
    expect(await table()).toBe(rows);

    await page.getByRole('button', { name: '恢复实体' }).click();
    await reviewAndApply(page);
    await expectVisible(menuEntry);

    await page.getByRole('button', { name: '归档实体' }).click();
    await reviewAndApply(page);
    await page.locator('.ae-archive-entity').getByRole('button', { name: '永久删除…' }).click();
    const dialog = page.locator('.ae-purge');
    await expectText(dialog.locator('.alert'), /删除数据库表 supplier_review/);
    await dialog.locator('input').fill('supplier_review');
    await screenshot(page, 'admin-entities-purge');
    await dialog.getByRole('button', { name: '永久删除', exact: true }).click();
    await page.waitForURL(/\/admin\/entities$/, { timeout: 15_000 });
    expect(await page.locator('tr[data-entity="supplier_review"]').count()).toBe(0);
    const left = await db.query(`select 1 from information_schema.tables where table_schema = 'ws_main' and table_name = 'supplier_review'`);
    expect(left.rowCount).toBe(0);
  });
});

describe('in English', () => {
  it('shows the manager and the field editor in the admin\'s language', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await page.context().addCookies([{ name: 'forma_locale', value: 'en', url: e2e.app.url }]);
    await openDesigner(page, '/admin/entities/customer');
    await expectText(page.locator('#ae-fields-title'), 'Fields');
    await expectText(row(page, 'level').locator('td').nth(3), 'Choice');
    await row(page, 'level').getByRole('button', { name: 'Edit' }).click();
    await expectText(editor(page).locator('h2'), 'Edit field "Level"');
    expect(await input(editor(page), 'option.0.label.en').inputValue()).toBe('A');
    await screenshot(page, 'admin-entities-field-editor-en');
  });
});
