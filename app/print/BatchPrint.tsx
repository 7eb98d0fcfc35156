import { useEffect, useRef, useState } from 'react';
import type { FilterTree, SortKey } from '../../engine/records/query/index.ts';
import type { BatchTarget } from '../lists/BatchBar.tsx';
import { t, type Locale } from '../text/index.ts';
import type { PrintTemplateView } from './PrintMenu.tsx';
import { StartPosition } from './StartPosition.tsx';

/** A job's progress as `GET /api/v1/print/jobs/:id` gives it. */
interface JobStatus {
  id: string;
  /** The template's label, as chosen. */
  label: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  stage: 'read' | 'render' | null;
  done: number;
  total: number;
  error?: ApiError;
}

/** A structured error of the API. */
interface ApiError {
  code: string;
  message: Record<Locale, string>;
  problems?: { message: Record<Locale, string> }[];
}

/** How often a running job's progress is asked for. */
const POLL_MS = 1000;

interface Props {
  entity: string;
  /** The entity's label, in the person's language. */
  entityLabel: string;
  templates: PrintTemplateView[];
  /** The records selected in the list (ids of the page, or all matching the filter) and how many, if any are. */
  selection: { target: BatchTarget; count: number } | undefined;
  /** Without a selection: every record of the list's filter (or of the entity), in the list's sort. */
  everything: FilterTree;
  /** Whether the list is filtered (else `everything` is every record). */
  filtered: boolean;
  /** The list's sort, as in its address (`-created_at`). */
  sort: string;
  /** How many records the list has, when counted. */
  total: { value: number; exact: boolean } | undefined;
  /** Whether a quick search narrows the list (a batch print does not follow it). */
  searching: boolean;
  csrf: string;
  locale: Locale;
}

/**
 * Batch printing (批量打印) from a list: the 「打印」 button opens a dialog to choose one of the
 * entity's templates the person may use — for a label template, the cell of the sheet to start
 * at — for the selected records, or else every record of the list's filter in its sort. The
 * print runs on the server as a job (`POST /api/v1/print/:template/jobs`, no limit on the
 * number of records); the dialog follows its progress ("已完成 2,400 / 10,000") and then offers
 * the PDF to open in a new tab or to download. Refusals show in the dialog — a bad start
 * position at its field — and print nothing.
 */
