import { useEffect, useMemo, useState } from 'react';
import { Form, Link, useNavigate, useNavigation, useRevalidator, useSearchParams } from 'react-router';
import { isFormaError } from '../../engine/errors.ts';
import { listPreferenceKeys, readPreferences, writePreference, type ListColumnsPreference, type SavedFiltersPreference } from '../../engine/preferences/preferences.ts';
import { runQuery, type FilterTree, type SortKey } from '../../engine/records/query/index.ts';
import { quickSearch } from '../../engine/records/search.ts';
import { workspaceMembers } from '../../engine/security/directory.ts';
import type { Cell } from '../format.server.ts';
import { BatchBar, BATCH_LIMIT, type BatchTarget } from '../lists/BatchBar.tsx';
import { ColumnMenu } from '../lists/ColumnMenu.tsx';
import { ExportMenu } from '../lists/ExportMenu.tsx';
import { batchFields, filterFields, mayReassign } from '../lists/fields.server.ts';
import { FilterBuilder } from '../lists/FilterBuilder.tsx';
import { canonicalFilter, combineFilters, conditionCount, filterParam, parseFilterParam, withPeople, type FilterProblem } from '../lists/filter.ts';
import { readableProblems } from '../lists/problems.server.ts';
import { FilterSummary } from '../lists/FilterSummary.tsx';
import { SavedFilters } from '../lists/SavedFilters.tsx';
import { formatListRows, listColumns, listViewOf, pageError, queryFieldsOf, readableEntity, type Column } from '../records.server.ts';
import { BatchPrint } from '../print/BatchPrint.tsx';
import { printTemplateViews } from '../print/templates.server.ts';
import { requireFormCsrf, requireStaff } from '../staff.server.ts';
import listsCss from '../styles/lists.css?url';
import printCss from '../styles/print.css?url';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import { kanbanOf } from '../board/board.server.ts';
import type { Route } from './+types/shell.list';
import { useShell } from './shell.tsx';

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.title ?? ''} · Forma` }];

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: listsCss }, { rel: 'stylesheet', href: printCss }];

const PAGE_SIZE = 50;

/** Everything the person may do with many records at once here, for the whole list. */
const ALL_RECORDS: FilterTree = { field: 'id', op: 'is_not_empty' };

/**
 * One page of an entity's list: the admin's list view (columns, default sort and filter), the
 * person's own hidden columns and saved filters (their preferences), their filter (`?filter=`
 * JSON, so a filtered list can be bookmarked), sort (`?sort=name` / `?sort=-name`), quick search
 * (`?q=`) and page (`?after=`, the cursor of the page before: never OFFSET, so page 2,000 of a
 * million records costs what page 1 does), through the records engine — so their record scope
 * and hidden fields hold here as everywhere. Problems of their filter come back at their place.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  const entity = readableEntity(staff, params.entity);
  const view = listViewOf(staff, entity.name);
  const allColumns = listColumns(staff, entity, view);
  const keys = listPreferenceKeys(entity.name);
  const [preferences, members] = await Promise.all([
    readPreferences(staff.db, staff.session.actor, staff.workspace, [keys.columns, keys.filters]),
    workspaceMembers(staff.db, staff.workspace),
  ]);
  const hideable = new Set(allColumns.filter((c) => c.hideable).map((c) => c.field));
  const hidden = ((preferences[keys.columns] as ListColumnsPreference | undefined)?.hidden ?? []).filter((f) => hideable.has(f));
  const savedFilters = ((preferences[keys.filters] as SavedFiltersPreference | undefined) ?? []).map((s) => ({ name: s.name, filter: canonicalFilter(s.filter) }));

  const url = new URL(request.url);
  const q = url.searchParams.get('q')?.trim() ?? '';
  const sortParam = url.searchParams.get('sort');
  const sort: SortKey[] = sortParam
    ? [{ field: sortParam.replace(/^-/, ''), direction: sortParam.startsWith('-') ? 'desc' : 'asc' }]
    : ((view?.defaultSort as SortKey[] | undefined) ?? [{ field: 'created_at', direction: 'desc' }]);
  const after = url.searchParams.get('after') ?? undefined;
  const pageNumber = Math.max(1, Math.min(1_000_000, Number(url.searchParams.get('p')) || 1));
  const parsed = parseFilterParam(url.searchParams.get('filter'));
  const filter = parsed.tree && canonicalFilter(parsed.tree);
  const defaultFilter = view?.defaultFilter as FilterTree | undefined;
  const effective = combineFilters(filter, defaultFilter);
  // Where the person's filter sits in the query the engine checks: its problems are reported there.
  const filterAt = (searching: boolean) => `/filter${searching ? '/and/1' : ''}${defaultFilter && filter ? '/and/0' : ''}`;
  const columns = allColumns.map((c) => c.field);
  const fields = queryFieldsOf(columns);
  const pageSize = (view?.pageSize as number | undefined) ?? PAGE_SIZE;
  const rights = staff.access.entity(entity.name)!.rights;
  const base = {
    entity: entity.name,
    title: label(entity.label, staff.locale),
    allColumns, hidden, savedFilters,
    sort: sort[0] ? `${sort[0].direction === 'desc' ? '-' : ''}${sort[0].field}` : '',
    q, filter: filter ?? null, filterError: parsed.error ?? null, effectiveFilter: effective ?? null,
    filterFields: filterFields(staff, entity),
    batchFields: rights.has('update') ? batchFields(staff, entity) : [],
    people: members.map((m) => ({ value: m.id, label: m.displayName })),
    page: after ? pageNumber : 1,
    canCreate: rights.has('create'),
    hasBoard: kanbanOf(staff, entity) !== undefined,
    canUpdate: rights.has('update'),
    canReassign: mayReassign(staff, entity),
    canBatchDelete: rights.has('batchDelete'),
    canExport: rights.has('export'),
    printTemplates: printTemplateViews(staff.model, staff.access, entity.name, staff.locale),
  };
  try {
    let records: Record<string, unknown>[];
    let next: string | undefined;
    let total: { value: number; exact: boolean } | undefined;
    if (q) {
      // Best match first: the search's own order, then the page of those records (within the filter).
      const hits = await quickSearch(staff.ctx, staff.session.actor, entity.name, q, { limit: pageSize });
      const byIds: FilterTree = { field: 'id', op: 'in', value: hits.map((h) => h.id) };
      const found = hits.length
        ? (await runQuery(staff.ctx, staff.session.actor, entity.name, { filter: effective ? { and: [byIds, effective] } : byIds, fields, page: { size: pageSize } })).records
        : [];
      const byId = new Map(found.map((r) => [String(r.id), r]));
      records = hits.map((h) => byId.get(h.id)).filter((r): r is Record<string, unknown> => r !== undefined);
      total = { value: records.length, exact: true };
    } else {
      const page = await runQuery(staff.ctx, staff.session.actor, entity.name, {
        ...(effective ? { filter: effective } : {}),
        sort, fields, page: { size: pageSize, ...(after ? { after } : {}) }, count: true,
      });
      ({ records, next, total } = page);
    }
    return {
      ...base,
      rows: await formatListRows(staff, entity, records, columns),
      next, total, paged: Boolean(after),
      problems: [] as FilterProblem[], queryError: null as string | null,
    };
  } catch (error) {
    if (!isFormaError(error) || error.code !== 'query_invalid') pageError(error, staff.locale);
    // A filter (or sort, or cursor) the engine refuses: the page stays, with every problem shown where it is.
    const { problems, others } = readableProblems(error.problems, filter, filterAt(Boolean(q)), base.filterFields, staff.locale);
    return {
      ...base,
      rows: [] as Awaited<ReturnType<typeof formatListRows>>, next: undefined, total: undefined, paged: Boolean(after),
      problems, queryError: others.length ? others.join('；') : null,
    };
  }
}

/** The person's own settings of this list: which columns they hide, their saved filters. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const staff = await requireStaff(request, context);
  const entity = readableEntity(staff, params.entity);
  const form = await request.formData();
  await requireFormCsrf(staff, form);
  const keys = listPreferenceKeys(entity.name);
  const intent = String(form.get('intent') ?? '');
  const { actor } = staff.session;
  try {
    switch (intent) {
      case 'columns': {
        const hideable = new Set(listColumns(staff, entity, listViewOf(staff, entity.name)).filter((c) => c.hideable).map((c) => c.field));
        const hidden = [...new Set(form.getAll('hidden').map(String))].filter((f) => hideable.has(f));
        await writePreference(staff.db, actor, staff.workspace, keys.columns, hidden.length ? { hidden } : null);
        return { ok: true, intent };
      }
      case 'save_filter':
      case 'delete_filter': {
        const name = String(form.get('name') ?? '').trim();
        const saved = ((await readPreferences(staff.db, actor, staff.workspace, [keys.filters]))[keys.filters] as SavedFiltersPreference | undefined) ?? [];
        let next = saved.filter((s) => s.name !== name);
        if (intent === 'save_filter') {
          const parsed = parseFilterParam(String(form.get('filter') ?? ''));
          if (!parsed.tree) return { ok: false, intent, message: t(staff.locale, parsed.error === 'json' ? 'list_filter_bad_json' : 'list_filter_bad_shape') };
          const at = saved.findIndex((s) => s.name === name);
          next = at >= 0 ? saved.map((s, i) => (i === at ? { name, filter: parsed.tree! } : s)) : [...saved, { name, filter: parsed.tree }];
        }
        await writePreference(staff.db, actor, staff.workspace, keys.filters, next.length ? next : null);
        return { ok: true, intent, name };
      }
      default:
        throw new Response('Unknown intent', { status: 400 });
    }
  } catch (error) {
    if (!isFormaError(error)) throw error;
    const details = error.problems.map((p) => p.message[staff.locale]);
    return { ok: false, intent, message: [error.text[staff.locale], ...details].join('：') };
  }
}

export default function List({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { csrfToken } = useShell();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const [params] = useSearchParams();
  const {
    entity, title, allColumns, rows, sort, q, next, total, paged, canCreate, hasBoard, filter, filterError, effectiveFilter, problems, queryError,
    savedFilters, page, canUpdate, canReassign, canBatchDelete, canExport,
  } = loaderData;
  const withParams = (changes: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) (value === undefined ? p.delete(key) : p.set(key, value));
    return `?${p}`;
  };
  const filterHref = (tree: FilterTree | undefined) => withParams({ filter: tree ? filterParam(tree) : undefined, after: undefined, p: undefined });

  // Columns: the person's choice, shown at once while it is being saved (until the list reloads with it).
  const [chosenHidden, setChosenHidden] = useState<string[] | null>(null);
  useEffect(() => setChosenHidden(null), [loaderData.hidden]);
  const hidden = chosenHidden ?? loaderData.hidden;
  const columns = allColumns.filter((c) => !hidden.includes(c.field));

  const filterChoices = useMemo(() => withPeople(loaderData.filterFields, loaderData.people), [loaderData.filterFields, loaderData.people]);
  const batchChoices = useMemo(() => withPeople(loaderData.batchFields, loaderData.people), [loaderData.batchFields, loaderData.people]);

  // Marks the tools as working (scripts loaded): before that, buttons that need scripts do nothing.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  // Filter builder: open when asked, or when the filter has problems to fix.
  const [builderOpen, setBuilderOpen] = useState(false);
  const open = builderOpen || problems.length > 0;
  const filterKey = filter ? filterParam(filter) : '';

  // Selection: rows of this page, or every record the filter matches.
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const pageIds = useMemo(() => rows.map((r) => r.id), [rows]);
  const pageKey = `${filterKey}\n${pageIds.join(',')}`;
  const [selectionFor, setSelectionFor] = useState(pageKey);
  if (selectionFor !== pageKey) {
    // Another page, filter or sort: what was selected is no longer on screen.
    setSelectionFor(pageKey);
    setSelected(new Set());
    setAllMatching(false);
  }
  // Selected records can be changed in a batch, or printed.
  const batchAllowed = canUpdate || canBatchDelete || loaderData.printTemplates.length > 0;
  const selectedOnPage = pageIds.filter((id) => selected.has(id));
  const everyOnPage = pageIds.length > 0 && selectedOnPage.length === pageIds.length;
  const moreThanPage = !q && total !== undefined && (total.value > pageIds.length || !total.exact);
  const tooMany = total !== undefined && (!total.exact || total.value > BATCH_LIMIT);
  const count = allMatching && total ? total.value : selectedOnPage.length;
  const target: BatchTarget = allMatching ? { filter: effectiveFilter ?? ALL_RECORDS } : { ids: selectedOnPage };
  const toggle = (id: string, on: boolean) => {
    setAllMatching(false);
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const totalText = total ? t(locale, total.exact ? 'records_count' : 'records_count_about', { count: total.value.toLocaleString(locale) }) : undefined;
  const loading = navigation.state === 'loading' && navigation.location?.pathname === `/r/${entity}`;
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {totalText ? <span className="muted">{totalText}</span> : null}
        <Form method="get" className="list-search" role="search">
          {sort ? <input type="hidden" name="sort" value={sort} /> : null}
          {filter ? <input type="hidden" name="filter" value={filterKey} /> : null}
          <input type="search" name="q" defaultValue={q} placeholder={t(locale, 'quick_search')} aria-label={t(locale, 'quick_search')} />
        </Form>
        {hasBoard ? <Link className="button" to={`/r/${entity}/board`}>{t(locale, 'board')}</Link> : null}
        {canCreate ? <Link className="button primary" to={`/r/${entity}/new`}>{t(locale, 'new_record', { entity: title })}</Link> : null}
      </div>
      <div className="list-tools" data-hydrated={hydrated ? 'true' : undefined}>
        <button type="button" className={`filter-toggle${filter ? ' active' : ''}`} aria-expanded={open} onClick={() => setBuilderOpen(!open)}>
          {filter ? t(locale, 'list_filter_count', { count: conditionCount(filter) }) : t(locale, 'list_filter')}
        </button>
        <SavedFilters saved={savedFilters} current={filter ?? undefined} hrefFor={filterHref} csrf={csrfToken} locale={locale} />
        {filter && !open ? <Link to={filterHref(undefined)} className="clear-filter">{t(locale, 'list_clear')}</Link> : null}
        <span className="spacer" />
        {loading ? <span className="spinner" aria-label="…" /> : null}
        <ColumnMenu columns={allColumns} hidden={hidden} onChange={setChosenHidden} csrf={csrfToken} locale={locale} />
        {canExport ? (
          <ExportMenu entity={entity} filter={effectiveFilter ?? undefined} sort={sort} visible={columns.map((c) => c.field)} count={totalText} searching={Boolean(q)} locale={locale} />
        ) : null}
        <BatchPrint
          entity={entity} entityLabel={title} templates={loaderData.printTemplates} selection={count > 0 ? { target, count } : undefined}
          everything={effectiveFilter ?? ALL_RECORDS} filtered={Boolean(effectiveFilter)} sort={sort} total={total} searching={Boolean(q)} csrf={csrfToken} locale={locale}
        />
      </div>
      {filterError ? <p className="notice" role="alert">{t(locale, filterError === 'json' ? 'list_filter_bad_json' : 'list_filter_bad_shape')}</p> : null}
      {problems.length ? <p className="alert" role="alert">{t(locale, 'list_filter_problems', { count: problems.length })}</p> : null}
      {queryError ? <p className="alert" role="alert">{t(locale, 'list_query_problem', { message: queryError })}</p> : null}
      {filter && !open ? <FilterSummary filter={filter} fields={filterChoices} locale={locale} onOpen={() => setBuilderOpen(true)} /> : null}
      {open ? (
        <FilterBuilder
          key={filterKey} fields={filterChoices} filter={filter ?? undefined} problems={problems} locale={locale}
          onApply={(tree) => { setBuilderOpen(false); navigate(filterHref(tree)); }}
          onClose={() => setBuilderOpen(false)}
        />
      ) : null}
      {batchAllowed ? (
        <BatchBar
          entity={entity} count={count} target={target} canUpdate={canUpdate} canReassign={canReassign} canDelete={canBatchDelete}
          fields={batchChoices} people={loaderData.people} csrf={csrfToken} locale={locale}
          onDone={() => { setSelected(new Set()); setAllMatching(false); void revalidator.revalidate(); }}
        >
          <span className="selection" role="status">
            <strong>{allMatching && total ? t(locale, 'list_all_matching_selected', { count: total.value.toLocaleString(locale) }) : t(locale, 'list_selected', { count: count.toLocaleString(locale) })}</strong>
            {everyOnPage && moreThanPage && !allMatching ? (
              tooMany
                ? <span className="muted small"> {t(locale, 'list_all_matching_too_many', { max: BATCH_LIMIT.toLocaleString(locale) })}</span>
                : <button type="button" className="link" onClick={() => setAllMatching(true)}>{t(locale, 'list_select_all_matching', { count: total!.value.toLocaleString(locale) })}</button>
            ) : null}
            <button type="button" className="link" onClick={() => { setSelected(new Set()); setAllMatching(false); }}>{t(locale, 'list_clear_selection')}</button>
          </span>
        </BatchBar>
      ) : null}
      <div className="table-wrap card">
        <table className="records">
          <thead>
            <tr>
              {batchAllowed ? (
                <th className="select">
                  <input
                    type="checkbox" aria-label={t(locale, 'list_select_page')} checked={everyOnPage || allMatching}
                    ref={(input) => { if (input) input.indeterminate = !allMatching && selectedOnPage.length > 0 && !everyOnPage; }}
                    onChange={(e) => { setAllMatching(false); setSelected(e.target.checked ? new Set(pageIds) : new Set()); }}
                    disabled={pageIds.length === 0}
                  />
                </th>
              ) : null}
              {columns.map((column) => <Header key={column.field} column={column} sort={sort} href={withParams({ sort: nextSort(column.field, sort), after: undefined, p: undefined })} />)}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className={allMatching || selected.has(row.id) ? 'selected' : undefined}>
                {batchAllowed ? (
                  <td className="select">
                    <input type="checkbox" aria-label={t(locale, 'list_select_row')} checked={allMatching || selected.has(row.id)} onChange={(e) => toggle(row.id, e.target.checked)} />
                  </td>
                ) : null}
                {columns.map((column, i) => (
                  <td key={column.field}>
                    {i === 0 ? <Link to={`/r/${entity}/${row.id}`}>{row.cells[column.field]?.text || '—'}</Link> : <CellView cell={row.cells[column.field]} />}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !problems.length && !queryError ? <p className="empty muted">{t(locale, 'empty_list')}</p> : null}
      </div>
      <nav className="pager">
        {paged ? <Link to={withParams({ after: undefined, p: undefined })}>{t(locale, 'first_page')}</Link> : null}
        {paged || next ? <span className="muted">{t(locale, 'list_page', { page: page.toLocaleString(locale) })}</span> : null}
        {next ? <Link to={withParams({ after: next, p: String(page + 1) })}>{t(locale, 'next_page')} →</Link> : null}
      </nav>
    </>
  );
}

/** Clicking a header sorts by it ascending, clicking again descending. */
function nextSort(field: string, current: string): string {
  return current === field ? `-${field}` : field;
}

function Header({ column, sort, href }: { column: Column; sort: string; href: string }) {
  const locale = useLocale();
  const direction = sort === column.field ? 'asc' : sort === `-${column.field}` ? 'desc' : undefined;
  return (
    <th style={column.width ? { width: column.width } : undefined} aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : undefined}>
      {column.sortable ? (
        <Link to={href} title={direction ? t(locale, direction === 'asc' ? 'sort_ascending' : 'sort_descending') : undefined}>
          {column.label}{direction === 'asc' ? ' ▲' : direction === 'desc' ? ' ▼' : ''}
        </Link>
      ) : column.label}
    </th>
  );
}

/** A formatted value: a coloured chip for select options, a link for lookups, mail, phone and web addresses. */
export function CellView({ cell }: { cell: Cell | undefined }) {
  if (!cell?.text) return null;
  // Attachments: a plain link per file (a download from the API, not a page of the app).
  if (cell.links) return <>{cell.links.map((l, i) => <span key={l.href}>{i ? '、' : ''}<a href={l.href} download={l.text}>{l.text}</a></span>)}</>;
  if (cell.color) return <span className="chip" style={{ ['--chip' as string]: cell.color }}>{cell.text}</span>;
  if (cell.href) return cell.href.startsWith('/') ? <Link to={cell.href}>{cell.text}</Link> : <a href={cell.href}>{cell.text}</a>;
  return <>{cell.text}</>;
}

export { PageError as ErrorBoundary } from '../page-error.tsx';
