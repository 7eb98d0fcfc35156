// What the admin designers' end-to-end tests share: every designer ends in the same change
// review (app/admin/change-review.tsx), so reviewing and applying a draft is done one way.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectVisible, pageApi, screenshot } from './support.ts';

/** The workspace's metadata version, asked through the metadata API as the admin signed in on `page`. */
export async function metadataVersion(page: Page): Promise<number> {
  const { status, body } = await pageApi(page, 'GET', '/api/v1/metadata');
  if (status !== 200) throw new Error(`GET /api/v1/metadata answered ${status}`);
  return body.version as number;
}

/**
 * Reviews the designer's draft, checks the plan may be applied (a screenshot of the page with it, when `shot` names one),
 * applies it (with `reason`, kept in the history), waits until the workspace is at the next version (the page may move on
 * meanwhile) and resolves to it.
 *
 * @example const version = await reviewAndApply(page, { shot: 'admin-story-restore-review' });
 */
export async function reviewAndApply(page: Page, { reason, shot }: { reason?: string; shot?: string } = {}): Promise<number> {
  const before = await metadataVersion(page);
  const review = page.locator('.change-review');
  const check = review.getByRole('button', { name: '检查变更' });
  // A designer may still be checking the draft (the template editor compiles it first).
  await expect.poll(() => check.isEnabled(), { timeout: 10_000 }).toBe(true);
  await check.click();
  await expectVisible(review.locator('.plan'));
  if (shot) await screenshot(page, shot);
  if (reason) await review.getByRole('textbox').fill(reason);
  const apply = review.getByRole('button', { name: '应用', exact: true });
  await expect.poll(() => apply.isEnabled()).toBe(true);
  await apply.click();
  await expect.poll(() => metadataVersion(page).catch(() => before), { timeout: 15_000 }).toBe(before + 1);
  return before + 1;
}
