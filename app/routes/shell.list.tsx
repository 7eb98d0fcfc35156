import { Form, Link, useSearchParams } from 'react-router';
import { runQuery, type SortKey } from '../../engine/records/query/index.ts';
import { quickSearch } from '../../engine/records/search.ts';
import type { Cell } from '../format.server.ts';
import { formatRecords, listColumns, listViewOf, pageError, readableEntity, type Column } from '../records.server.ts';
import { requireStaff } from '../staff.server.ts';
import { label, t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/shell.list';

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.title ?? ''} · Forma` }];

const PAGE_SIZE = 50;

/**
 * One page of an entity's list: the admin's list view (columns, default sort and filter), the
 * person's sort (`?sort=name` / `?sort=-name`), quick search (`?q=`) and page (`?after=`, the
 * cursor of the page before), through the records engine — so their record scope and hidden
 * fields hold here as everywhere, and a page reads a million-row table off its indexes.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  const entity = readableEntity(staff, params.entity);
  const view = listViewOf(staff, entity.name);
  const columns = listColumns(staff, entity, view);
  const url = new URL(request.url);
  const q = url.searchParams.get('q')?.trim() ?? '';
  const sortParam = url.searchParams.get('sort');
  const sort: SortKey[] = sortParam
    ? [{ field: sortParam.replace(/^-/, ''), direction: sortParam.startsWith('-') ? 'desc' : 'asc' }]
    : ((view?.defaultSort as SortKey[] | undefined) ?? [{ field: 'created_at', direction: 'desc' }]);
  const after = url.searchParams.get('after') ?? undefined;
  const fields = columns.map((c) => c.field);
  try {
    let records: Record<string, unknown>[];
    let next: string | undefined;
    let total: { value: number; exact: boolean } | undefined;
    if (q) {
      // Best match first: the search's own order, then the page of those records.
      const hits = await quickSearch(staff.ctx, staff.session.actor, entity.name, q, { limit: PAGE_SIZE });
      const found = hits.length
        ? (await runQuery(staff.ctx, staff.session.actor, entity.name, { filter: { field: 'id', op: 'in', value: hits.map((h) => h.id) }, fields, page: { size: PAGE_SIZE } })).records
        : [];
      const byId = new Map(found.map((r) => [String(r.id), r]));
      records = hits.map((h) => byId.get(h.id)).filter((r): r is Record<string, unknown> => r !== undefined);
      total = { value: records.length, exact: true };
    } else {
      const page = await runQuery(staff.ctx, staff.session.actor, entity.name, {
        ...(view?.defaultFilter ? { filter: view.defaultFilter } : {}),
        sort, fields, page: { size: PAGE_SIZE, ...(after ? { after } : {}) }, count: true,
      });
      ({ records, next, total } = page);
    }
    const rights = staff.access.entity(entity.name)!.rights;
    return {
      entity: entity.name,
      title: label(entity.label, staff.locale),
      columns,
      rows: await formatRecords(staff, entity, records, fields),
      sort: sort[0] ? `${sort[0].direction === 'desc' ? '-' : ''}${sort[0].field}` : '',
      q, next, total, paged: Boolean(after),
      canCreate: rights.has('create'),
    };
  } catch (error) {
    pageError(error, staff.locale);
  }
}

export default function List({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const [params] = useSearchParams();
  const { entity, title, columns, rows, sort, q, next, total, paged, canCreate } = loaderData;
  const withParams = (changes: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) (value === undefined ? p.delete(key) : p.set(key, value));
    return `?${p}`;
  };
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
        {total ? <span className="muted">{t(locale, total.exact ? 'records_count' : 'records_count_about', { count: total.value.toLocaleString(locale) })}</span> : null}
        <Form method="get" className="list-search" role="search">
          {sort ? <input type="hidden" name="sort" value={sort} /> : null}
          <input type="search" name="q" defaultValue={q} placeholder={t(locale, 'quick_search')} aria-label={t(locale, 'quick_search')} />
        </Form>
        {canCreate ? <Link className="button primary" to={`/r/${entity}/new`}>{t(locale, 'new_record', { entity: title })}</Link> : null}
      </div>
      <div className="table-wrap card">
        <table className="records">
          <thead>
            <tr>
              {columns.map((column) => <Header key={column.field} column={column} sort={sort} href={withParams({ sort: nextSort(column.field, sort), after: undefined })} />)}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                {columns.map((column, i) => (
                  <td key={column.field}>
                    {i === 0 ? <Link to={`/r/${entity}/${row.id}`}>{row.cells[column.field]?.text || '—'}</Link> : <CellView cell={row.cells[column.field]} />}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="empty muted">{t(locale, 'empty_list')}</p> : null}
      </div>
      <nav className="pager">
        {paged ? <Link to={withParams({ after: undefined })}>{t(locale, 'first_page')}</Link> : null}
        {next ? <Link to={withParams({ after: next })}>{t(locale, 'next_page')} →</Link> : null}
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
  if (cell.color) return <span className="chip" style={{ ['--chip' as string]: cell.color }}>{cell.text}</span>;
  if (cell.href) return cell.href.startsWith('/') ? <Link to={cell.href}>{cell.text}</Link> : <a href={cell.href}>{cell.text}</a>;
  return <>{cell.text}</>;
}
