// GET /r/:entity/board/cards?column=<option>&after=<cursor> — the next page of a board column
// ("load more" on the kanban), as JSON: { cards, next? }. A resource route of the staff screens:
// the session cookie, the person's record scope and hidden fields, like the board itself.
import { isFormaError } from '../../engine/errors.ts';
import { columnPage, kanbanOf } from '../board/board.server.ts';
import { readableEntity } from '../records.server.ts';
import { requireStaff, type Staff } from '../staff.server.ts';
import { t } from '../text/index.ts';
import type { Route } from './+types/board.cards';

const noStore = { 'Cache-Control': 'no-store' };

export async function loader({ request, params, context }: Route.LoaderArgs) {
  let staff: Staff;
  try {
    staff = await requireStaff(request, context);
  } catch (error) {
    // Signed out meanwhile: say so in JSON rather than answering with the sign-in page.
    if (error instanceof Response && error.status >= 300 && error.status < 400) {
      return refusal(401, 'unauthenticated', { 'zh-CN': t('zh-CN', 'board_signed_out'), en: t('en', 'board_signed_out') });
    }
    throw error;
  }
  const url = new URL(request.url);
  let kanban;
  try {
    kanban = kanbanOf(staff, readableEntity(staff, params.entity));
  } catch (error) {
    if (error instanceof Response) {
      const text = await error.text(); // already in the person's language
      return refusal(error.status, error.status === 403 ? 'permission_denied' : 'not_found', { 'zh-CN': text, en: text });
    }
    throw error;
  }
  const key = url.searchParams.get('column') ?? '';
  if (!kanban || !kanban.columns.some((c) => c.key === key)) {
    return refusal(404, 'not_found', { 'zh-CN': t('zh-CN', 'not_found_title'), en: t('en', 'not_found_title') });
  }
  try {
    return Response.json(await columnPage(staff, kanban, key, url.searchParams.get('after') ?? undefined), { headers: noStore });
  } catch (error) {
    if (isFormaError(error)) return Response.json({ error: error.toJSON() }, { status: error.code === 'permission_denied' ? 403 : 400, headers: noStore });
    throw error;
  }
}

function refusal(status: number, code: string, message: Record<string, string>): Response {
  return Response.json({ error: { code, message, problems: [] } }, { status, headers: noStore });
}
