// Handlebars highlighting over CodeMirror's HTML mode: every `{{…}}` of a print template in view
// is marked, blocks (`{{#each}}`, `{{/each}}`, `{{else}}`), comments and raw `{{{…}}}` each in
// their own colour. A decoration plugin rather than a mixed-language parser: the HTML parser sees
// the mustaches as text and keeps highlighting tags and attributes around them.
import { RangeSetBuilder, type Extension } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';

/** One mustache on a line: `{{!-- … --}}`, `{{{ … }}}` or `{{ … }}` (a mustache never spans lines here). */
const MUSTACHE = /\{\{!--.*?--\}\}|\{\{\{.*?\}\}\}|\{\{.*?\}\}/g;

/** The CSS class of a mustache by its kind. */
export function mustacheClass(text: string): string {
  if (text.startsWith('{{!')) return 'cm-hbs cm-hbs-comment';
  if (text.startsWith('{{{')) return 'cm-hbs cm-hbs-raw';
  if (/^\{\{~?\s*([#/^]|else\b)/.test(text)) return 'cm-hbs cm-hbs-block';
  return 'cm-hbs';
}

const marks = new Map<string, Decoration>();
const markOf = (className: string) => {
  let mark = marks.get(className);
  if (!mark) marks.set(className, (mark = Decoration.mark({ class: className })));
  return mark;
};

/**
 * The marks of the mustaches on the lines in view. Made again on every change rather than with
 * `MatchDecorator`, which leaves its marks unmapped when a change falls outside the viewport (a
 * replace-all far above shifted every mark below it).
 */
function mustacheMarks(view: EditorView): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  let last = 0;
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = view.state.doc.lineAt(pos);
      if (line.number > last) {
        for (const match of line.text.matchAll(MUSTACHE)) {
          builder.add(line.from + match.index, line.from + match.index + match[0].length, markOf(mustacheClass(match[0])));
        }
        last = line.number;
      }
      pos = line.to + 1;
    }
  }
  return builder.finish();
}

const plugin = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = mustacheMarks(view);
    }
    update(update: ViewUpdate) {
      if (update.docChanged || update.viewportChanged) this.decorations = mustacheMarks(update.view);
    }
  },
  { decorations: (instance) => instance.decorations },
);

const theme = EditorView.baseTheme({
  '.cm-hbs': { color: '#7c3aed', backgroundColor: '#f5f0ff', borderRadius: '2px' },
  '.cm-hbs-block': { color: '#b45309', backgroundColor: '#fff7e6', fontWeight: '600' },
  '.cm-hbs-raw': { color: '#be185d', backgroundColor: '#fdf2f8' },
  '.cm-hbs-comment': { color: '#6b7280', backgroundColor: 'transparent', fontStyle: 'italic' },
  // Inside an HTML attribute value the syntax highlighter's own span may sit within the mark.
  '.cm-hbs span': { color: 'inherit' },
});

/**
 * The extension marking Handlebars in a CodeMirror editor (add it beside `html()`).
 *
 * @example new EditorView({ extensions: [basicSetup, html(), handlebarsMarks] })
 */
export const handlebarsMarks: Extension = [plugin, theme];
