import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useFetcher, useLocation } from 'react-router';
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import { FilterBuilder } from '../../lists/FilterBuilder.tsx';
import { FilterSummary } from '../../lists/FilterSummary.tsx';
import { withPeople, type FieldChoice, type FilterProblem } from '../../lists/filter.ts';
import { t, type Locale } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import { ChangeReview } from '../change-review.tsx';
import type { ChangeResult, DraftChange } from '../change.ts';
import { useChange } from '../use-change.ts';
import { ColumnsEditor } from './ColumnsEditor.tsx';
import {
  draftOfView, draftProblems, PAGE_SIZE, placeOfPath, PREVIEW_ROWS, rowKey, samePlace, viewOfDraft,
  type ColumnChoice, type DraftSortKey, type ListViewDraft, type ViewPlace,
} from './draft.ts';
import type { ListPreview, PreviewRequest } from './list-view.server.ts';

/** What the designer's route loads. */
export interface ListViewDesignerData {
  version: number;
  entity: { name: string; label: string };
  view: MetadataDocument;
  /** The entity has no list view yet: applying creates `view`. */
  isNew: boolean;
  choices: ColumnChoice[];
  filterFields: FieldChoice[];
  people: { value: string; label: string }[];
  preview: ListPreview;
  /** The preview request (JSON) `preview` answers. */
  previewFor: string;
}

/** How long the preview waits for the admin to stop editing before it asks the server. */
const PREVIEW_DELAY_MS = 300;

/**
 * The list view designer: columns (order, width, hideable), default sort, default filter (the
 * staff filter builder) and page size of one entity's list, a live preview of its first real
 * records as the draft shows them, and the change review that applies the one document. Every
 * problem shows at its control — the designer's checks at once, the engine's as soon as it has
 * checked the draft (the document) or run it (the preview's sort and filter).
 */
export function ListViewDesigner({ data }: { data: ListViewDesignerData }) {
  const locale = useLocale();
  const { pathname } = useLocation();
  const change = useChange(data.version);
  // Marks the designer as working (scripts loaded): before that its controls do nothing.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [draft, setDraft] = useState<ListViewDraft>(() => draftOfView(data.view));
  const set = (changes: Partial<ListViewDraft>) => setDraft((current) => ({ ...current, ...changes }));
  const [editingFilter, setEditingFilter] = useState(false);

  const view = viewOfDraft(data.view, draft);
  const viewJson = JSON.stringify(view);
  // One object per content, so the review sees the same draft until the admin changes it.
  const draftChange: DraftChange = useMemo(() => ({ upsert: [view] }), [viewJson]);
  const draftJson = JSON.stringify(draftChange);
  const savedJson = useMemo(() => (data.isNew ? '' : JSON.stringify({ upsert: [viewOfDraft(data.view, draftOfView(data.view))] })), [data.view, data.isNew]);
  const dirty = draftJson !== savedJson;
  useEffect(() => {
    if (dirty) change.validate(draftChange);
  }, [draftJson]);

  const local = draftProblems(draft, data.choices);
  const preview = usePreview(pathname, draft, data);
  // The preview's problems are about the draft it ran, which is this one only once it has answered.
  const ran = preview.loading ? undefined : preview.data;
  const server = serverProblems([change.result, change.validation], draftJson, `listView:${data.view.name}`, draft, ran);
  const problemsAt = (place: ViewPlace): ReactNode[] => {
    const own = local.filter((p) => samePlace(p.place, place));
    const shown = own.length ? own.map((p) => t(locale, p.key, p.params)) : server.placed.filter((p) => samePlace(p.place, place)).map((p) => p.message);
    return [...new Set(shown)].map((message) => <p key={message} className="field-error" role="alert">{message}</p>);
  };

  const filterChoices = useMemo(() => withPeople(data.filterFields, data.people), [data.filterFields, data.people]);
  const filterProblems = [...server.filter, ...(ran?.problems.filter ?? [])];
  const builderOpen = editingFilter || (filterProblems.length > 0 && draft.filter !== undefined);
  const sortable = data.choices.filter((c) => c.sortable);
  const labelOf = (path: string) => data.choices.find((c) => c.path === path)?.label ?? path;

  return (
    <>
      {data.isNew ? <p className="notice">{t(locale, 'alv_new_view', { entity: data.entity.label, name: data.view.name })}</p> : null}
      <div className="alv-designer" data-hydrated={hydrated ? 'true' : undefined}>
        <section className="card alv-card alv-columns-card">
          <h2>{t(locale, 'alv_columns')}</h2>
          <p className="muted small">{t(locale, 'alv_columns_hint')}</p>
          <ColumnsEditor
            columns={draft.columns} choices={data.choices} locale={locale} onChange={(columns) => set({ columns })}
            problemsAt={(key, part) => problemsAt({ at: 'column', key, part })}
          />
          {problemsAt({ at: 'columns' })}
        </section>

        <div className="alv-side">
          <section className="card alv-card">
            <h2>{t(locale, 'alv_sort')}</h2>
            <SortEditor keys={draft.sort} choices={sortable} labelOf={labelOf} locale={locale} onChange={(sort) => set({ sort })} problemsAt={(key) => problemsAt({ at: 'sort', key })} />
          </section>

          <section className="card alv-card alv-filter">
            <h2>{t(locale, 'alv_filter')}</h2>
            <p className="muted small">{t(locale, 'alv_filter_hint')}</p>
            {builderOpen ? (
              <FilterBuilder
                key={JSON.stringify(draft.filter ?? null)} fields={filterChoices} filter={draft.filter} problems={filterProblems} locale={locale}
                onApply={(tree) => { set(tree ? { filter: tree } : { filter: undefined }); setEditingFilter(false); }}
                onClose={() => setEditingFilter(false)}
              />
            ) : draft.filter ? (
              <>
                <FilterSummary filter={draft.filter} fields={filterChoices} locale={locale} onOpen={() => setEditingFilter(true)} />
                <button type="button" className="link" onClick={() => set({ filter: undefined })}>{t(locale, 'alv_filter_remove')}</button>
              </>
            ) : (
              <>
                <p className="muted">{t(locale, 'alv_filter_none')}</p>
                <button type="button" onClick={() => setEditingFilter(true)}>{t(locale, 'alv_filter_set')}</button>
              </>
            )}
          </section>

          <section className="card alv-card">
            <label className="field alv-page-size">
              <span>{t(locale, 'alv_page_size')}</span>
              <input
                name="pageSize" inputMode="numeric" value={draft.pageSize} onChange={(e) => set({ pageSize: e.target.value })}
                aria-invalid={problemsAt({ at: 'pageSize' }).length ? true : undefined} title={`${PAGE_SIZE.min}–${PAGE_SIZE.max}`}
              />
              {problemsAt({ at: 'pageSize' })}
            </label>
          </section>
        </div>
      </div>

      <PreviewTable draft={draft} preview={preview.data} loading={preview.loading} labelOf={labelOf} locale={locale} />
      {server.other.length ? <ul className="problems alert">{server.other.map((message) => <li key={message}>{message}</li>)}</ul> : null}
      <ChangeReview change={change} draft={draftChange} dirty={dirty && local.length === 0} />
    </>
  );
}

