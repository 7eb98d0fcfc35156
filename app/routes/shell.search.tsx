import { Link } from 'react-router';
import type { Cell } from '../format.server.ts';
import { pageError } from '../records.server.ts';
import { phoneQuery } from '../search/phone.ts';
import { CALLER_ENTITIES } from '../search/caller.ts';
import { callersOf, searchEverything, type Caller, type CardRecord, type RelatedTable, type SearchGroup } from '../search/search.server.ts';
import { requireStaff } from '../staff.server.ts';
import searchStyles from '../styles/search.css?url';
import { t } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import type { Route } from './+types/shell.search';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: searchStyles }];

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.title ?? ''} · Forma` }];

/**
 * The top bar's search (`/search?q=`): a phone number opens the caller lookup (来电弹屏) — who
 * has this number, their customer, its latest activities and open orders — and any text finds
 * records of every entity the person may read by their searchable fields, a few per entity.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 200);
  const title = q ? t(staff.locale, 'results_for', { q }) : t(staff.locale, 'search');
  if (!q) return { q, title, phone: null, callers: null, groups: [], canLogActivity: false };
  try {
    const phone = phoneQuery(q) ?? null;
    const [callers, groups] = await Promise.all([phone ? callersOf(staff, phone) : null, searchEverything(staff, q)]);
    // Records the caller cards already show are not listed again below them.
    const shown = new Set((callers ?? []).flatMap((c) => [...(c.customer ? [`${c.customer.entity}:${c.customer.id}`] : []), ...c.matches.map((m) => `${m.entity}:${m.id}`)]));
    const rest = groups.map((g) => ({ ...g, hits: g.hits.filter((h) => !shown.has(`${g.entity}:${h.id}`)) })).filter((g) => g.hits.length > 0);
    return { q, title, phone, callers, groups: rest, canLogActivity: Boolean(staff.access.entity(CALLER_ENTITIES.activity)?.rights.has('create')) };
  } catch (error) {
    pageError(error, staff.locale);
  }
}

export default function Search({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { q, title, phone, callers, groups, canLogActivity } = loaderData;
  if (!q) {
    return (
      <>
        <div className="page-head"><h1>{title}</h1></div>
        <p className="muted">{t(locale, 'search_prompt')}</p>
      </>
    );
  }
  return (
    <div className="search-page">
      <div className="page-head"><h1>{title}</h1></div>
      {phone && callers ? (
        <section className="caller-panel" aria-labelledby="caller-heading">
          <h2 id="caller-heading">{t(locale, 'caller', { number: phone })}</h2>
          {callers.length === 0 ? <p className="muted">{t(locale, 'caller_unknown')}</p> : null}
          {callers.length > 1 ? <p className="muted">{t(locale, 'caller_matches', { count: callers.length })}</p> : null}
          {callers.map((caller) => <CallerCard key={caller.key} caller={caller} open={callers.length === 1} canLogActivity={canLogActivity} />)}
        </section>
      ) : null}
      {groups.length ? (
        <section className="search-results" aria-label={phone ? t(locale, 'search_other_results') : title}>
          {phone ? <h2>{t(locale, 'search_other_results')}</h2> : null}
          {groups.map((group) => <Group key={group.entity} group={group} q={q} />)}
        </section>
      ) : phone ? null : <p className="empty muted card">{t(locale, 'no_results')}</p>}
    </div>
  );
}

function Group({ group, q }: { group: SearchGroup; q: string }) {
  const locale = useLocale();
  return (
    <section className="search-group card">
      <header>
        <h3>{group.label}</h3>
        {group.more ? <Link to={`/r/${group.entity}?q=${encodeURIComponent(q)}`}>{t(locale, 'search_more')} →</Link> : null}
      </header>
      <ul>
        {group.hits.map((hit) => (
          <li key={hit.id}>
            <Link to={`/r/${group.entity}/${hit.id}`}>{hit.label}</Link>
            {hit.matched.length ? <span className="muted"> · {t(locale, 'search_matched', { fields: hit.matched.join('、') })}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * One caller: the customer's card with the records holding the number (its contacts…), its
 * latest activities and orders. Open at once when it is the only one; else a summary to open.
 */
function CallerCard({ caller, open, canLogActivity }: { caller: Caller; open: boolean; canLogActivity: boolean }) {
  const locale = useLocale();
  const { customer, matches } = caller;
  const head = customer ?? matches[0]!;
  const [open_, close] = locale === 'zh-CN' ? ['（', '）'] : [' (', ')'];
  const via = [...(customer?.matchedField ? [customer.matchedField] : []), ...matches.map((m) => (m === head ? m.field : `${m.name}${open_}${m.entityLabel} · ${m.field}${close}`))];
  return (
    <details className="caller card" open={open} data-entity={head.entity} data-id={head.id}>
      <summary>
        <span className="caller-name">{head.name}</span>
        <span className="muted">{head.entityLabel}{via.length ? ` · ${via.join('、')}` : ''}</span>
      </summary>
      <div className="caller-body">
        <div className="caller-main">
          {customer ? <RecordFacts record={customer} /> : null}
          {matches.map((match) => (
            <div key={`${match.entity}:${match.id}`} className="caller-match">
              <h4>{t(locale, 'caller_matched_by', { entity: match.entityLabel, field: match.field })}</h4>
              <RecordFacts record={match} />
            </div>
          ))}
          {customer && canLogActivity ? (
            <p className="actions">
              <Link className="button primary" to={`/r/${CALLER_ENTITIES.activity}/new?customer=${customer.id}${matches[0]?.entity === CALLER_ENTITIES.contact ? `&contact=${matches[0].id}` : ''}`}>
                {t(locale, 'caller_new_activity')}
              </Link>
            </p>
          ) : null}
        </div>
        {caller.activities || caller.orders ? (
          <div className="caller-side">
            {caller.activities ? (
              <Related title={t(locale, 'latest_activities')} table={caller.activities} empty={t(locale, 'caller_no_activities')} />
            ) : null}
            {caller.orders ? (
              <Related title={t(locale, caller.orders.open ? 'open_orders' : 'latest_orders')} table={caller.orders} empty={t(locale, 'caller_no_orders')}
                note={caller.orders.open ? undefined : t(locale, 'orders_without_status')} />
            ) : null}
          </div>
        ) : null}
      </div>
    </details>
  );
}

function RecordFacts({ record }: { record: CardRecord }) {
  const locale = useLocale();
  return (
    <div className="caller-record">
      <Link className="caller-record-name" to={`/r/${record.entity}/${record.id}`}>{record.name}</Link>
      <Link className="muted" to={`/r/${record.entity}/${record.id}`}>{t(locale, 'caller_open_record')} →</Link>
      <dl>
        {record.fields.map((field) => (
          <div key={field.label}>
            <dt>{field.label}</dt>
            <dd><CellText cell={field.cell} /></dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function Related({ title, table, empty, note }: { title: string; table: RelatedTable; empty: string; note?: string }) {
  return (
    <section className="caller-related">
      <h3>{title}</h3>
      {note ? <p className="muted note">{note}</p> : null}
      {table.rows.length ? (
        <table className="records compact">
          <thead>
            <tr>{table.columns.map((c) => <th key={c.field}>{c.label}</th>)}</tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.id}>
                {row.cells.map((cell, i) => (
                  <td key={table.columns[i]!.field}>
                    {i === 0 ? <Link to={`/r/${table.entity}/${row.id}`}>{cell.text || '—'}</Link> : <CellText cell={cell} />}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">{empty}</p>}
    </section>
  );
}

function CellText({ cell }: { cell: Cell }) {
  if (!cell.text) return null;
  if (cell.color) return <span className="chip" style={{ ['--chip' as string]: cell.color }}>{cell.text}</span>;
  if (cell.href) return cell.href.startsWith('/') ? <Link to={cell.href}>{cell.text}</Link> : <a href={cell.href}>{cell.text}</a>;
  return <>{cell.text}</>;
}
export { PageError as ErrorBoundary } from '../page-error.tsx';
