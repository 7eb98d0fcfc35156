// The print template designer's draft of one template: what the admin has typed (numbers still
// as text, so a half-typed value stays on screen), the `printTemplate` document it makes, and
// what is wrong with it at each control — before anything goes to the server. Client-safe: the
// paper sizes come from the loader (engine/print/paper.ts reads the file system).
import type { MetadataDocument } from '../../../engine/metadata/model.ts';
import type { TextKey } from '../../text/index.ts';
import type { ProblemView } from '../change.ts';

/** The named papers of the meta-schema, and `custom` for a size in millimetres. */
export const PAPER_CHOICES = ['A4', 'A5', 'Letter', 'DL', 'C5', 'C6', '#10', 'custom'] as const;
export type PaperChoice = (typeof PAPER_CHOICES)[number];

/** A size in millimetres. */
export interface Size {
  width: number;
  height: number;
}

/** The named paper sizes (engine/print/paper.ts `PAPER_SIZES`), as the loader gives them. */
export type PaperSizes = Readonly<Record<Exclude<PaperChoice, 'custom'>, Size>>;

/** The four margins, in the order CSS and the designer name them. */
export const MARGIN_SIDES = ['top', 'right', 'bottom', 'left'] as const;
export type MarginSide = (typeof MARGIN_SIDES)[number];

/** Margins of a template that names none (engine/print/paper.ts `DEFAULT_MARGINS`). */
const DEFAULT_MARGIN = '10';

/** The Handlebars sources of a template, each edited in its own tab. */
export const SOURCE_PARTS = ['source', 'header', 'footer'] as const;
export type SourcePart = (typeof SOURCE_PARTS)[number];

/** A print template as the admin edits it. */
export interface TemplateDraft {
  name: string;
  labelZh: string;
  labelEn: string;
  entity: string;
  paper: PaperChoice;
  /** The custom size, as typed (used when `paper` is `custom`). */
  width: string;
  height: string;
  orientation: 'portrait' | 'landscape';
  margins: Record<MarginSide, string>;
  pageNumbers: boolean;
  /** Whether the template prints label sheets; the grid's numbers as typed. */
  labels: boolean;
  rows: string;
  columns: string;
  gapX: string;
  gapY: string;
  startPosition: string;
  source: string;
  header: string;
  footer: string;
}

/** A control of the designer a problem is shown at. */
export type TemplatePlace =
  | 'name' | 'labelZh' | 'labelEn' | 'entity' | 'paper' | 'width' | 'height' | 'orientation'
  | `margin_${MarginSide}` | 'margins' | 'pageNumbers'
  | 'rows' | 'columns' | 'gapX' | 'gapY' | 'startPosition' | SourcePart;

/** A problem of the draft at its control, as a text key and its parameters. */
export interface DraftProblem {
  place: TemplatePlace;
  key: TextKey;
  params?: Record<string, string | number>;
}

/** A machine name as the meta-schema takes it. */
const NAME = /^[a-z][a-z0-9_]{0,47}$/;
/** A length in millimetres as typed: digits with an optional decimal part. */
const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;
/** The largest length the meta-schema takes, mm; the most label rows or columns. */
const MAX_MM = 2000;
const MAX_CELLS = 100;

const text = (value: unknown, fallback = '') => (value === undefined || value === null ? fallback : String(value));

/** The draft of a stored (or copied) printTemplate document. */
export function draftOfTemplate(doc: MetadataDocument): TemplateDraft {
  const paper = doc.paper;
  const custom = typeof paper === 'object' && paper !== null ? (paper as Record<string, unknown>) : undefined;
  const margins = (doc.margins ?? {}) as Record<string, unknown>;
  const labels = doc.labels as Record<string, unknown> | undefined;
  return {
    name: doc.name,
    labelZh: doc.label?.['zh-CN'] ?? '',
    labelEn: doc.label?.en ?? '',
    entity: text(doc.entity),
    paper: custom ? 'custom' : (PAPER_CHOICES.find((p) => p === paper) ?? 'A4'),
    width: text(custom?.width),
    height: text(custom?.height),
    orientation: doc.orientation === 'landscape' ? 'landscape' : 'portrait',
    margins: Object.fromEntries(MARGIN_SIDES.map((side) => [side, text(margins[side], DEFAULT_MARGIN)])) as Record<MarginSide, string>,
    pageNumbers: doc.pageNumbers === true,
    labels: labels !== undefined,
    rows: text(labels?.rows, '8'),
    columns: text(labels?.columns, '3'),
    gapX: text(labels?.gapX, '0'),
    gapY: text(labels?.gapY, '0'),
    startPosition: text(labels?.startPosition, '1'),
    source: text(doc.source),
    header: text(doc.header),
    footer: text(doc.footer),
  };
}