/** The default sort: keys most significant first, each a sortable field and a direction. */
function SortEditor({ keys, choices, labelOf, locale, onChange, problemsAt }: {
  keys: DraftSortKey[]; choices: ColumnChoice[]; labelOf(path: string): string; locale: Locale;
  onChange(keys: DraftSortKey[]): void; problemsAt(key: string): ReactNode[];
}) {
  const update = (key: string, changes: Partial<DraftSortKey>) => onChange(keys.map((k) => (k.key === key ? { ...k, ...changes } : k)));
  const unused = choices.find((c) => !keys.some((k) => k.field === c.path));
  const groups = [...new Set(choices.map((c) => c.group))];
  return (
    <>
      {keys.length ? (
        <ol className="alv-sort-keys">
          {keys.map((key, i) => {
            const problems = problemsAt(key.key);
            return (
              <li key={key.key} data-sort={i}>
                <div className="alv-sort-row">
                  <span className="muted">{i ? t(locale, 'alv_sort_then') : ''}</span>
                  <select value={key.field} aria-label={t(locale, 'alv_sort_field', { n: i + 1 })} aria-invalid={problems.length ? true : undefined} onChange={(e) => update(key.key, { field: e.target.value })}>
                    {choices.some((c) => c.path === key.field) ? null : <option value={key.field}>{labelOf(key.field)}</option>}
                    {groups.map((group) => (
                      <optgroup key={group} label={group}>
                        {choices.filter((c) => c.group === group).map((c) => <option key={c.path} value={c.path}>{c.label}</option>)}
                      </optgroup>
                    ))}
                  </select>
                  <select value={key.direction} aria-label={t(locale, 'alv_sort_direction', { n: i + 1 })} onChange={(e) => update(key.key, { direction: e.target.value as 'asc' | 'desc' })}>
                    <option value="asc">{t(locale, 'alv_sort_asc')}</option>
                    <option value="desc">{t(locale, 'alv_sort_desc')}</option>
                  </select>
                  <button type="button" className="link danger-link" onClick={() => onChange(keys.filter((k) => k.key !== key.key))} aria-label={t(locale, 'alv_sort_remove', { n: i + 1 })} title={t(locale, 'alv_sort_remove', { n: i + 1 })}>×</button>
                </div>
                {problems}
              </li>
            );
          })}
        </ol>
      ) : <p className="muted">{t(locale, 'alv_sort_none')}</p>}
      {unused ? (
        <button type="button" className="link" onClick={() => onChange([...keys, { key: rowKey(), field: unused.path, direction: 'asc' }])}>+ {t(locale, 'alv_sort_add')}</button>
      ) : null}
    </>
  );
}