export function BatchPrint({ entity, entityLabel, templates, selection, everything, filtered, sort, total, searching, csrf, locale }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const [chosen, setChosen] = useState(templates[0]?.name ?? '');
  const template = templates.find((c) => c.name === chosen);
  const [start, setStart] = useState(1);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; problems: string[]; at?: 'startPosition' }>();
  const [job, setJob] = useState<JobStatus>();

  // Follows the job until it is done or failed.
  const running = job && (job.state === 'queued' || job.state === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/v1/print/jobs/${job.id}`, { headers: { Accept: 'application/json' } });
        const body = await response.json();
        if (response.ok) setJob({ ...(body as JobStatus), label: job.label });
        else setJob({ ...job, state: 'failed', error: body.error });
      } catch {
        // The next poll tries again: a network hiccup does not end the job.
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, job?.id]);

  if (!templates.length) return null;
  const count = (value: number) => value.toLocaleString(locale);
  const scope = selection
    ? t(locale, 'ids' in selection.target ? 'pr_batch_selected' : 'pr_batch_matching', { count: count(selection.count) })
    : t(locale, filtered ? 'pr_batch_matching' : 'pr_batch_all', { count: total ? `${total.exact ? '' : '~'}${count(total.value)}` : '…' });

  async function submit() {
    if (!template) return;
    setSending(true);
    setRefusal(undefined);
    const keys: SortKey[] | undefined = sort ? [{ field: sort.replace(/^-/, ''), direction: sort.startsWith('-') ? 'desc' : 'asc' }] : undefined;
    const target = selection?.target ?? { filter: everything, ...(keys ? { sort: keys } : {}) };
    try {
      const response = await fetch(`/api/v1/print/${encodeURIComponent(template.name)}/jobs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ ...target, ...(template.labels ? { startPosition: start } : {}) }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 202) setJob({ id: body.id, label: template.label, state: 'queued', stage: null, done: 0, total: body.total });
      else {
        const error: ApiError | undefined = body.error;
        setRefusal({
          message: error?.message[locale] ?? `HTTP ${response.status}`,
          problems: (error?.problems ?? []).map((p) => p.message[locale]),
          ...(error?.code === 'print_start_position_invalid' ? { at: 'startPosition' as const } : {}),
        });
      }
    } catch {
      setRefusal({ message: t(locale, 'pr_network'), problems: [] });
    } finally {
      setSending(false);
    }
  }

  const title = t(locale, 'pr_batch_title', { entity: entityLabel });
  return (
    <>
      <button type="button" className="batch-print-open" disabled={!ready} onClick={() => dialog.current?.showModal()}>
        {t(locale, 'pr_print')}
      </button>
      <dialog ref={dialog} className="print-dialog" aria-labelledby={`${entity}-print-title`}>
        <h2 id={`${entity}-print-title`}>{title}</h2>
        {job ? (
          <JobProgress job={job} locale={locale} onAgain={() => setJob(undefined)} />
        ) : (
          <form className="print-choose" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
            <p>{scope}</p>
            {searching && !selection ? <p className="notice small">{t(locale, 'pr_batch_search_ignored')}</p> : null}
            <fieldset className="print-template-choice">
              <legend>{t(locale, 'pr_template')}</legend>
              {templates.map((c) => (
                <label key={c.name}>
                  <input type="radio" name="template" value={c.name} checked={c.name === chosen} onChange={() => { setChosen(c.name); setStart(c.labels?.startPosition ?? 1); setRefusal(undefined); }} />
                  <span>{c.label}</span>
                  {c.labels ? <span className="muted small">{t(locale, 'pr_sheet', { rows: c.labels.rows, columns: c.labels.columns })}</span> : null}
                </label>
              ))}
            </fieldset>
            {template?.labels ? (
              <StartPosition
                rows={template.labels.rows} columns={template.labels.columns} value={start} onChange={(cell) => { setStart(cell); setRefusal(undefined); }}
                locale={locale} error={refusal?.at === 'startPosition' ? refusal.message : undefined}
              />
            ) : null}
            {refusal && !refusal.at ? (
              <div className="alert" role="alert">
                <p>{t(locale, 'pr_failed', { message: refusal.message })}</p>
                {refusal.problems.length ? <ul>{refusal.problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
              </div>
            ) : null}
            <div className="print-dialog-actions">
              <button type="submit" className="primary" disabled={sending || !template}>{sending ? <span className="spinner" aria-hidden="true" /> : null}{t(locale, 'pr_start')}</button>
              <button type="button" onClick={() => dialog.current?.close()}>{t(locale, 'pr_close')}</button>
            </div>
          </form>
        )}
        {job ? (
          <div className="print-dialog-actions">
            <button type="button" onClick={() => dialog.current?.close()}>{t(locale, 'pr_close')}</button>
          </div>
        ) : null}
      </dialog>
    </>
  );
}

/** A job under way (progress bar and counts), done (the PDF to open or download) or failed (why). */
function JobProgress({ job, locale, onAgain }: { job: JobStatus; locale: Locale; onAgain(): void }) {
  const count = (value: number) => value.toLocaleString(locale);
  const summary = <p className="print-job-summary">{t(locale, 'pr_job_summary', { template: job.label, total: count(job.total) })}</p>;
  if (job.state === 'done') {
    const pdf = `/api/v1/print/jobs/${job.id}/pdf`;
    return (
      <div className="print-job done" role="status">
        {summary}
        <p className="print-job-result">{t(locale, 'pr_done', { total: count(job.total) })}</p>
        <p className="print-job-links">
          <a className="button primary" href={pdf} target="_blank" rel="noopener">{t(locale, 'pr_open_pdf')}</a>
          <a className="button" href={`${pdf}?download=1`} download>{t(locale, 'pr_download_pdf')}</a>
          <button type="button" className="link" onClick={onAgain}>{t(locale, 'pr_again')}</button>
        </p>
        <p className="muted small">{t(locale, 'pr_kept')}</p>
      </div>
    );
  }
  if (job.state === 'failed') {
    return (
      <div className="print-job" role="alert">
        {summary}
        <div className="alert">
          <p>{t(locale, 'pr_failed', { message: job.error?.message[locale] ?? '' })}</p>
          {job.error?.problems?.length ? <ul>{job.error.problems.map((p) => <li key={p.message[locale]}>{p.message[locale]}</li>)}</ul> : null}
        </div>
        <p><button type="button" className="link" onClick={onAgain}>{t(locale, 'pr_again')}</button></p>
      </div>
    );
  }
  const text = job.state === 'queued' || !job.stage
    ? t(locale, 'pr_queued')
    : t(locale, job.stage === 'read' ? 'pr_reading' : 'pr_rendering', { done: count(job.done), total: count(job.total) });
  return (
    <div className="print-job" role="status" aria-live="polite">
      {summary}
      <p className="print-job-progress"><span className="spinner" aria-hidden="true" /> {text}</p>
      <progress max={job.total || 1} value={job.state === 'queued' ? undefined : job.done} />
      <p className="muted small">{t(locale, 'pr_keeps_running')}</p>
    </div>
  );
}
