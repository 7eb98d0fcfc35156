// The form layout designer as an administrator uses it (issue 7, part 2), in headless Chromium
// against the built app (tests/e2e/support.ts): fields dragged between sections with the mouse
// and with the keyboard, a new section in two columns with Chinese and English titles, a field
// shown and required only when a checkbox is ticked — seen in the live preview before anything
// is applied — then reviewed and applied; staff then get the new form, which refuses to save
// the conditional field empty, as the API does. Screenshots in tests/artifacts/admin-layout-*.png.
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ARTIFACTS_DIR, DEMO_PASSWORD, expectText, expectVisible, pageApi, screenshot, useAppDatabase, useE2E } from './support.ts';

const e2e = useE2E({ demoCustomers: 30 });
const db = useAppDatabase(e2e);

const { signedIn } = e2e;

/** The designer's part of the page (the preview renders the same sections' names). */
const designer = (page: Page) => page.locator('.al-designer');
const preview = (page: Page) => page.locator('.al-preview');
const designerSection = (page: Page, name: string) => designer(page).locator(`.al-section[data-section="${name}"]`);
/** The fields of a designer section, in order. */
const fieldsOf = (page: Page, name: string) => designerSection(page, name).locator('.al-field').evaluateAll((items) => items.map((li) => li.getAttribute('data-field')));
const handleOf = (page: Page, field: string) => designer(page).locator(`.al-field[data-field="${field}"] .drag-handle`);

/**
 * Drags with the mouse in small steps (dnd-kit starts a drag after 5 px), both ends in view,
 * running `during` (a screenshot) before the drop.
 */
async function drag(page: Page, from: Locator, to: Locator, during?: () => Promise<void>): Promise<void> {
  const top = (l: Locator) => l.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
  const [a0, b0] = [await top(from), await top(to)];
  // Both ends around the middle of the window: near its edges dnd-kit scrolls the page while dragging.
  await page.evaluate((y) => window.scrollTo(0, y), (a0 + b0) / 2 - 400);
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 - 12, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height * 0.75, { steps: 25 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height * 0.8, { steps: 3 });
  await during?.();
  await page.mouse.up();
}

/** A PNG of what the window shows (the preview stays in view beside the designer as the page scrolls). */
async function windowShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
}

async function openDesigner(page: Page): Promise<void> {
  await page.goto('/admin/entities/customer/layout');
  await expectVisible(page.locator('.al-page[data-hydrated="true"]'), 15_000);
}

beforeAll(async () => {
  // Two fields to make a condition with, added through the metadata API as an admin's script would.
  const page = await signedIn('admin', ADMIN_PASSWORD);
  const { body } = await pageApi(page, 'GET', '/api/v1/metadata');
  const customer = body.documents.find((d: { kind: string; name: string }) => d.kind === 'entity' && d.name === 'customer');
  customer.schema.properties.needs_invoice = { type: 'boolean', 'x-forma': { type: 'boolean', label: { 'zh-CN': '需要发票', en: 'Needs an invoice' } } };
  customer.schema.properties.invoice_title = { type: 'string', maxLength: 200, 'x-forma': { type: 'text', label: { 'zh-CN': '发票抬头', en: 'Invoice title' } } };
  const applied = await pageApi(page, 'POST', '/api/v1/metadata/apply', { upsert: [customer], reason: 'e2e: fields for the layout designer' });
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  // A customer that needs invoices but has no invoice title yet: the condition below waits for it.
  const created = await pageApi(page, 'POST', '/api/v1/records/customer', { name: '旧发票客户', needs_invoice: true });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  waiting = created.body.id;
  await page.context().close();
}, 60_000);

/** The customer the new `requiredWhen` finds without an invoice title. */
let waiting: string;

