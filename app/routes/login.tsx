import { Form, redirect, useActionData, useNavigation } from 'react-router';
import { sessionCookie, sessionToken } from '../api/auth.server.ts';
import { getDatabase } from '../db.server.ts';
import { isFormaError } from '../../engine/errors.ts';
import { sessionFor, signIn } from '../../engine/security/sessions.ts';
import { safeNext } from '../staff.server.ts';
import { localeOf, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/login';

export const meta: Route.MetaFunction = () => [{ title: 'Forma · 登录 / Sign in' }];

/** Someone already signed in goes straight where they were going. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const token = sessionToken(request);
  const db = (await getDatabase()).db;
  if (token && (await sessionFor(db, token, context.clientAddress))) throw redirect(safeNext(new URL(request.url).searchParams.get('next')));
  return null;
}

/**
 * Signs in from the form. A sign-in posted from another site's page is refused (its Origin is
 * not ours): it would sign the visitor in to the other site's account without their knowing.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const origin = request.headers.get('Origin');
  if (origin !== null && new URL(origin).host !== new URL(request.url).host) throw new Response('Forbidden', { status: 403 });
  const form = await request.formData();
  const locale = localeOf(request);
  const db = (await getDatabase()).db;
  try {
    const signed = await signIn(db, {
      login: String(form.get('login') ?? ''), password: String(form.get('password') ?? ''), address: context.clientAddress,
      userAgent: request.headers.get('User-Agent') ?? undefined, previousToken: sessionToken(request),
    });
    const seconds = Math.floor((signed.expiresAt.getTime() - Date.now()) / 1000);
    return redirect(safeNext(new URL(request.url).searchParams.get('next')), { headers: { 'Set-Cookie': sessionCookie(request, signed.token, seconds) } });
  } catch (error) {
    if (!isFormaError(error)) throw error;
    return { error: error.text[locale], login: String(form.get('login') ?? '') };
  }
}

export default function Login() {
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  return (
    <main className="sign-in">
      <Form method="post" className="card sign-in-card">
        <h1>{t(locale, 'sign_in_title')}</h1>
        <p className="muted">{t(locale, 'sign_in_lead')}</p>
        {result?.error ? <p className="alert" role="alert">{result.error}</p> : null}
        <label className="field">
          <span>{t(locale, 'login')}</span>
          <input name="login" autoComplete="username" required autoFocus defaultValue={result?.login} />
        </label>
        <label className="field">
          <span>{t(locale, 'password')}</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" className="primary" disabled={busy}>{t(locale, 'sign_in')}</button>
      </Form>
    </main>
  );
}
