import { useDocumentDraft } from '../use-document-draft.ts';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useFetcher, useLocation } from 'react-router';
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import { t } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import { ChangeReview } from '../change-review.tsx';
import type { ProblemView } from '../change.ts';
import { useChange } from '../use-change.ts';
import {
  documentOfDraft, draftOfRule, draftProblems, previewable, previewParams, RESETS, withParts, withPattern,
  type RuleDraft, type RulePlace, type RuleProblem,
} from './draft.ts';
import type { NumberPreview, RuleUsage } from './numbering.server.ts';
import { DATE_CHOICES, DIGITS, type DateChoice, type PatternParts } from './pattern.ts';

/** What the designer's route loads: the rule (none for a new one), and the preview of what it shows first. */
export interface RuleDesignerData {
  version: number;
  rule: MetadataDocument | null;
  usages: RuleUsage[];
  /** Names of every rule, so a new one does not take one. */
  names: string[];
  today: string;
  preview: NumberPreview | null;
  /** The preview request (`previewParams`) `preview` answers. */
  previewFor: string;
}

/** How long the preview waits for the admin to stop typing before it asks the server. */
const PREVIEW_DELAY_MS = 250;

/**
 * The numbering rule designer: the pattern built from parts (prefix, date, separator, digits,
 * suffix) or typed raw, the counting (reset period, first number, step, manual numbers), a live
 * preview of the next numbers from the rule's real counter, and the change review that applies
 * it. Every problem shows at its control — the designer's own checks at once, the engine's
 * (e.g. a monthly reset without a month in the pattern) as soon as it has checked the draft.
 */