describe('the form layout designer', () => {
  it('arranges the customer form by dragging, adds a section and a condition, previews it live and applies it', async () => {
    const page = await signedIn('admin', ADMIN_PASSWORD);
    await openDesigner(page);
    await expectText(page.locator('.page-head h1'), '客户 · 表单布局');
    // The fields just added are not on the form yet: they wait in the palette.
    expect(await page.locator('.al-palette .al-field').evaluateAll((items) => items.map((li) => li.getAttribute('data-field')))).toEqual(['needs_invoice', 'invoice_title']);
    expect(await fieldsOf(page, 'contact_info')).toContain('postcode');

    // 邮政编码 dragged with the mouse from 联系方式 onto 负责人 in 基本信息, taking its place; the preview follows.
    // (A screenshot of the window only: a full-page one resizes the window, which cancels a drag.)
    await drag(page, handleOf(page, 'postcode'), designer(page).locator('.al-field[data-field="owner"]'),
      () => windowShot(page, 'admin-layout-dragging'));
    await expect.poll(() => fieldsOf(page, 'basic')).toEqual(['code', 'name', 'short_name', 'level', 'industry', 'source', 'postcode', 'owner']);
    expect(await fieldsOf(page, 'contact_info')).not.toContain('postcode');
    await expectVisible(preview(page).locator('section[data-section="basic"] [data-field="postcode"]'));

    // 生日 with the keyboard: Space picks it up, ↑ carries it into the section above, Space drops it.
    await page.waitForTimeout(300); // the mouse drop's animation settles before the keyboard drag measures the fields
    await handleOf(page, 'birthday').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => designer(page).locator('.al-field.dragging').getAttribute('data-field')).toBe('birthday');
    await page.waitForTimeout(50); // dnd-kit listens for the arrow keys a tick later
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => fieldsOf(page, 'finance')).toContain('birthday');
    await page.keyboard.press('Space');
    await expect.poll(() => designer(page).locator('.al-field.dragging').count()).toBe(0);
    expect(await fieldsOf(page, 'finance')).toEqual(['credit_limit', 'points', 'tax_no', 'birthday']);
    expect(await fieldsOf(page, 'personal')).not.toContain('birthday');

    // A new section: empty at first, which the designer says at the section, and the review waits.
    await page.getByRole('button', { name: '+ 添加分组' }).click();
    const invoice = designerSection(page, 'section_1');
    await expectText(invoice.locator('.field-error').first(), '分组中没有字段：拖入字段，或删除此分组');
    await expect.poll(() => page.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    await invoice.getByLabel('分组标题（中文）').fill('发票信息');
    await invoice.getByLabel('分组标题（英文）').fill('Invoice details');
    await invoice.getByLabel('列数').selectOption('2');
    for (const field of ['需要发票', '发票抬头']) {
      await page.locator('.al-palette').getByLabel(`把「${field}」放入分组`).selectOption('section_1');
    }
    expect(await fieldsOf(page, 'section_1')).toEqual(['needs_invoice', 'invoice_title']);
    await expect.poll(() => invoice.locator('.field-error').count()).toBe(0);

    // 发票抬头 shows, and is required, only when 需要发票 is ticked.
    const title = designer(page).locator('.al-field[data-field="invoice_title"]');
    await title.getByRole('button', { name: '「发票抬头」的设置' }).click();
    await title.getByLabel('「发票抬头」的显示条件').selectOption('simple');
    await expect.poll(() => title.locator('[data-condition="visibleWhen"] select').nth(1).inputValue()).toBe('needs_invoice');
    // Bad JSON in the advanced box: the error is at the box, and nothing can be reviewed meanwhile.
    await title.getByLabel('「发票抬头」的必填条件').selectOption('advanced');
    await title.locator('[data-condition="requiredWhen"] textarea').fill('{"properties": {"needs_invoice": {"const": true}}');
    await expectText(title.locator('[data-condition="requiredWhen"] .field-error'), /^不是有效的 JSON：/);
    await expect.poll(() => page.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
    await title.locator('[data-condition="requiredWhen"] textarea').fill('{"properties": {"needs_invoice": {"const": true}}, "required": ["needs_invoice"]}');
    await expect.poll(() => title.locator('[data-condition="requiredWhen"] .field-error').count()).toBe(0);
    await expectText(title.locator(".al-chip"), /条件显示\s+条件必填/);

    // The preview is the staff form on the draft: the new section, the title hidden until the box is ticked.
    const previewInvoice = preview(page).locator('section[data-section="section_1"]');
    await expectText(previewInvoice.locator('h2'), '发票信息');
    await expect.poll(() => previewInvoice.locator('[data-field="invoice_title"]').count()).toBe(0);
    await previewInvoice.locator('[data-field="needs_invoice"] input[type="checkbox"]').check();
    await expectVisible(previewInvoice.locator('[data-field="invoice_title"]'));
    await expectVisible(previewInvoice.locator('[data-field="invoice_title"] .required'));
    await invoice.scrollIntoViewIfNeeded();
    await windowShot(page, 'admin-layout-designer');
    await previewInvoice.locator('[data-field="needs_invoice"] input[type="checkbox"]').uncheck();
    await expect.poll(() => previewInvoice.locator('[data-field="invoice_title"]').count()).toBe(0);

    // Review, then apply: one change to the layout document.
    // The new condition is checked against the records first: one customer needs invoices and has
    // no title, so the plan is refused, the reason at the condition; once filled in, it passes.
    const review = page.getByRole('button', { name: '检查变更' });
    await review.click();
    await expectText(page.locator('.change-review .error-summary'), /./);
    const refusal = '1 条记录满足「发票抬头」的必填条件但此项为空，这些记录将无法再保存：先填写它们，才能设置这个条件';
    await expectText(title.locator('[data-condition="requiredWhen"] .field-error'), refusal);
    expect(await page.getByRole('button', { name: '应用' }).isDisabled()).toBe(true);
    await windowShot(page, 'admin-layout-review-refused');
    const filled = await pageApi(page, 'PATCH', `/api/v1/records/customer/${waiting}`, { invoice_title: '旧发票客户有限公司', version: 1 });
    expect(filled.status, JSON.stringify(filled.body)).toBe(200);
    await review.click();
    await expect.poll(() => page.locator('.change-review .plan li').allInnerTexts()).toEqual([
      '需数据检查 检查没有满足表单必填条件却未填写 customer.invoice_title 的记录 ✓ 检查通过',
      '安全 更新表单布局 customer_form',
    ]);
    await windowShot(page, 'admin-layout-review');
    await page.getByRole('button', { name: '应用' }).click();
    await expectText(page.locator('.change-review .notice'), /^已应用：版本 \d+$/);
    const { rows } = await db.query(`select body from forma.metadata_document where workspace = 'main' and kind = 'layout' and name = 'customer_form' and valid_to is null`);
    const stored = typeof rows[0].body === 'string' ? JSON.parse(rows[0].body) : rows[0].body;
    expect(stored.sections.map((s: { name: string }) => s.name)).toEqual(['basic', 'contact_info', 'finance', 'personal', 'section_1']);
    expect(stored.sections[4]).toEqual({
      name: 'section_1', label: { 'zh-CN': '发票信息', en: 'Invoice details' }, columns: 2,
      fields: ['needs_invoice', {
        field: 'invoice_title',
        visibleWhen: { properties: { needs_invoice: { const: true } }, required: ['needs_invoice'] },
        requiredWhen: { properties: { needs_invoice: { const: true } }, required: ['needs_invoice'] },
      }],
    });
    // Applied: nothing left to apply.
    await expect.poll(() => page.getByRole('button', { name: '检查变更' }).isDisabled()).toBe(true);
  });

  it('gives staff the new form: the arrangement, the condition, and no save with the conditional field empty', async () => {
    const page = await signedIn('sales1', DEMO_PASSWORD);
    await page.goto('/r/customer/new');
    await expectVisible(page.locator('.record-form-page[data-hydrated="true"] form#record-form'));
    await expectVisible(page.locator('section[data-section="basic"] [data-field="postcode"]'));
    await expectVisible(page.locator('section[data-section="finance"] [data-field="birthday"]'));
    const invoice = page.locator('section[data-section="section_1"]');
    await expectText(invoice.locator('h2'), '发票信息');
    await expect.poll(() => invoice.locator('[data-field="invoice_title"]').count()).toBe(0);

    await page.locator('#root_name').fill('发票测试有限公司');
    await invoice.locator('#root_needs_invoice').check();
    await expectVisible(invoice.locator('[data-field="invoice_title"] .required'));
    const before = (await db.query(`select count(*)::int as n from ws_main.customer`)).rows[0].n;
    await page.locator('.form-head button.primary').click();
    await expectText(invoice.locator('[data-field="invoice_title"] .field-error'), '此项必填');
    await expectText(page.locator('.form-alert'), '请先填写必填项：发票抬头');
    await screenshot(page, 'admin-layout-staff-form');
    expect((await db.query(`select count(*)::int as n from ws_main.customer`)).rows[0].n).toBe(before);

    await invoice.locator('#root_invoice_title').fill('发票测试有限公司');
    await page.locator('.form-head button.primary').click();
    await page.waitForURL(/\/r\/customer\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    const saved = (await db.query(`select needs_invoice, invoice_title from ws_main.customer where name = '发票测试有限公司'`)).rows;
    expect(saved).toEqual([{ needs_invoice: true, invoice_title: '发票测试有限公司' }]);
  });

  it('refuses the same record through the API, at the field, like any required field', async () => {
    const page = await signedIn('sales1', DEMO_PASSWORD);
    const refused = await pageApi(page, 'POST', '/api/v1/records/customer', { name: '接口测试公司', needs_invoice: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('record_invalid');
    expect(refused.body.error.problems).toEqual([{
      code: 'field_value_invalid', path: '/invoice_title',
      message: { 'zh-CN': '发票抬头：按表单布局的条件，此项必填', en: 'Invoice title: required by a condition of the form layout' },
    }]);
    const created = await pageApi(page, 'POST', '/api/v1/records/customer', { name: '接口测试公司', needs_invoice: true, invoice_title: '接口测试公司' });
    expect(created.status).toBe(201);
  });
});
