import { problem, type Problem } from '../errors.ts';
import { parseJson } from '../metadata/load-documents.ts';

/**
 * The file form of a print template (templates/*.hbs, decision 0016): the Handlebars source as
 * it is printed, preceded by one Handlebars comment holding the rest of the printTemplate
 * document as JSON — kind, name, label, entity, paper, margins, header, footer… A comment, so
 * the file is still a valid template: editors highlight it as HTML + Handlebars, and the
 * comment prints nothing.
 *
 *     {{!--
 *     { "kind": "printTemplate", "name": "quote", "label": { … }, "entity": "quote", "paper": "A4" }
 *     --}}
 *     <style>…</style>
 *     <h1>报价单</h1>…
 */
const ENVELOPE = /^\uFEFF?\{\{!--([\s\S]*?)--\}\}\r?\n?/;

/**
 * The printTemplate document a template file holds: its envelope with `source` set to the rest
 * of the file. A file without the leading comment, with malformed JSON in it (line and column
 * are the file's), or with a `source` in the envelope is a problem instead; the document itself
 * is checked by its meta-schema where it is applied.
 *
 * @example readTemplateFile(await readFile('templates/quote.hbs', 'utf8'), 'templates/quote.hbs')
 *   // { document: { kind: 'printTemplate', name: 'quote', …, source: '<style>…' } }
 */
export function readTemplateFile(text: string, file: string): { document: Record<string, unknown> } | { problem: Problem } {
  const envelope = ENVELOPE.exec(text);
  if (!envelope) return { problem: problem('print_template_file_invalid', '', { file }, file) };
  // Blanks in place of `{{!--`: positions of a JSON error are then the file's own line and column.
  const parsed = parseJson(`${' '.repeat(envelope[0].indexOf('--') + 2)}${envelope[1]!}`, file);
  if ('problem' in parsed) return parsed;
  const document = parsed.value;
  if (typeof document !== 'object' || document === null || Array.isArray(document) || 'source' in document) {
    return { problem: problem('print_template_file_invalid', '', { file }, file) };
  }
  return { document: { ...document, source: text.slice(envelope[0].length) } };
}