export function RuleDesigner({ data }: { data: RuleDesignerData }) {
  const locale = useLocale();
  const location = useLocation();
  const change = useChange(data.version);
  // Marks the designer as working (scripts loaded): before that its controls do nothing.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const stored = data.rule ?? undefined;
  const isNew = !stored;
  const [draft, setDraft] = useState<RuleDraft>(() => draftOfRule(stored));
  const set = (changes: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...changes }));
  const setParts = (changes: Partial<PatternParts>) => setDraft((current) => withParts(current, { ...current.parts!, ...changes }));

  const doc = documentOfDraft(draft, stored);
  const saved = useMemo(() => (stored ? documentOfDraft(draftOfRule(stored), stored) : undefined), [stored]);
  // A new rule, once applied, is edited at its own address.
  const { draft: draftChange, dirty, problems } = useDocumentDraft(change, doc, saved, isNew ? `/admin/numbering/${draft.name}` : undefined);

  // The version that created this rule, when the admin just came here from its creation.
  const appliedBefore = (location.state as { applied?: number } | null)?.applied;

  const local = draftProblems(draft, isNew, data.names);
  const server = problems.map((p) => ({ ...p, place: placeOf(p) }));
  const problemsAt = (place: RulePlace): ReactNode[] => {
    const own = local.filter((p) => p.place === place);
    const shown = own.length ? own.map((p) => t(locale, p.key, p.params)) : server.filter((p) => p.place === place).map((p) => p.message);
    return [...new Set(shown)].map((message) => <span key={message} className="field-error" role="alert">{message}</span>);
  };

  // The preview: the loader's while the draft is the rule it previewed, else asked for as the admin types.
  const preview = usePreview(location.pathname, draft, local, data);

  const field = (place: RulePlace, text: string, input: ReactNode, hint?: string) => (
    <label className="field" data-place={place}>
      <span>{text}</span>
      {input}
      {hint ? <small className="muted">{hint}</small> : null}
      {problemsAt(place)}
    </label>
  );
  const invalid = (place: RulePlace) => (local.some((p) => p.place === place) || server.some((p) => p.place === place) ? true : undefined);
  const parts = draft.parts;
  const others = server.filter((p) => p.place === undefined);

  return (
    <>
      {appliedBefore && !dirty ? <p className="notice" role="status">{t(locale, 'admin_applied', { version: appliedBefore })}</p> : null}
      <div className="anb-designer" data-hydrated={hydrated ? 'true' : undefined}>
        <div className="anb-main">
          <section className="card anb-card">
            <h2>{t(locale, 'anb_identity')}</h2>
            <div className="anb-row">
              {isNew
                ? field('name', t(locale, 'anb_name'), (
                  <input name="name" value={draft.name} onChange={(e) => set({ name: e.target.value.trim() })} aria-invalid={invalid('name')} autoComplete="off" />
                ), t(locale, 'anb_name_hint'))
                : field('name', t(locale, 'anb_name'), <input name="name" value={draft.name} readOnly />)}
              {field('labelZh', t(locale, 'anb_label_zh'), <input name="labelZh" value={draft.labelZh} maxLength={200} onChange={(e) => set({ labelZh: e.target.value })} aria-invalid={invalid('labelZh')} />)}
              {field('labelEn', t(locale, 'anb_label_en'), <input name="labelEn" value={draft.labelEn} maxLength={200} onChange={(e) => set({ labelEn: e.target.value })} aria-invalid={invalid('labelEn')} />)}
            </div>
          </section>

          <section className="card anb-card">
            <h2>{t(locale, 'anb_format')}</h2>
            {parts ? (
              <div className="anb-parts">
                {field('prefix', t(locale, 'anb_prefix'), <input name="prefix" value={parts.prefix} onChange={(e) => setParts({ prefix: e.target.value })} aria-invalid={invalid('prefix')} className="anb-short" />)}
                {field('date', t(locale, 'anb_date'), (
                  <select name="date" value={parts.date} onChange={(e) => setParts({ date: e.target.value as DateChoice })}>
                    {DATE_CHOICES.map((choice) => (
                      <option key={choice} value={choice}>
                        {choice ? t(locale, `anb_date_${choice}`, { example: dateExample(choice, data.today) }) : t(locale, 'anb_date_none')}
                      </option>
                    ))}
                  </select>
                ))}
                {field('separator', t(locale, 'anb_separator'), (
                  <input name="separator" value={parts.date ? parts.separator : ''} disabled={!parts.date} onChange={(e) => setParts({ separator: e.target.value })} aria-invalid={invalid('separator')} className="anb-short" title={t(locale, 'anb_separator_hint')} />
                ))}
                {field('digits', t(locale, 'anb_digits'), (
                  <input
                    name="digits" type="number" min={DIGITS.min} max={DIGITS.max} value={Number.isNaN(parts.digits) ? '' : parts.digits}
                    onChange={(e) => setParts({ digits: e.target.value === '' ? Number.NaN : Number(e.target.value) })} aria-invalid={invalid('digits')} className="anb-short"
                  />
                ))}
                {field('suffix', t(locale, 'anb_suffix'), <input name="suffix" value={parts.suffix} onChange={(e) => setParts({ suffix: e.target.value })} aria-invalid={invalid('suffix')} className="anb-short" />)}
              </div>
            ) : local.some((p) => p.place === 'pattern') ? null : <p className="notice">{t(locale, 'anb_pattern_custom')}</p>}
            {field('pattern', t(locale, 'anb_pattern'), (
              <input name="pattern" value={draft.pattern} onChange={(e) => setDraft((current) => withPattern(current, e.target.value))} aria-invalid={invalid('pattern')} className="anb-pattern" spellCheck={false} autoComplete="off" />
            ), t(locale, 'anb_pattern_hint'))}
          </section>

          <section className="card anb-card">
            <h2>{t(locale, 'anb_counting')}</h2>
            <div className="anb-row">
              {field('reset', t(locale, 'anb_reset'), (
                <select name="reset" value={draft.reset} onChange={(e) => set({ reset: e.target.value as RuleDraft['reset'] })} aria-invalid={invalid('reset')}>
                  {RESETS.map((reset) => <option key={reset} value={reset}>{t(locale, `anb_reset_${reset}`)}</option>)}
                </select>
              ))}
              {field('start', t(locale, 'anb_start'), <input name="start" inputMode="numeric" value={draft.start} onChange={(e) => set({ start: e.target.value.trim() })} aria-invalid={invalid('start')} className="anb-short" />)}
              {field('step', t(locale, 'anb_step'), <input name="step" inputMode="numeric" value={draft.step} onChange={(e) => set({ step: e.target.value.trim() })} aria-invalid={invalid('step')} className="anb-short" />)}
            </div>
            <label className="anb-check">
              <input type="checkbox" name="allowManual" checked={draft.allowManual} onChange={(e) => set({ allowManual: e.target.checked })} />
              {t(locale, 'anb_allow_manual')}
            </label>
          </section>
          {others.length ? <ul className="problems alert">{others.map((p) => <li key={p.path + p.message}>{p.message}</li>)}</ul> : null}
        </div>

        <aside className="card anb-preview" aria-live="polite">
          <h2>{t(locale, 'anb_preview')}</h2>
          {preview.numbers ? (
            <ol className={`anb-numbers${preview.loading ? ' stale' : ''}`} data-testid="next-numbers">
              {preview.numbers.numbers.map((number) => <li key={number}><code>{number}</code></li>)}
            </ol>
          ) : <p className="muted">{t(locale, 'anb_preview_invalid')}</p>}
          {preview.loading ? <p className="muted small">{t(locale, 'anb_preview_loading')}</p> : null}
          {preview.numbers ? <p className="muted small">{t(locale, 'anb_preview_hint', { today: preview.numbers.today })}</p> : null}
          {takenByEntity(preview.numbers?.taken ?? []).map(([entity, numbers]) => (
            <p key={entity} className="notice small" role="alert">{t(locale, 'anb_taken', { entity, numbers: numbers.join(locale === 'en' ? ', ' : '、') })}</p>
          ))}
          <h3>{t(locale, 'anb_used_by')}</h3>
          {data.usages.length
            ? <ul className="anb-usages">{data.usages.map((u) => <li key={`${u.entity}.${u.field}`}>{u.label}</li>)}</ul>
            : <p className="muted small">{t(locale, 'anb_unused')}</p>}
        </aside>
      </div>
      <ChangeReview change={change} draft={draftChange} dirty={dirty && local.length === 0} />
    </>
  );
}

