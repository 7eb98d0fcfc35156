import { useDocumentDraft } from '../use-document-draft.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import type { Locale } from '../../../engine/i18n/text.ts';
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import { useShell } from '../../routes/shell.tsx';
import { t } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import { ChangeReview } from '../change-review.tsx';
import { useChange } from '../use-change.ts';
import { CodeEditor, type JumpTarget, type SourceProblem } from './code-editor.tsx';
import { Field, type ProblemsAt } from './controls.tsx';
import {
  documentOfDraft, draftOfTemplate, draftProblems, placeOf, SOURCE_PARTS,
  type PaperSizes, type SourcePart, type TemplateDraft, type TemplatePlace,
} from './draft.ts';
import { PaperSettings } from './PaperSettings.tsx';
import type { BuiltInChoice } from './StartFrom.tsx';
import { previewRequestOf, sourcesKey, type PreviewAnswer, type SampleRecord, type TemplateProblemView } from './preview.ts';
import { PreviewPane } from './PreviewPane.tsx';
import { useSampleRecords } from './sample-records.ts';
import { usePreview } from './use-preview.ts';

/** What the designer's route loads (app/routes/admin.print-template.tsx). */
export interface TemplateDesignerData {
  version: number;
  /** The stored template, or what a new one starts as (a copy of a built-in one). */
  template: MetadataDocument;
  isNew: boolean;
  /** The built-in template a new one starts from ('' for a stored one). */
  from: string;
  /** The built-in templates a new one can start from. */
  builtIns: BuiltInChoice[];
  /** Names of every template, so a new one does not take one. */
  names: string[];
  /** The entities a template may print. */
  entities: { name: string; label: string }[];
  papers: PaperSizes;
  /** For each entity, the built-in template whose sample data stands in when it has no record ('' for none). */
  samples: Record<string, string>;
  /** The latest records of the template's entity, for the preview. */
  records: SampleRecord[];
  /** The preview of the template as loaded, and the request (JSON) it answers. */
  preview: PreviewAnswer;
  previewKey: string;
}

/**
 * The print template designer (打印模板): the Handlebars sources of the body, header and footer
 * in a code editor, the paper, the live preview with a record of the entity (or sample data)
 * and the PDF preview, and the change review that applies the template as one metadata change.
 * Every problem shows at its control; a source that does not compile shows at its line and
 * column and nothing can be reviewed or applied until it does.
 */
