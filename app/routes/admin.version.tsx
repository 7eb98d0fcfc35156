import { isFormaError } from '../../engine/errors.ts';
import { reloadAfterChange } from '../admin/revalidate.ts';
import { assertVersionExists } from '../../engine/metadata/store.ts';
import { requireAdministrator } from '../admin/admin.server.ts';
import { versionDiff } from '../admin/change.server.ts';
import { ChangeOutcome } from '../admin/change-review.tsx';
import { versionRows } from '../admin/history.server.ts';
import { useChange } from '../admin/use-change.ts';
import { kindLabel } from '../../engine/metadata/kind-labels.ts';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/admin.version';

export const meta: Route.MetaFunction = ({ params }) => [{ title: `版本 ${params.version} / Version ${params.version} · Forma` }];

export const shouldRevalidate = reloadAfterChange;

/** One metadata version: who made it and why, what it changed (readable), and the way back to it. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const admin = await requireAdministrator(request, context);
  const version = Number(params.version);
  if (!Number.isInteger(version) || version < 1) throw new Response(null, { status: 404 });
  try {
    await assertVersionExists(admin.ctx, version);
  } catch (error) {
    if (isFormaError(error)) throw new Response(error.text[admin.locale], { status: 404 });
    throw error;
  }
  const row = (await versionRows(admin)).find((r) => r.version === version)!;
  return { current: admin.version, row, changes: await versionDiff(admin, version) };
}

export default function AdminVersion({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { current, row, changes } = loaderData;
  const change = useChange(current);
  const result = change.result;
  const reviewed = result?.intent === 'review-rollback' && !result.error && result.plan && !result.plan.refused;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(row.at));
  return (
    <>
      <div className="page-head">
        <h1>{t(locale, 'admin_version_title', { version: row.version })}</h1>
        {row.version === current ? <span className="badge">{t(locale, 'admin_history_current')}</span> : null}
      </div>
      <p className="muted">{t(locale, 'admin_version_meta', { who: row.who, when })}{row.reason ? ` · ${row.reason}` : ''}</p>
      <section className="card section">
        <h2>{t(locale, 'admin_version_changes')}</h2>
        <ul className="version-changes">
          {changes.map((c) => (
            <li key={c.key}>
              <strong><span className="version-kind">{kindLabel(c.kind)[locale]}</span>「{c.label}」</strong>{' '}
              <span className={`badge change-${c.change}`}>{t(locale, `admin_change_${c.change}`)}</span>
              {c.lines.length ? <ul>{c.lines.map((line, i) => <li key={i}>{line}</li>)}</ul> : null}
            </li>
          ))}
        </ul>
      </section>
      {row.version !== current ? (
        <section className="card section change-review">
          <h2>{t(locale, 'admin_rollback_title')}</h2>
          <p className="muted">{t(locale, 'admin_history_lead')}</p>
          <div className="change-review-actions">
            <button type="button" onClick={() => change.reviewRollback(row.version)} disabled={change.busy}>{t(locale, 'admin_rollback_review')}</button>
            <button type="button" className="primary" onClick={() => change.rollback(row.version)} disabled={change.busy || !reviewed}>
              {t(locale, 'admin_rollback_apply', { version: row.version })}
            </button>
          </div>
          {result ? <ChangeOutcome result={result} /> : null}
        </section>
      ) : null}
    </>
  );
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
