import { t, type Locale } from '../text/index.ts';
import { filterParam, type FilterTree } from './filter.ts';
import { Menu } from './Menu.tsx';

/**
 * Export (导出) of every record of the current filter, in the current sort, to Excel or CSV:
 * links to `GET /api/v1/records/:entity/export`, which streams the file (the browser's own
 * download shows its progress). The columns shown, or every field.
 */
export function ExportMenu({ entity, filter, sort, visible, count, searching, locale }: {
  entity: string; filter: FilterTree | undefined; sort: string; visible: string[]; count: string | undefined; searching: boolean; locale: Locale;
}) {
  const href = (format: 'xlsx' | 'csv', fields?: string[]) => {
    const p = new URLSearchParams({ format });
    if (filter) p.set('filter', filterParam(filter));
    if (sort) p.set('sort', sort);
    if (fields) p.set('fields', fields.join(','));
    return `/api/v1/records/${encodeURIComponent(entity)}/export?${p}`;
  };
  return (
    <Menu label={t(locale, 'list_export')} align="right" testId="export-menu">
      <p className="muted small">{t(locale, 'list_export_hint', { count: count ?? '…' })}</p>
      {searching ? <p className="notice small">{t(locale, 'list_export_search_ignored')}</p> : null}
      <table className="export-choices">
        <tbody>
          <tr>
            <th scope="row">{t(locale, 'list_export_visible')}</th>
            <td><a href={href('xlsx', visible)} download data-format="xlsx">{t(locale, 'list_export_xlsx')}</a></td>
            <td><a href={href('csv', visible)} download data-format="csv">{t(locale, 'list_export_csv')}</a></td>
          </tr>
          <tr>
            <th scope="row">{t(locale, 'list_export_all')}</th>
            <td><a href={href('xlsx')} download data-format="xlsx" data-all="">{t(locale, 'list_export_xlsx')}</a></td>
            <td><a href={href('csv')} download data-format="csv" data-all="">{t(locale, 'list_export_csv')}</a></td>
          </tr>
        </tbody>
      </table>
    </Menu>
  );
}
