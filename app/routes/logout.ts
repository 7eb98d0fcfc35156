// POST /logout — signs out (the form in the frame's user menu) and goes to the sign-in page.
import { redirect } from 'react-router';
import { sessionCookie, sessionToken } from '../api/auth.server.ts';
import { signOut } from '../../engine/security/sessions.ts';
import { requireFormCsrf, requireStaff } from '../staff.server.ts';
import type { Route } from './+types/logout';

export async function action({ request, context }: Route.ActionArgs) {
  const staff = await requireStaff(request, context);
  await requireFormCsrf(staff, await request.formData());
  await signOut(staff.db, sessionToken(request)!, staff.address);
  return redirect('/login', { headers: { 'Set-Cookie': sessionCookie(request, '', 0) } });
}
