// POST /admin/change — every admin designer's validate / review / apply / purge / rollback
// (app/admin/use-change.ts posts here; app/admin/change.server.ts does the work).
import { requireAdministrator } from '../admin/admin.server.ts';
import { runChangeIntent } from '../admin/change.server.ts';
import { requireFormCsrf } from '../staff.server.ts';
import type { Route } from './+types/admin.change';

export async function action({ request, context }: Route.ActionArgs) {
  const admin = await requireAdministrator(request, context);
  const form = await request.formData();
  await requireFormCsrf(admin, form);
  return runChangeIntent(admin, form);
}
