import { Form, Link, redirect } from 'react-router';
import type { EntityDocument, FieldDefinition } from '../../engine/metadata/model.ts';
import { documentKey } from '../../engine/metadata/model.ts';
import { getRecord, getRecordHistory } from '../../engine/records/read.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { deleteRecord, restoreRecord } from '../../engine/records/write.ts';
import { userNames } from '../../engine/security/users.ts';
import { formatCell, moment, type Cell } from '../format.server.ts';
import { formatListRows, listColumns, listViewOf, pageError, queryFieldsOf, readableEntity, relatedLists } from '../records.server.ts';
import { PrintMenu } from '../print/PrintMenu.tsx';
import { printTemplateViews } from '../print/templates.server.ts';
import { requireFormCsrf, requireStaff, type Staff } from '../staff.server.ts';
import listsCss from '../styles/lists.css?url';
import printCss from '../styles/print.css?url';
import { label, t, type Locale } from '../text/index.ts';
import { useLocale } from '../use-locale.ts';
import { CellView } from './shell.list.tsx';
import { useShell } from './shell.tsx';
import type { Route } from './+types/shell.record';

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.title ?? ''} · Forma` }];

// The Print menu is a list tool's drop-down menu (lists.css) with its own parts (print.css).
export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: listsCss }, { rel: 'stylesheet', href: printCss }];

interface Section {
  label: string;
  columns: number;
  fields: { name: string; label: string; span: number; cell: Cell }[];
}

/**
 * A record as its page shows it: the admin's form layout (sections and their columns) with
 * formatted values, line items, related lists (a customer's contacts, quotes, orders…) with a
 * "new" prefilled with this record, and the change history (变更记录) as a timeline — all as the
 * person may see it (record scope, hidden fields).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const staff = await requireStaff(request, context);
  const entity = readableEntity(staff, params.entity);
  try {
    const record = await getRecord(staff.ctx, staff.session.actor, entity.name, params.id, { includeDeleted: true });
    const history = await getRecordHistory(staff.ctx, staff.session.actor, entity.name, params.id);
    const users = await userNames(staff.db, [record.owner_id as string, record.created_by as string, record.updated_by as string,
      ...Object.entries(entity.schema.properties).filter(([, f]) => f['x-forma'].type === 'user').map(([name]) => record[name] as string)]);
    const cell = (name: string, definition: FieldDefinition) => formatCell(definition, record[name], { locale: staff.locale, users, lookupLabel: record._labels[name] });
    const rights = staff.access.entity(entity.name)!.rights;
    return {
      entity: entity.name,
      entityLabel: label(entity.label, staff.locale),
      title: displayName(entity, record, cell),
      id: record.id,
      version: record.version,
      deletedAt: record.deleted_at ? moment(String(record.deleted_at), staff.locale) : null,
      sections: sections(staff, entity, record, cell),
      lines: await lineTables(staff, entity, record),
      system: [
        { label: t(staff.locale, 'owner'), text: users.get(String(record.owner_id)) ?? '—' },
        { label: t(staff.locale, 'created_at'), text: moment(String(record.created_at), staff.locale) },
        { label: t(staff.locale, 'updated_at'), text: `${moment(String(record.updated_at), staff.locale)} · ${users.get(String(record.updated_by)) ?? '—'}` },
        { label: t(staff.locale, 'version'), text: String(record.version) },
      ],
      history: history.reverse().map((change) => ({
        at: moment(change.at, staff.locale),
        text: t(staff.locale, `history_${change.operation}`, { actor: users.get(change.actor.id) ?? change.actor.name, count: Object.keys(change.changes).length }),
        changes: change.operation === 'update' ? Object.entries(change.changes).map(([field, [, after]]) => {
          const definition = entity.schema.properties[field];
          if (!definition || definition['x-forma'].type === 'lines') return definition ? label(definition['x-forma'].label, staff.locale) : field;
          return `${label(definition['x-forma'].label, staff.locale)}: ${formatCell(definition, after, { locale: staff.locale, users }).text || '—'}`;
        }) : [],
      })),
      related: await related(staff, entity.name, record.id),
      canEdit: rights.has('update') && !record.deleted_at,
      canDelete: rights.has('delete'),
      printTemplates: record.deleted_at ? [] : printTemplateViews(staff.model, staff.access, entity.name, staff.locale),
    };
  } catch (error) {
    pageError(error, staff.locale);
  }
}

/** Delete (to the recycle bin, at the version shown) and restore, from the page's buttons. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const staff = await requireStaff(request, context);
  const form = await request.formData();
  await requireFormCsrf(staff, form);
  try {
    if (form.get('intent') === 'delete') {
      await deleteRecord(staff.ctx, staff.session.actor, params.entity, params.id, { version: Number(form.get('version')) });
      return redirect(`/r/${params.entity}`);
    }
    await restoreRecord(staff.ctx, staff.session.actor, params.entity, params.id);
    return redirect(`/r/${params.entity}/${params.id}`);
  } catch (error) {
    pageError(error, staff.locale);
  }
}

type CellOf = (name: string, definition: FieldDefinition) => Cell;

function displayName(entity: EntityDocument, record: Record<string, unknown>, cell: CellOf): string {
  const name = entity.schema['x-forma']?.displayField;
  return (name && entity.schema.properties[name] ? cell(name, entity.schema.properties[name]).text : '') || String(record.id);
}

/** The admin's form layout as read-only sections; without one, every field in one section. */
function sections(staff: Staff, entity: EntityDocument, record: Record<string, unknown>, cell: CellOf): Section[] {
  const hidden = staff.access.entity(entity.name)?.hidden ?? new Set<string>();
  const layout = [...staff.model.values()].find((doc) => doc.kind === 'layout' && doc.entity === entity.name && doc.type === 'form');
  type Item = string | { field: string; span?: number };
  const configured = (layout?.sections as { label: Record<Locale, string>; columns?: number; fields: Item[] }[] | undefined)
    ?? [{ label: entity.label as Record<Locale, string>, columns: 2, fields: Object.keys(entity.schema.properties) }];
  return configured.map((section) => ({
    label: label(section.label, staff.locale),
    columns: section.columns ?? 2,
    fields: section.fields.flatMap((item) => {
      const name = typeof item === 'string' ? item : item.field;
      const definition = entity.schema.properties[name];
      if (!definition || definition['x-forma'].archived || hidden.has(name) || definition['x-forma'].type === 'lines' || !(name in record)) return [];
      return [{ name, label: label(definition['x-forma'].label, staff.locale), span: typeof item === 'string' ? 1 : item.span ?? 1, cell: cell(name, definition) }];
    }),
  })).filter((section) => section.fields.length);
}

/** Each `lines` field of the record as a table of its rows (the person's hidden line fields left out). */
async function lineTables(staff: Staff, entity: EntityDocument, record: Record<string, unknown>) {
  return Promise.all(Object.entries(entity.schema.properties)
    .filter(([name, f]) => f['x-forma'].type === 'lines' && Array.isArray(record[name]))
    .map(async ([name, f]) => {
      const child = staff.model.get(documentKey({ kind: 'entity', name: f['x-forma'].entity! })) as EntityDocument;
      const rows = record[name] as Record<string, unknown>[];
      const fields = Object.keys(rows[0] ?? {}).filter((k) => k !== 'id' && child.schema.properties[k]);
      const headers = fields.map((k) => label(child.schema.properties[k]!['x-forma'].label, staff.locale));
      const users = await userNames(staff.db, rows.flatMap((row) => fields.filter((k) => child.schema.properties[k]!['x-forma'].type === 'user').map((k) => row[k] as string)));
      const names = await lookupNames(staff, child, fields, rows);
      return {
        name, label: label(f['x-forma'].label, staff.locale), headers,
        rows: rows.map((row) => fields.map((k) => formatCell(child.schema.properties[k]!, row[k], {
          locale: staff.locale, users, lookupLabel: names.get(k)?.get(String(row[k])) ?? null,
        }).text)),
      };
    }));
}

/**
 * The names of the records the line rows' lookups point to (a quote line's product), by field
 * and id: one scoped query per lookup field, so a name the person may not read stays unknown.
 */
async function lookupNames(staff: Staff, child: EntityDocument, fields: string[], rows: Record<string, unknown>[]) {
  const names = new Map<string, Map<string, string>>();
  for (const field of fields.filter((k) => child.schema.properties[k]!['x-forma'].type === 'lookup')) {
    const target = child.schema.properties[field]!['x-forma'].target!;
    const display = (staff.model.get(documentKey({ kind: 'entity', name: target })) as EntityDocument | undefined)?.schema['x-forma']?.displayField;
    const ids = [...new Set(rows.map((row) => row[field]).filter((id): id is string => typeof id === 'string'))];
    const rules = staff.access.entity(target);
    if (!display || !ids.length || !rules?.rights.has('read') || rules.hidden.has(display)) continue;
    const { records } = await runQuery(staff.ctx, staff.session.actor, target, { filter: { field: 'id', op: 'in', value: ids }, fields: [display], page: { size: 200 } });
    names.set(field, new Map(records.map((r) => [String(r.id), String(r[display] ?? '')])));
  }
  return names;
}

/** The first records of each entity pointing here, with a "new" prefilled with this record. */
async function related(staff: Staff, entity: string, id: string) {
  return Promise.all(relatedLists(staff, entity).map(async ({ entity: other, field }) => {
    const columns = listColumns(staff, other, listViewOf(staff, other.name)).filter((c) => c.field !== field).slice(0, 4);
    const page = await runQuery(staff.ctx, staff.session.actor, other.name, {
      filter: { field, op: 'eq', value: id }, fields: queryFieldsOf(columns.map((c) => c.field)), page: { size: 5 }, count: true,
    });
    return {
      entity: other.name, field, label: label(other.label, staff.locale), columns: columns.map((c) => c.label), fields: columns.map((c) => c.field),
      total: page.total?.value ?? page.records.length,
      rows: await formatListRows(staff, other, page.records, columns.map((c) => c.field)),
      canCreate: staff.access.entity(other.name)!.rights.has('create'),
    };
  }));
}

export default function RecordPage({ loaderData }: Route.ComponentProps) {
  const locale = useLocale();
  const { csrfToken } = useShell();
  const d = loaderData;
  return (
    <>
      <div className="page-head">
        <div>
          <Link to={`/r/${d.entity}`} className="muted">{d.entityLabel}</Link>
          <h1>{d.title}</h1>
        </div>
        <div className="page-actions">
          <PrintMenu entity={d.entity} id={d.id} templates={d.printTemplates} locale={locale} />
          {d.canEdit ? <Link className="button primary" to={`/r/${d.entity}/${d.id}/edit`}>{t(locale, 'edit')}</Link> : null}
          {d.canDelete ? (
            <Form method="post" className="inline" onSubmit={(e) => { if (!d.deletedAt && !confirm(t(locale, 'confirm_delete'))) e.preventDefault(); }}>
              <input type="hidden" name="_csrf" value={csrfToken} />
              <input type="hidden" name="version" value={d.version} />
              {d.deletedAt
                ? <button type="submit" name="intent" value="restore">{t(locale, 'restore')}</button>
                : <button type="submit" name="intent" value="delete" className="danger">{t(locale, 'delete')}</button>}
            </Form>
          ) : null}
        </div>
      </div>
      {d.deletedAt ? <p className="notice">{t(locale, 'deleted_banner', { at: d.deletedAt })}</p> : null}
      <div className="record-grid">
        <div>
          {d.sections.map((section) => (
            <section key={section.label} className="card section">
              <h2>{section.label}</h2>
              <dl style={{ ['--columns' as string]: section.columns }}>
                {section.fields.map((f) => (
                  <div key={f.name} style={f.span > 1 ? { gridColumn: `span ${f.span}` } : undefined}>
                    <dt>{f.label}</dt>
                    <dd><CellView cell={f.cell} />{f.cell.text ? null : <span className="muted">—</span>}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          {d.lines.map((lines) => (
            <section key={lines.name} className="card section">
              <h2>{lines.label}</h2>
              {lines.rows.length ? (
                <table className="records">
                  <thead><tr><th>{t(locale, 'line_number')}</th>{lines.headers.map((h) => <th key={h}>{h}</th>)}</tr></thead>
                  <tbody>{lines.rows.map((row, i) => <tr key={i}><td>{i + 1}</td>{row.map((text, j) => <td key={j}>{text}</td>)}</tr>)}</tbody>
                </table>
              ) : <p className="muted">{t(locale, 'lines_empty')}</p>}
            </section>
          ))}
          {d.related.filter((list) => list.total > 0).map((list) => (
            <section key={`${list.entity}.${list.field}`} className="card section">
              <div className="page-head">
                <h2>{list.label} <span className="muted">({list.total})</span></h2>
                {list.canCreate ? <Link className="button" to={`/r/${list.entity}/new?${list.field}=${d.id}`}>{t(locale, 'new_record', { entity: list.label })}</Link> : null}
              </div>
              {list.rows.length ? (
                <table className="records">
                  <thead><tr>{list.columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
                  <tbody>
                    {list.rows.map((row) => (
                      <tr key={row.id}>
                        {list.fields.map((f, i) => <td key={f}>{i === 0 ? <Link to={`/r/${list.entity}/${row.id}`}>{row.cells[f]?.text || '—'}</Link> : <CellView cell={row.cells[f]} />}</td>)}
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </section>
          ))}
          {d.related.some((list) => list.total === 0) ? (
            // Related lists with nothing in them yet: one line, so the ones with records stay in view.
            <section className="card section related-empty">
              {d.related.filter((list) => list.total === 0).map((list) => (
                <span key={`${list.entity}.${list.field}`}>
                  {list.label} <span className="muted">(0)</span>
                  {list.canCreate ? <> · <Link to={`/r/${list.entity}/new?${list.field}=${d.id}`}>{t(locale, 'new_record', { entity: list.label })}</Link></> : null}
                </span>
              ))}
            </section>
          ) : null}
        </div>
        <aside>
          <section className="card section">
            <dl style={{ ['--columns' as string]: 1 }}>
              {d.system.map((s) => <div key={s.label}><dt>{s.label}</dt><dd>{s.text}</dd></div>)}
            </dl>
          </section>
          <section className="card section">
            <h2>{t(locale, 'history')}</h2>
            <ol className="timeline">
              {d.history.map((h, i) => (
                <li key={i}>
                  <div>{h.text}</div>
                  <div className="muted">{h.at}</div>
                  {h.changes.length ? <ul className="changes">{h.changes.map((c) => <li key={c}>{c}</li>)}</ul> : null}
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </>
  );
}
export { PageError as ErrorBoundary } from '../page-error.tsx';
