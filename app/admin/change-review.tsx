import { useState } from 'react';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { DraftChange, PlanView, ProblemView } from './change.ts';
import type { Change } from './use-change.ts';

/**
 * The bottom of every designer: 「检查变更」 plans the draft and shows each operation marked
 * 安全 / 需数据检查 / 破坏性 with its data check, 「应用」 applies exactly the reviewed draft
 * (enabled only after a clean review of it), then says which version it made. A refusal shows
 * its problems; a conflict shows what the other admin changed.
 *
 * @example <ChangeReview change={change} draft={{ upsert: [entity] }} dirty={edited} />
 */
export function ChangeReview({ change, draft, dirty = true }: { change: Change; draft: DraftChange; dirty?: boolean }) {
  const locale = useLocale();
  const [reason, setReason] = useState('');
  const { result, busy } = change;
  const draftJson = JSON.stringify(draft);
  const reviewed = result?.intent === 'review' && result.draft === draftJson ? result : undefined;
  const canApply = Boolean(reviewed?.plan && !reviewed.plan.refused && !reviewed.error && !reviewed.problems.length && reviewed.plan.operations.length);
  return (
    <section className="change-review card" aria-label={t(locale, 'admin_review_title')}>
      <div className="change-review-actions">
        <button type="button" onClick={() => change.review(draft)} disabled={busy || !dirty}>{t(locale, 'admin_review')}</button>
        <input
          type="text" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500}
          placeholder={t(locale, 'admin_reason_placeholder')} aria-label={t(locale, 'admin_reason')}
        />
        <button type="button" className="primary" onClick={() => change.apply(draft, reason)} disabled={busy || !canApply}>{t(locale, 'admin_apply')}</button>
      </div>
      {result ? <ChangeOutcome result={result} /> : dirty ? <p className="muted">{t(locale, 'admin_review_hint')}</p> : null}
    </section>
  );
}

/** What the last answer said: applied, refused (with problems or a conflict), or the reviewed plan. */
export function ChangeOutcome({ result }: { result: NonNullable<Change['result']> }) {
  const locale = useLocale();
  if (result.applied) {
    return (
      <p className="notice" role="status">
        {result.applied.changed ? t(locale, 'admin_applied', { version: result.applied.version }) : t(locale, 'admin_nothing_to_apply')}
      </p>
    );
  }
  return (
    <>
      {result.error ? <p className="error-summary" role="alert">{result.error}</p> : null}
      {result.conflict ? (
        <div className="conflict" role="alert">
          {result.conflict.documents.map((d) => (
            <div key={`${d.kind}:${d.name}`}>
              <h3>{t(locale, 'admin_their_change', { label: d.label })}</h3>
              <ul>{d.lines.map((line, i) => <li key={i}>{line}</li>)}</ul>
            </div>
          ))}
          <a href="" className="button">{t(locale, 'admin_load_theirs')}</a>
        </div>
      ) : null}
      {result.problems.length ? <ProblemList problems={result.problems} /> : null}
      {result.plan ? <PlanList plan={result.plan} /> : null}
    </>
  );
}

/** Problems with where they are (document and JSON Pointer). */
export function ProblemList({ problems }: { problems: ProblemView[] }) {
  return (
    <ul className="problems">
      {problems.map((p, i) => (
        <li key={i}>{p.message}{p.source || p.path ? <small className="muted"> · {[p.source, p.path].filter(Boolean).join(' ')}</small> : null}</li>
      ))}
    </ul>
  );
}

/** A plan's operations, each with its risk; a data check says it passed, or why not under its operation. */
export function PlanList({ plan }: { plan: PlanView }) {
  const locale = useLocale();
  if (!plan.operations.length) return <p className="muted">{t(locale, 'admin_plan_empty')}</p>;
  return (
    <>
      <p className={plan.refused ? 'error-summary' : 'muted'} role={plan.refused ? 'alert' : undefined}>
        {plan.refused ? t(locale, 'admin_plan_refused') : t(locale, 'admin_plan_ok', { count: plan.operations.length })}
      </p>
      <ol className="plan">
        {plan.operations.map((o, i) => (
          <li key={i} className={`risk-${o.risk}`}>
            <span className={`risk risk-${o.risk}`}>{t(locale, `admin_risk_${o.risk}`)}</span> {o.summary}
            {o.passed ? <>{' '}<span className="check-passed">{t(locale, 'admin_check_passed')}</span></> : null}
            {o.problem ? <div className="field-error">{o.problem}</div> : null}
          </li>
        ))}
      </ol>
    </>
  );
}
