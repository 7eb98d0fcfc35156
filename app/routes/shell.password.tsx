import { Form, useActionData, useNavigation } from 'react-router';
import { isFormaError } from '../../engine/errors.ts';
import { changePassword } from '../../engine/security/users.ts';
import { requireFormCsrf, requireStaff } from '../staff.server.ts';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import { useShell } from './shell.tsx';
import type { Route } from './+types/shell.password';

export const meta: Route.MetaFunction = () => [{ title: '修改密码 / Change password · Forma' }];

type Field = 'current' | 'next' | 'repeat';

/**
 * Changes the signed-in person's own password: the current one is checked, the new one follows
 * the rules for new users, and their other sessions end (the engine's `changePassword`).
 */
export async function action({ request, context }: Route.ActionArgs) {
  const staff = await requireStaff(request, context);
  const form = await request.formData();
  await requireFormCsrf(staff, form);
  const [current, next, repeat] = (['current', 'next', 'repeat'] as const).map((k) => String(form.get(k) ?? ''));
  if (next !== repeat) return { errors: { repeat: t(staff.locale, 'passwords_differ') } as Partial<Record<Field, string>> };
  try {
    await changePassword(staff.db, staff.session.actor, { current: current!, next: next!, session: staff.session.sessionId, address: staff.address });
    return { done: true as const };
  } catch (error) {
    if (!isFormaError(error) || !error.problems.length) throw error;
    const errors: Partial<Record<Field, string>> = {};
    for (const p of error.problems) errors[p.path.slice(1) as Field] = p.message[staff.locale];
    return { errors };
  }
}

export default function Password() {
  const locale = useLocale();
  const { csrfToken } = useShell();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  const errors: Partial<Record<Field, string>> = (result && 'errors' in result ? result.errors : undefined) ?? {};
  const field = (name: Field, key: 'current_password' | 'new_password' | 'repeat_password', autoComplete: string) => (
    <label className="field">
      <span>{t(locale, key)}</span>
      <input name={name} type="password" autoComplete={autoComplete} required aria-invalid={errors[name] ? true : undefined} />
      {errors[name] ? <small className="field-error">{errors[name]}</small> : null}
    </label>
  );
  return (
    <>
      <div className="page-head"><h1>{t(locale, 'change_password')}</h1></div>
      {result && 'done' in result ? <p className="notice" role="status">{t(locale, 'password_changed')}</p> : null}
      <Form method="post" className="card section narrow-form">
        <input type="hidden" name="_csrf" value={csrfToken} />
        {field('current', 'current_password', 'current-password')}
        {field('next', 'new_password', 'new-password')}
        {field('repeat', 'repeat_password', 'new-password')}
        <div><button type="submit" className="primary" disabled={busy}>{t(locale, 'save')}</button></div>
      </Form>
    </>
  );
}
export { PageError as ErrorBoundary } from '../page-error.tsx';
