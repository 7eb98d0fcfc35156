import { redirect, type AppLoadContext } from 'react-router';
import type { Kysely } from 'kysely';
import { sessionToken } from './api/auth.server.ts';
import { getConfig } from './config.server.ts';
import { getDatabase } from './db.server.ts';
import { cachedModel } from '../engine/metadata/model-cache.ts';
import type { Model } from '../engine/metadata/model.ts';
import type { RecordsContext } from '../engine/records/context.ts';
import { accessOf, type Access } from '../engine/security/access.ts';
import { csrfTokenMatches, sessionFor, type Session } from '../engine/security/sessions.ts';
import { localeOf, type Locale } from './text/index.ts';

/** Everything a staff screen's loader or action works with, for the signed-in person. */
export interface Staff {
  session: Session;
  db: Kysely<any>;
  workspace: string;
  ctx: RecordsContext;
  model: Model;
  access: Access;
  locale: Locale;
  address?: string;
}

/**
 * The signed-in person of a page request, or a redirect to the sign-in page that comes back to
 * this page afterwards. Pages use the same cookie sessions as the API (docs/security.md).
 *
 * @example export async function loader({ request, context }: Route.LoaderArgs) { const staff = await requireStaff(request, context); … }
 */
export function requireStaff(request: Request, context: AppLoadContext | undefined): Promise<Staff> {
  // The frame's loader and the screen's run for the same request: one session read serves both.
  let staff = staffOfRequest.get(request);
  if (!staff) staffOfRequest.set(request, (staff = readStaff(request, context)));
  return staff;
}

const staffOfRequest = new WeakMap<Request, Promise<Staff>>();

async function readStaff(request: Request, context: AppLoadContext | undefined): Promise<Staff> {
  const db = (await getDatabase()).db;
  const token = sessionToken(request);
  const address = context?.clientAddress;
  const session = token === undefined ? undefined : await sessionFor(db, token, address);
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const workspace = getConfig().workspace;
  const { model } = await cachedModel(db, workspace);
  return {
    session, db, workspace, ctx: { db, workspace }, model,
    access: await accessOf(db, workspace, session.actor, model), locale: localeOf(request), address,
  };
}

/**
 * A form post of a staff page must carry the session's CSRF token (`_csrf`, put in every form
 * by the frame): another site can make the browser post the cookie, not read the token.
 */
export async function requireFormCsrf(staff: Staff, form: FormData): Promise<void> {
  const given = form.get('_csrf');
  if (!(await csrfTokenMatches(staff.db, staff.session, typeof given === 'string' ? given : null, staff.address))) {
    throw new Response('CSRF', { status: 403 });
  }
}

/** Where to go after signing in: a path of this site only, never another site (`//evil.example`). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