/** A number as typed, or the text itself when it is none: the server's check refuses it too. */
const numberOf = (value: string, pattern = DECIMAL): number | string => (pattern.test(value.trim()) ? Number(value.trim()) : value);

/**
 * The `printTemplate` document of a draft. What the designer does not edit (the description)
 * is kept from `stored`; optional settings left at their defaults (portrait, margins of 10 mm,
 * no page numbers, no header…) are written only when the stored document had them, so opening
 * and applying a template changes nothing it did not change.
 */
export function documentOfDraft(draft: TemplateDraft, stored: MetadataDocument | undefined): MetadataDocument {
  const had = (key: string) => stored !== undefined && key in stored;
  const defaultMargins = MARGIN_SIDES.every((side) => draft.margins[side].trim() === DEFAULT_MARGIN);
  const grid = {
    rows: numberOf(draft.rows, WHOLE),
    columns: numberOf(draft.columns, WHOLE),
    ...(draft.gapX.trim() !== '0' || hadIn(stored, 'gapX') ? { gapX: numberOf(draft.gapX) } : {}),
    ...(draft.gapY.trim() !== '0' || hadIn(stored, 'gapY') ? { gapY: numberOf(draft.gapY) } : {}),
    ...(draft.startPosition.trim() !== '1' || hadIn(stored, 'startPosition') ? { startPosition: numberOf(draft.startPosition, WHOLE) } : {}),
  };
  return {
    kind: 'printTemplate',
    name: draft.name,
    label: { 'zh-CN': draft.labelZh, en: draft.labelEn },
    ...(stored?.description ? { description: stored.description } : {}),
    entity: draft.entity,
    paper: draft.paper === 'custom' ? { width: numberOf(draft.width), height: numberOf(draft.height) } : draft.paper,
    ...(draft.orientation === 'landscape' || had('orientation') ? { orientation: draft.orientation } : {}),
    ...(!defaultMargins || had('margins')
      ? { margins: Object.fromEntries(MARGIN_SIDES.map((side) => [side, numberOf(draft.margins[side])])) }
      : {}),
    ...(draft.header ? { header: draft.header } : {}),
    ...(draft.footer ? { footer: draft.footer } : {}),
    ...(draft.pageNumbers || had('pageNumbers') ? { pageNumbers: draft.pageNumbers } : {}),
    ...(draft.labels ? { labels: grid } : {}),
    source: draft.source,
  };
}

/** Whether the stored document's label grid had `key`. */
function hadIn(stored: MetadataDocument | undefined, key: string): boolean {
  const labels = stored?.labels;
  return typeof labels === 'object' && labels !== null && key in labels;
}

/** The size of the page a draft prints on, turned for landscape; undefined while its size is not a valid one. */
export function draftPageSize(draft: TemplateDraft, papers: PaperSizes): Size | undefined {
  let size: Size = papers[draft.paper as Exclude<PaperChoice, 'custom'>];
  if (draft.paper === 'custom') {
    if (!isLength(draft.width) || !isLength(draft.height)) return undefined;
    size = { width: Number(draft.width.trim()), height: Number(draft.height.trim()) };
    if (size.width <= 0 || size.height <= 0) return undefined;
  }
  return draft.orientation === 'landscape' ? { width: size.height, height: size.width } : size;
}

/** A length the meta-schema takes: a number of millimetres from 0 to 2000. */
const isLength = (value: string) => DECIMAL.test(value.trim()) && Number(value.trim()) <= MAX_MM;

/**
 * Everything wrong with a draft, each at its control: for a new template its name, the labels,
 * a custom paper of no size, margins that leave nothing to print on (the engine's
 * `print_margins_too_large`), the label grid and its start position, an empty body.
 *
 * @param taken names of the templates that exist (a new one may not take one)
 */
