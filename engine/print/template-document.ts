import Handlebars from 'handlebars';
import { FormaError, problem, type Problem } from '../errors.ts';
import { documentKey, type MetadataDocument, type Model } from '../metadata/model.ts';
import { compileTemplate, type PrintTemplate } from './handlebars.ts';
import { DEFAULT_MARGINS, pageSize, type LabelGrid, type PageSetup } from './paper.ts';

/**
 * A `printTemplate` metadata document (engine/metadata/schemas/printTemplate.schema.json): the
 * entity it prints, its paper, and the Handlebars sources of its body, header and footer.
 */
export interface PrintTemplateDocument extends MetadataDocument, PageSetup {
  kind: 'printTemplate';
  entity: string;
  header?: string;
  footer?: string;
  labels?: LabelGrid;
  source: string;
}

/** A print template compiled: its body, header and footer, and the related lists its sources use. */
export interface CompiledPrintTemplate {
  source: PrintTemplate;
  header?: PrintTemplate;
  footer?: PrintTemplate;
  /** Entities whose records the template lists as `related.<entity>` (or sums as `relatedTotals.<entity>`), in order of appearance. */
  related: string[];
}

/**
 * The print template `name` of a model, or `print_template_not_found`.
 *
 * @example const quote = findPrintTemplate(model, 'quote'); quote.entity // 'quote'
 */
export function findPrintTemplate(model: Model, name: string): PrintTemplateDocument {
  const document = model.get(documentKey({ kind: 'printTemplate', name }));
  if (!document) throw new FormaError('print_template_not_found', { name: String(name).slice(0, 100) });
  return document as PrintTemplateDocument;
}

const compiled = new WeakMap<PrintTemplateDocument, CompiledPrintTemplate>();

/**
 * The template compiled once per document object — a new metadata version brings new document
 * objects, so nothing stale is kept. Errors are `print_template_invalid` with each problem at
 * `/source`, `/header` or `/footer` of the document (`source` names it `printTemplate:<name>`),
 * with its line and column.
 *
 * @example compiledPrintTemplate(findPrintTemplate(model, 'customer_statement')).related // ['sales_order', 'receipt']
 */
export function compiledPrintTemplate(document: PrintTemplateDocument): CompiledPrintTemplate {
  let result = compiled.get(document);
  if (!result) {
    const problems: Problem[] = [];
    const compile = (part: 'source' | 'header' | 'footer'): PrintTemplate | undefined => {
      const text = document[part];
      if (typeof text !== 'string') return undefined;
      try {
        return compileTemplate(text, { path: `/${part}` });
      } catch (error) {
        if (!(error instanceof FormaError)) throw error;
        problems.push(...error.problems.map((p) => ({ ...p, source: `printTemplate:${document.name}` })));
        return undefined;
      }
    };
    const [source, header, footer] = [compile('source'), compile('header'), compile('footer')];
    if (problems.length || !source) throw new FormaError('print_template_invalid', {}, problems);
    result = {
      source, ...(header ? { header } : {}), ...(footer ? { footer } : {}),
      related: relatedEntities([document.source, document.header ?? '', document.footer ?? '']),
    };
    compiled.set(document, result);
  }
  return result;
}

/** The page of a template document, as the print service lays it out. */
export function templatePageSetup(template: PrintTemplateDocument): PageSetup {
  return {
    paper: template.paper,
    ...(template.orientation ? { orientation: template.orientation } : {}),
    ...(template.margins ? { margins: template.margins } : {}),
    ...(template.pageNumbers ? { pageNumbers: true } : {}),
  };
}

/**
 * What the print service could not print about a page the meta-schema accepts: margins that
 * leave nothing of the paper (`print_margins_too_large` at `/margins`), a label start position
 * past the cells of a sheet (`print_labels_start_invalid` at `/labels/startPosition`).
 */
export function pageProblems(template: PrintTemplateDocument): Problem[] {
  const problems: Problem[] = [];
  const { width, height } = pageSize(templatePageSetup(template));
  const m = template.margins ?? DEFAULT_MARGINS;
  if (width - m.left - m.right <= 0 || height - m.top - m.bottom <= 0) problems.push(problem('print_margins_too_large', '/margins', { width, height }));
  const grid = template.labels;
  if (grid && (grid.startPosition ?? 1) > grid.rows * grid.columns) {
    problems.push(problem('print_labels_start_invalid', '/labels/startPosition', { start: grid.startPosition, cells: grid.rows * grid.columns }));
  }
  return problems;
}

/**
 * Everything that keeps a print template document from printing though its meta-schema passes:
 * sources that do not compile (each problem at `/source`, `/header` or `/footer` with its line
 * and column) and `pageProblems`. The model check refuses such a template when it is saved.
 */
export function printTemplateProblems(template: PrintTemplateDocument): Problem[] {
  const problems = pageProblems(template);
  try {
    compiledPrintTemplate(template);
  } catch (error) {
    if (!(error instanceof FormaError)) throw error;
    problems.unshift(...error.problems);
  }
  return problems;
}

/** The top-level keys of the print data that name an entity in their second path segment. */
const RELATED_ROOTS = new Set(['related', 'relatedTotals']);

/**
 * The entities named as `related.<entity>` or `relatedTotals.<entity>` (also through `@root.`)
 * anywhere in the sources: only these related lists are read when printing. The sources have
 * compiled already, so they parse.
 */
function relatedEntities(sources: string[]): string[] {
  const found = new Set<string>();
  class RelatedPaths extends Handlebars.Visitor {
    override PathExpression(path: hbs.AST.PathExpression): void {
      const parts = path.data && path.parts[0] === 'root' ? path.parts.slice(1) : path.parts;
      if (parts.length > 1 && RELATED_ROOTS.has(parts[0]!)) found.add(parts[1]!);
    }
  }
  const visitor = new RelatedPaths();
  for (const source of sources) if (source) visitor.accept(Handlebars.parse(source));
  return [...found];
}
