import { useEffect, useRef, useState } from 'react';
import type { Locale } from '../../../engine/i18n/text.ts';
import { LOCALES, t } from '../../text/index.ts';
import { useLocale } from '../../use-locale.ts';
import type { PreviewAnswer, SampleRecord } from './preview.ts';
import type { useSampleRecords } from './sample-records.ts';
import type { Preview } from './use-preview.ts';

/** CSS pixels per millimetre (96 per inch). */
const PX_PER_MM = 96 / 25.4;
/** The grey around the sheet in the preview document (its `html` padding), px. */
const SHEET_GUTTER = 16;
/** How tall the preview is on screen, px. */
const PREVIEW_HEIGHT = 720;

/**
 * The designer's previews: which record they show (searched among the entity's records, or
 * the sample data), in which language, the live HTML preview — in a frame with `sandbox` and no
 * `allow-scripts`, its document carrying a policy that fetches nothing but `data:` — scaled to
 * fit, and the PDF preview on demand with its page count. The last page that rendered stays
 * while the draft has errors; the errors show above it.
 */
export function PreviewPane({ preview, picker, record, onRecord, sample, dataLocale, onDataLocale, entityLabel }: {
  preview: Preview;
  picker: ReturnType<typeof useSampleRecords>;
  /** The chosen record's id ('' for sample data). */
  record: string;
  onRecord: (record: SampleRecord | null) => void;
  /** Whether sample data can stand in (a built-in template prints the entity). */
  sample: boolean;
  dataLocale: Locale;
  onDataLocale: (locale: Locale) => void;
  entityLabel: string;
}) {
  const locale = useLocale();
  const { shown, latest, loading, failed, pdf } = preview;
  const chosen = shown?.record.id === record ? shown.record : latest?.record.id === record ? latest.record : undefined;
  const options = [...picker.records];
  if (record && chosen && !options.some((r) => r.id === record)) options.unshift({ id: record, label: chosen.label });
  const problems = latest?.problems.filter((p) => p.line === undefined) ?? [];
  const pdfStale = pdf && pdf.state !== 'loading' && pdf.key !== preview.requestKey;

  return (
    <aside className="card apt-card apt-preview" aria-labelledby="apt-preview-title">
      <div className="apt-preview-head">
        <h2 id="apt-preview-title">{t(locale, 'apt_preview_title')}</h2>
        <span className="muted small" role="status">
          {loading ? t(locale, 'apt_preview_loading') : failed ? t(locale, 'apt_preview_failed') : shown ? t(locale, 'apt_preview_of', { record: shown.record.label }) : ''}
        </span>
      </div>
      <div className="apt-row apt-preview-tools">
        <label className="field apt-record">
          <span>{t(locale, 'apt_record', { entity: entityLabel })}</span>
          <input
            type="search" value={picker.query} onChange={(e) => picker.setQuery(e.target.value)}
            placeholder={t(locale, 'apt_record_search', { entity: entityLabel })} aria-label={t(locale, 'apt_record_search', { entity: entityLabel })}
          />
          <select
            name="record" value={record} aria-label={t(locale, 'apt_record', { entity: entityLabel })}
            onChange={(e) => onRecord(options.find((r) => r.id === e.target.value) ?? null)}
          >
            {options.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
            {sample || !record ? <option value="">{t(locale, sample ? 'apt_sample_data' : 'apt_no_sample')}</option> : null}
          </select>
          {picker.searching ? <small className="muted">{t(locale, 'apt_record_searching')}</small> : null}
          {picker.failed ? <small className="field-error">{t(locale, 'apt_record_search_failed')}</small> : null}
          {!picker.searching && picker.query.trim() && !picker.records.length ? <small className="muted">{t(locale, 'apt_record_none_found')}</small> : null}
        </label>
        <label className="field">
          <span>{t(locale, 'apt_data_locale')}</span>
          <select name="dataLocale" value={dataLocale} onChange={(e) => onDataLocale(e.target.value as Locale)}>
            {LOCALES.map((l) => <option key={l} value={l}>{t(locale, `apt_locale_${l === 'zh-CN' ? 'zh' : 'en'}`)}</option>)}
          </select>
        </label>
        <button type="button" className="apt-pdf-button" onClick={preview.askPdf} disabled={pdf?.state === 'loading'}>
          {pdf?.state === 'loading' ? t(locale, 'apt_pdf_loading') : t(locale, 'apt_pdf')}
        </button>
      </div>

      {latest?.error ? (
        <div className="alert apt-preview-error" role="alert">
          <strong>{latest.error}</strong>
          {problems.length ? <ul>{problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul> : null}
          {shown?.html ? <p className="small">{t(locale, 'apt_preview_kept')}</p> : null}
        </div>
      ) : null}

      {pdf ? <PdfResult pdf={pdf} stale={Boolean(pdfStale)} /> : null}

      {shown?.html ? <SheetFrame html={shown.html} page={shown.page} stale={Boolean(latest?.error) || loading} title={t(locale, 'apt_preview_frame')} /> : null}
      {!shown?.html && !latest?.error ? <p className="muted">{t(locale, 'apt_preview_loading')}</p> : null}
    </aside>
  );
}

/**
 * The HTML preview's frame, scaled so the sheet fits the column: `sandbox` with no permissions
 * (no scripts, a unique origin), the document in `srcdoc`.
 */
function SheetFrame({ html, page, stale, title }: { html: string; page: PreviewAnswer['page']; stale: boolean; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry!.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const { width: pageWidth, height: pageHeight } = page ?? { width: 210, height: 297 };
  const natural = Math.ceil(pageWidth * PX_PER_MM) + 2 * SHEET_GUTTER;
  const scale = width ? Math.min(1, width / natural) : 1;
  // A page lying down (an envelope, a label sheet across) is shown whole; a standing one as tall as the preview allows.
  const sheet = (Math.ceil(pageHeight * PX_PER_MM) + 2 * SHEET_GUTTER) * scale;
  const height = pageHeight <= pageWidth ? Math.min(PREVIEW_HEIGHT, Math.ceil(sheet)) : PREVIEW_HEIGHT;
  return (
    <div ref={box} className={`apt-sheet${stale ? ' stale' : ''}`} style={{ height }}>
      <iframe
        title={title} sandbox="" srcDoc={html} referrerPolicy="no-referrer"
        style={{ width: natural, height: height / scale, transform: `scale(${scale})` }}
      />
    </div>
  );
}

/** The PDF preview: its page count and the document itself, or why there is none. */
function PdfResult({ pdf, stale }: { pdf: NonNullable<Preview['pdf']>; stale: boolean }) {
  const locale = useLocale();
  if (pdf.state === 'loading') return <p className="muted apt-pdf-status" role="status">{t(locale, 'apt_pdf_loading')}</p>;
  if (pdf.state === 'failed') return <p className="alert apt-pdf-status" role="alert">{t(locale, 'apt_pdf_failed')}</p>;
  if (pdf.state === 'refused') {
    return (
      <div className="alert apt-pdf-status" role="alert">
        <strong>{pdf.answer.error}</strong>
        <ul>{pdf.answer.problems.map((p, i) => <li key={i}>{p.message}</li>)}</ul>
      </div>
    );
  }
  return (
    <div className="apt-pdf">
      <p className="apt-pdf-status" role="status">
        <strong>{t(locale, 'apt_pdf_pages', { pages: pdf.pages })}</strong>
        {' · '}{t(locale, 'apt_pdf_size', { kb: Math.max(1, Math.round(pdf.bytes / 1024)) })}
        {stale ? <span className="muted"> · {t(locale, 'apt_pdf_stale')}</span> : null}
        {' · '}<a href={pdf.url} download="preview.pdf">{t(locale, 'apt_pdf_download')}</a>
      </p>
      <iframe className="apt-pdf-frame" src={pdf.url} title={t(locale, 'apt_pdf_frame')} />
    </div>
  );
}
