import { useState } from 'react';
import { Menu } from '../lists/Menu.tsx';
import { t, type Locale } from '../text/index.ts';
import { StartPosition } from './StartPosition.tsx';

/** A print template as the Print buttons offer it, in the person's language. */
export interface PrintTemplateView {
  name: string;
  label: string;
  /** For a label template: its sheet, and the cell printing starts at unless chosen. */
  labels: { rows: number; columns: number; startPosition: number } | null;
}

/** The address of one record's PDF printed with a template (`GET /api/v1/print/:template/:id`, app/api/print.server.ts). */
function recordPdfPath(template: string, id: string): string {
  return `/api/v1/print/${encodeURIComponent(template)}/${encodeURIComponent(id)}`;
}

/** The same with its query: the record's entity (checked against the template's), and whether to download it. */
function recordPdfHref(template: string, entity: string, id: string, download = false): string {
  return `${recordPdfPath(template, id)}?${new URLSearchParams({ entity, ...(download ? { download: '1' } : {}) })}`;
}

/**
 * The 「打印」 Print button of a record page: the templates of the record's entity the person
 * may use (none: no button). One template: the button opens its PDF in a new tab, with a
 * download button beside it. Several: a menu with each template — a label template with the
 * cell of the sheet to start at — to open or download. Plain links and GET forms: they work
 * before the page's scripts have loaded. The server logs each print.
 */
export function PrintMenu({ entity, id, templates, locale }: { entity: string; id: string; templates: PrintTemplateView[]; locale: Locale }) {
  if (!templates.length) return null;
  if (templates.length === 1) {
    const only = templates[0]!;
    return (
      <span className="print-split">
        <a className="button" href={recordPdfHref(only.name, entity, id)} target="_blank" rel="noopener" title={t(locale, 'pr_print_with', { template: only.label })}>
          {t(locale, 'pr_print')}
        </a>
        <a className="button" href={recordPdfHref(only.name, entity, id, true)} download title={t(locale, 'pr_download_pdf')} aria-label={t(locale, 'pr_download_pdf')}>
          ⤓
        </a>
      </span>
    );
  }
  return (
    <Menu label={t(locale, 'pr_print')} align="right" className="print-menu" testId="print-menu">
      <p className="muted small">{t(locale, 'pr_menu_hint')}</p>
      <ul className="print-templates">
        {templates.map((template) => <TemplateRow key={template.name} template={template} entity={entity} id={id} locale={locale} />)}
      </ul>
    </Menu>
  );
}

/** One template of the menu: a GET form to the record's PDF, opened in a new tab or downloaded. */
function TemplateRow({ template, entity, id, locale }: { template: PrintTemplateView; entity: string; id: string; locale: Locale }) {
  const [start, setStart] = useState(template.labels?.startPosition ?? 1);
  return (
    <li>
      <form method="get" action={recordPdfPath(template.name, id)} target="_blank" className="print-template">
        <input type="hidden" name="entity" value={entity} />
        <span className="print-template-name">{template.label}</span>
        {template.labels ? (
          <StartPosition rows={template.labels.rows} columns={template.labels.columns} value={start} onChange={setStart} locale={locale} name="startPosition" />
        ) : null}
        <span className="print-template-actions">
          <button type="submit" className="primary">{t(locale, 'pr_open')}</button>
          <button type="submit" name="download" value="1" formTarget="_self">{t(locale, 'pr_download')}</button>
        </span>
      </form>
    </li>
  );
}