export function TemplateDesigner({ data }: { data: TemplateDesignerData }) {
  const locale = useLocale();
  const location = useLocation();
  const { csrfToken } = useShell();
  const change = useChange(data.version);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const stored = data.isNew ? undefined : data.template;
  const [draft, setDraft] = useState<TemplateDraft>(() => draftOfTemplate(data.template));
  const set = (changes: Partial<TemplateDraft>) => setDraft((current) => ({ ...current, ...changes }));
  const [tab, setTab] = useState<SourcePart>('source');
  const [jump, setJump] = useState<JumpTarget | undefined>(undefined);

  const doc = documentOfDraft(draft, stored);
  const saved = useMemo(() => (stored ? documentOfDraft(draftOfTemplate(stored), stored) : undefined), [stored]);
  // A new template, once applied, is edited at its own address.
  const { draft: draftChange, dirty, problems } = useDocumentDraft(change, doc, saved, data.isNew ? `/admin/print-templates/${draft.name}` : undefined);
  const appliedBefore = (location.state as { applied?: number } | null)?.applied;

  // The preview's record: the entity's latest at first, the first found again when the entity changes.
  const picker = useSampleRecords(draft.entity, { entity: data.template.entity as string, records: data.records });
  const [record, setRecord] = useState(data.records[0]?.id ?? '');
  const pickFirst = useRef(false);
  useEffect(() => {
    if (draft.entity === data.template.entity && !pickFirst.current) return;
    pickFirst.current = true;
    setRecord('');
  }, [draft.entity]);
  useEffect(() => {
    if (!pickFirst.current || picker.searching) return;
    pickFirst.current = false;
    setRecord(picker.records[0]?.id ?? '');
  }, [picker.records, picker.searching]);
  const [dataLocale, setDataLocale] = useState<Locale>('zh-CN');
  const sample = data.samples[draft.entity] ?? '';
  const preview = usePreview(previewRequestOf(doc, record, sample, dataLocale), csrfToken, { answer: data.preview, key: data.previewKey });

  const local = draftProblems(draft, data.isNew, data.names, data.papers);
  const server = problems.map((p) => ({ ...p, place: placeOf(p) }));
  const problemsAt: ProblemsAt = (place) => {
    const own = local.filter((p) => p.place === place).map((p) => t(locale, p.key, p.params));
    return [...new Set(own.length ? own : server.filter((p) => p.place === place).map((p) => p.message))];
  };
  const invalid = (place: TemplatePlace) => (problemsAt(place).length ? true : undefined);

  // The sources' problems: at their line (from the preview's compile and render), or about a whole source.
  const sourceProblems = (preview.latest?.problems ?? []).filter((p): p is TemplateProblemView & { line: number } => p.line !== undefined);
  const problemsOf = (part: SourcePart) => sourceProblems.filter((p) => p.path === `/${part}`);
  // The engine refuses a source that does not compile too: that repeats the error the preview found at its line, so it shows only without one.
  const wholeSourceProblems = (part: SourcePart) => (problemsOf(part).length ? [] : problemsAt(part));
  const shownProblems: SourceProblem[] = useMemo(
    () => problemsOf(tab).map((p) => ({ line: p.line, column: p.column ?? 1, message: p.message })),
    [preview.latest, tab],
  );
  const compiled = preview.latest?.sources === sourcesKey(draft) && preview.latest.compiles === true;
  const templateErrors = preview.latest?.sources === sourcesKey(draft) && preview.latest.compiles === false;
  const reviewable = dirty && local.length === 0 && compiled;
  const others = server.filter((p) => p.place === undefined);
  const entityLabel = data.entities.find((e) => e.name === draft.entity)?.label ?? draft.entity;
  const tabLabels: Record<SourcePart, string> = { source: t(locale, 'apt_tab_source'), header: t(locale, 'apt_tab_header'), footer: t(locale, 'apt_tab_footer') };

  return (
    <div className="apt-designer" data-hydrated={hydrated ? 'true' : undefined}>
      {appliedBefore && !dirty ? <p className="notice" role="status">{t(locale, 'admin_applied', { version: appliedBefore })}</p> : null}
      <section className="card apt-card" aria-labelledby="apt-identity-title">
        <h2 id="apt-identity-title">{t(locale, 'apt_identity')}</h2>
        <div className="apt-row">
          <Field place="name" label={t(locale, 'apt_name')} hint={data.isNew ? t(locale, 'apt_name_hint') : undefined} problemsAt={problemsAt}>
            <input name="name" value={draft.name} readOnly={!data.isNew} onChange={(e) => set({ name: e.target.value.trim() })} aria-invalid={invalid('name')} autoComplete="off" />
          </Field>
          <Field place="labelZh" label={t(locale, 'apt_label_zh')} problemsAt={problemsAt}>
            <input name="labelZh" value={draft.labelZh} maxLength={200} onChange={(e) => set({ labelZh: e.target.value })} aria-invalid={invalid('labelZh')} />
          </Field>
          <Field place="labelEn" label={t(locale, 'apt_label_en')} problemsAt={problemsAt}>
            <input name="labelEn" value={draft.labelEn} maxLength={200} onChange={(e) => set({ labelEn: e.target.value })} aria-invalid={invalid('labelEn')} />
          </Field>
          <Field place="entity" label={t(locale, 'apt_entity')} hint={data.isNew ? t(locale, 'apt_entity_hint') : undefined} problemsAt={problemsAt}>
            {data.isNew ? (
              <select name="entity" value={draft.entity} onChange={(e) => set({ entity: e.target.value })} aria-invalid={invalid('entity')}>
                {data.entities.map((e) => <option key={e.name} value={e.name}>{e.label}</option>)}
              </select>
            ) : <input name="entity" value={entityLabel} readOnly />}
          </Field>
        </div>
      </section>

      <div className="apt-workspace">
        <div className="apt-main">
          <section className="card apt-card apt-sources" aria-label={t(locale, 'apt_sources')}>
            <div className="tabs" role="tablist">
              {SOURCE_PARTS.map((part) => {
                const count = problemsOf(part).length + wholeSourceProblems(part).length;
                return (
                  <button key={part} type="button" role="tab" aria-selected={tab === part} className={tab === part ? 'active' : undefined} onClick={() => setTab(part)}>
                    {tabLabels[part]}
                    {count ? <span className="apt-tab-errors" aria-label={t(locale, 'apt_tab_errors', { count })}>{count}</span> : null}
                  </button>
                );
              })}
            </div>
            <CodeEditor
              part={tab} value={draft[tab]} labels={tabLabels} problems={shownProblems} jump={jump} locale={locale}
              onChange={(part, text) => setDraft((current) => ({ ...current, [part]: text }))}
            />
            {problemsOf(tab).length || wholeSourceProblems(tab).length ? (
              <ul className="apt-source-problems" role="alert">
                {problemsOf(tab).map((p, i) => (
                  <li key={`${i}:${p.message}`}>
                    <button type="button" className="link" onClick={() => setJump({ part: tab, line: p.line, column: p.column ?? 1, seq: Date.now() })}>{p.message}</button>
                  </li>
                ))}
                {wholeSourceProblems(tab).map((message) => <li key={message}>{message}</li>)}
              </ul>
            ) : null}
            <p className="muted small apt-source-hint">{t(locale, tab === 'source' ? (draft.labels ? 'apt_source_hint_label' : 'apt_source_hint') : 'apt_margin_part_hint')}</p>
            <p className="muted small apt-helpers">{t(locale, 'apt_helpers')}</p>
          </section>
          <PaperSettings draft={draft} set={set} papers={data.papers} problemsAt={problemsAt} />
        </div>
        <PreviewPane
          preview={preview} picker={picker} record={record} onRecord={(r) => setRecord(r?.id ?? '')} sample={Boolean(sample)}
          dataLocale={dataLocale} onDataLocale={setDataLocale} entityLabel={entityLabel}
        />
      </div>

      {others.length ? <ul className="problems alert">{others.map((p) => <li key={p.path + p.message}>{p.message}</li>)}</ul> : null}
      {dirty && !reviewable ? (
        <p className="notice apt-blocked" role="status">
          {t(locale, templateErrors ? 'apt_blocked_template' : local.length ? 'apt_blocked_problems' : 'apt_blocked_checking')}
        </p>
      ) : null}
      <ChangeReview change={change} draft={draftChange} dirty={reviewable} />
    </div>
  );
}