/** The preview to show: numbers (possibly of the draft before the last keystroke, then `loading`) or none while the draft cannot be previewed. */
function usePreview(pathname: string, draft: RuleDraft, local: RuleProblem[], data: RuleDesignerData): { numbers: NumberPreview | null; loading: boolean } {
  const fetcher = useFetcher<{ preview: NumberPreview | null; previewFor: string }>();
  const wanted = previewParams(draft);
  const ok = previewable(local);
  const asked = wanted !== data.previewFor;
  useEffect(() => {
    if (!ok || !asked) return;
    const timer = setTimeout(() => fetcher.load(`${pathname}?${wanted}`), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [wanted, ok, asked]);
  if (!ok) return { numbers: null, loading: false };
  if (!asked) return { numbers: data.preview, loading: false };
  const answer = fetcher.data;
  return { numbers: answer?.preview ?? data.preview, loading: answer?.previewFor !== wanted || fetcher.state !== 'idle' };
}

function placeOf(p: ProblemView): RulePlace | undefined {
  // The engine says a reset period lacks its date part at /pattern: the admin fixes it at either, the reset period is where it is decided.
  if (p.code === 'numbering_reset_tokens') return 'reset';
  const top = p.path.split('/')[1];
  if (top === 'label') return p.path.endsWith('/en') ? 'labelEn' : 'labelZh';
  const places: Record<string, RulePlace> = { name: 'name', pattern: 'pattern', start: 'start', step: 'step', reset: 'reset' };
  return top ? places[top] : undefined;
}

/** The taken numbers of a preview by the entity holding them, in the preview's order. */
function takenByEntity(taken: NumberPreview['taken']): [string, string[]][] {
  const byEntity = new Map<string, string[]>();
  for (const { entity, number } of taken) byEntity.set(entity, [...(byEntity.get(entity) ?? []), number]);
  return [...byEntity];
}

/** What a date part looks like today: '202611' for YYYYMM on 2026-11-22. */
function dateExample(choice: DateChoice, today: string): string {
  const [year = '', month = '', day = ''] = today.split('-');
  const values: Record<string, string> = { YYYY: year, YY: year.slice(-2), MM: month, DD: day };
  return (choice.match(/YYYY|YY|MM|DD/g) ?? []).map((part) => values[part]).join('');
}