export function draftProblems(draft: TemplateDraft, isNew: boolean, taken: readonly string[], papers: PaperSizes): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (isNew) {
    if (!NAME.test(draft.name)) problems.push({ place: 'name', key: draft.name ? 'apt_problem_name' : 'apt_problem_required' });
    else if (draft.name === 'new') problems.push({ place: 'name', key: 'apt_name_reserved' });
    else if (taken.includes(draft.name)) problems.push({ place: 'name', key: 'apt_name_taken', params: { name: draft.name } });
    if (!draft.entity) problems.push({ place: 'entity', key: 'apt_problem_required' });
  }
  if (!draft.labelZh.trim()) problems.push({ place: 'labelZh', key: 'apt_problem_required' });
  if (!draft.labelEn.trim()) problems.push({ place: 'labelEn', key: 'apt_problem_required' });
  if (draft.paper === 'custom') {
    for (const side of ['width', 'height'] as const) {
      const value = draft[side].trim();
      if (!isLength(value) || Number(value) <= 0) problems.push({ place: side, key: 'apt_problem_size', params: { max: MAX_MM } });
    }
  }
  for (const side of MARGIN_SIDES) {
    if (!isLength(draft.margins[side])) problems.push({ place: `margin_${side}`, key: 'apt_problem_length', params: { max: MAX_MM } });
  }
  const page = draftPageSize(draft, papers);
  const margin = (side: MarginSide) => Number(draft.margins[side].trim());
  if (page && MARGIN_SIDES.every((side) => isLength(draft.margins[side]))
    && (page.width - margin('left') - margin('right') <= 0 || page.height - margin('top') - margin('bottom') <= 0)) {
    problems.push({ place: 'margins', key: 'apt_problem_margins', params: { width: page.width, height: page.height } });
  }
  if (draft.labels) {
    for (const place of ['rows', 'columns'] as const) {
      const value = draft[place].trim();
      if (!WHOLE.test(value) || Number(value) < 1 || Number(value) > MAX_CELLS) problems.push({ place, key: 'apt_problem_cells', params: { max: MAX_CELLS } });
    }
    for (const place of ['gapX', 'gapY'] as const) {
      if (!isLength(draft[place])) problems.push({ place, key: 'apt_problem_length', params: { max: MAX_MM } });
    }
    const cells = Number(draft.rows.trim()) * Number(draft.columns.trim());
    const start = draft.startPosition.trim();
    if (!WHOLE.test(start) || Number(start) < 1) problems.push({ place: 'startPosition', key: 'apt_problem_start', params: { cells: Number.isFinite(cells) && cells > 0 ? cells : '…' } });
    else if (Number.isFinite(cells) && cells > 0 && Number(start) > cells) problems.push({ place: 'startPosition', key: 'apt_problem_start', params: { cells } });
  }
  if (!draft.source.trim()) problems.push({ place: 'source', key: 'apt_problem_source' });
  return problems;
}

/** Whether a preview can be asked for: nothing wrong with what shapes the page (names and labels do not). */
export function previewable(problems: readonly DraftProblem[]): boolean {
  return problems.every((p) => p.place === 'name' || p.place === 'labelZh' || p.place === 'labelEn');
}

const PLACES: Record<string, TemplatePlace> = {
  name: 'name', entity: 'entity', paper: 'paper', orientation: 'orientation', pageNumbers: 'pageNumbers',
  source: 'source', header: 'header', footer: 'footer',
};

/**
 * The control an engine problem belongs at, from its JSON Pointer in the document (`/paper/width`,
 * `/margins/top`, `/labels/startPosition`, `/source`…); undefined for a problem of the whole
 * document, shown above the review.
 */
export function placeOf(p: Pick<ProblemView, 'path' | 'code'>): TemplatePlace | undefined {
  const [top, sub] = p.path.split('/').slice(1);
  if (p.code === 'print_margins_too_large') return 'margins';
  if (top === 'label') return sub === 'en' ? 'labelEn' : 'labelZh';
  if (top === 'paper') return sub === 'width' || sub === 'height' ? sub : 'paper';
  if (top === 'margins') return MARGIN_SIDES.find((side) => side === sub) ? `margin_${sub as MarginSide}` : 'margins';
  if (top === 'labels') return (['rows', 'columns', 'gapX', 'gapY', 'startPosition'] as const).find((place) => place === sub) ?? 'rows';
  return top ? PLACES[top] : undefined;
}

/** A name for a copy of a template that no template has yet: `quote_copy`, then `quote_copy_2`… */
export function freshName(base: string, taken: readonly string[]): string {
  const stem = `${base}_copy`.slice(0, 44);
  if (!taken.includes(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.includes(`${stem}_${i}`)) return `${stem}_${i}`;
}
