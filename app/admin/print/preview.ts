// What the print template designer asks `/admin/print-preview` (app/routes/admin.print-preview.ts)
// and gets back: shapes shared by the server (preview.server.ts) and the browser (use-preview.ts).
import type { Locale } from '../../../engine/i18n/text.ts';
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import type { ProblemView } from '../change.ts';

/** A problem of the previewed draft; in a Handlebars source (`path` /source, /header or /footer) with its line and column, from 1. */
export interface TemplateProblemView extends ProblemView {
  line?: number;
  column?: number;
}

/** A record the preview can be rendered with: its id and its name. */
export interface SampleRecord {
  id: string;
  label: string;
}

/** What a preview is asked for: the fields of its post, besides `_csrf`. */
export interface PreviewRequest {
  /** The draft printTemplate document. */
  template: MetadataDocument;
  /** The record to preview with; empty for sample data (templates/samples/). */
  record: string;
  /** The built-in template whose sample data stands in when no record is chosen. */
  sample: string;
  locale: Locale;
}

/**
 * A preview request, its fields always in the same order: the designer compares requests by
 * their JSON to know whether the loader's preview still answers the draft.
 */
export function previewRequestOf(template: MetadataDocument, record: string, sample: string, locale: Locale): PreviewRequest {
  return { template, record, sample, locale };
}

/** The form a preview posts (`template` as JSON), with the session's CSRF token. */
export function previewForm(request: PreviewRequest, csrfToken: string): FormData {
  const form = new FormData();
  form.set('_csrf', csrfToken);
  form.set('template', JSON.stringify(request.template));
  form.set('record', request.record);
  form.set('sample', request.sample);
  form.set('locale', request.locale);
  return form;
}

/** The answer to a preview post (the HTML one; the PDF one answers a PDF, or this with its problems). */
export interface PreviewAnswer {
  /** The complete, inert HTML document to show in a sandboxed frame; absent when it could not be rendered. */
  html?: string;
  /** The size of the page `html` shows, mm (turned when landscape). */
  page?: { width: number; height: number };
  /** Why it could not be rendered (compile or render errors at their line and column, a bad paper…). */
  problems: TemplateProblemView[];
  /** The headline of the refusal, when there is one. */
  error?: string;
  /** Whether the sources compile (absent when they were not compiled): nothing may be applied until they do. */
  compiles?: boolean;
  /** What the data came from: the record's name, or that it is sample data. */
  record: { id: string | null; label: string };
  /** The sources this answer checked (`sourcesKey`), so the designer knows whether they are still the ones on screen. */
  sources: string;
}

/** The key of a draft's Handlebars sources: two answers about the same key are about the same sources. */
export function sourcesKey(sources: { source: string; header?: string; footer?: string }): string {
  return JSON.stringify([sources.source, sources.header ?? '', sources.footer ?? '']);
}

/** The response header holding a preview PDF's page count. */
export const PAGES_HEADER = 'X-Forma-Pages';