/** The draft's columns over the preview's records, with the widths and sort marks the staff list will show. */
function PreviewTable({ draft, preview, loading, labelOf, locale }: {
  draft: ListViewDraft; preview: ListPreview; loading: boolean; labelOf(path: string): string; locale: Locale;
}) {
  const direction = new Map(draft.sort.map((s, i) => [s.field, { arrow: s.direction === 'asc' ? '▲' : '▼', n: i + 1 }]));
  const width = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);
  return (
    <section className="card alv-card alv-preview" aria-busy={loading} aria-label={t(locale, 'alv_preview')}>
      <div className="alv-preview-head">
        <h2>{t(locale, 'alv_preview')}</h2>
        {preview.total ? <span className="muted">{t(locale, 'alv_preview_total', { count: preview.total.value.toLocaleString(locale) })}</span> : null}
        {loading ? <span className="muted small">{t(locale, 'alv_preview_loading')}</span> : null}
      </div>
      <p className="muted small">{t(locale, 'alv_preview_hint', { count: PREVIEW_ROWS })}</p>
      {preview.problems.other.length ? <p className="alert" role="alert">{preview.problems.other.join('；')}</p> : null}
      <div className={`table-wrap${loading ? ' stale' : ''}`}>
        <table className="records alv-preview-table">
          <thead>
            <tr>
              {draft.columns.map((column) => {
                const sorted = direction.get(column.field);
                const px = width(column.width);
                return (
                  <th key={column.key} style={px ? { width: px } : undefined} data-field={column.field}>
                    {labelOf(column.field)}{sorted ? ` ${sorted.arrow}${draft.sort.length > 1 ? sorted.n : ''}` : ''}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.id}>
                {draft.columns.map((column) => {
                  const cell = row.cells[column.field];
                  return (
                    <td key={column.key}>
                      {cell?.color ? <span className="chip" style={{ ['--chip' as string]: cell.color }}>{cell.text}</span> : cell?.text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {preview.rows.length === 0 && !preview.problems.other.length ? <p className="empty muted">{t(locale, 'alv_preview_empty')}</p> : null}
      </div>
    </section>
  );
}

/** The preview request of a draft, as JSON (the designer's loader reads it from `?preview=`). */
function previewRequestOf(draft: ListViewDraft): string {
  const request: PreviewRequest = {
    columns: draft.columns.map((c) => c.field),
    sort: draft.sort.map((s) => ({ field: s.field, direction: s.direction })),
    ...(draft.filter ? { filter: draft.filter } : {}),
  };
  return JSON.stringify(request);
}

/** The preview to show: the loader's while the draft lists as the stored view, else asked for as the admin edits (`loading` until it answers). */
function usePreview(pathname: string, draft: ListViewDraft, data: ListViewDesignerData): { data: ListPreview; loading: boolean } {
  const fetcher = useFetcher<{ preview: ListPreview; previewFor: string }>();
  const wanted = previewRequestOf(draft);
  const asked = wanted !== data.previewFor;
  useEffect(() => {
    if (!asked) return;
    const timer = setTimeout(() => fetcher.load(`${pathname}?${new URLSearchParams({ preview: wanted })}`), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [wanted, asked]);
  if (!asked) return { data: data.preview, loading: false };
  const answer = fetcher.data;
  const current = answer?.previewFor === wanted;
  return { data: answer?.preview ?? data.preview, loading: !current || fetcher.state !== 'idle' };
}

/**
 * The engine's problems with the current draft, where they belong: at a column, sort key or the
 * page size (from checking the document, or from running the preview's sort), in the filter
 * (pointers into it, for the builder), or above the review.
 */
function serverProblems(
  answers: (ChangeResult | undefined)[], draftJson: string, source: string, draft: ListViewDraft, preview: ListPreview | undefined,
): { placed: { place: ViewPlace; message: string }[]; filter: FilterProblem[]; other: string[] } {
  const answer = answers.find((a) => a?.draft === draftJson && a.problems.length);
  const result = { placed: [] as { place: ViewPlace; message: string }[], filter: [] as FilterProblem[], other: [] as string[] };
  for (const p of answer?.problems ?? []) {
    if (p.source === source && p.path.startsWith('/defaultFilter')) {
      result.filter.push({ path: p.path.slice('/defaultFilter'.length), message: p.message });
      continue;
    }
    const place = p.source === source ? placeOfPath(p.path, draft) : undefined;
    if (place) result.placed.push({ place, message: p.message });
    else result.other.push(p.message);
  }
  for (const p of preview?.problems.sort ?? []) {
    const key = draft.sort[p.index]?.key;
    if (key) result.placed.push({ place: { at: 'sort', key }, message: p.message });
  }
  return result;
}
