import type { AppLoadContext } from 'react-router';
import { requireStaff, type Staff } from '../staff.server.ts';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import { t } from '../text/index.ts';

/** An administrator's request: the staff context plus the metadata version its model is at (a designer's `basedOn`). */
export type Admin = Staff & { version: number };

/**
 * The signed-in administrator of an admin page or action; anyone else gets a 403 page (the
 * engine refuses their changes anyway: `requireAdmin` in the apply path).
 *
 * @example export async function loader({ request, context }: Route.LoaderArgs) { const admin = await requireAdministrator(request, context); … }
 */
export async function requireAdministrator(request: Request, context: AppLoadContext | undefined): Promise<Admin> {
  const staff = await requireStaff(request, context);
  if (!staff.access.admin) throw new Response(t(staff.locale, 'admin_only'), { status: 403 });
  const { model, version } = await cachedModel(staff.db, staff.workspace);
  // The staff context read the same cache; should a change land in between, use the newer pair.
  return { ...staff, model, version };
}
