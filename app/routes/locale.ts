// POST /locale — remembers the language chosen (a year, in a cookie) and goes back to the page.
import { redirect } from 'react-router';
import { safeNext } from '../staff.server.ts';
import { LOCALE_COOKIE, LOCALES } from '../text/index.ts';
import type { Route } from './+types/locale';

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const locale = LOCALES.find((l) => l === form.get('locale')) ?? 'zh-CN';
  return redirect(safeNext(String(form.get('back') ?? '/')), {
    headers: { 'Set-Cookie': `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax` },
  });
}
