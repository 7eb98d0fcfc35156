import { html } from '@codemirror/lang-html';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorSelection, EditorState, type Text } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';
import { useEffect, useRef, useState } from 'react';
import type { Locale } from '../../../engine/i18n/text.ts';
import type { SourcePart } from './draft.ts';
import { handlebarsMarks } from './handlebars-marks.ts';

/**
 * CodeMirror's own texts (search and replace, go to line, the lint panel, folding) in Chinese;
 * in English it has them already.
 */
const PHRASES_ZH: Record<string, string> = {
  Find: '查找', Replace: '替换', next: '下一个', previous: '上一个', all: '全部', 'match case': '区分大小写', regexp: '正则表达式',
  'by word': '全词匹配', replace: '替换', 'replace all': '全部替换', close: '关闭', 'current match': '当前匹配', 'on line': '位于行',
  'replaced $ matches': '已替换 $ 处', 'replaced match on line $': '已替换第 $ 行的匹配', 'Go to line': '跳到行', go: '跳转',
  Diagnostics: '问题', 'No diagnostics': '没有问题', 'Folded lines': '已折叠的行', 'Unfolded lines': '已展开的行', to: '至',
  'folded code': '折叠的代码', unfold: '展开', 'Fold line': '折叠', 'Unfold line': '展开', 'Selection deleted': '已删除所选内容',
  'Control character': '控制字符', Completions: '补全',
};

/** A problem in a source, at its line and column (both from 1). */
export interface SourceProblem {
  line: number;
  column: number;
  message: string;
}

/** A place the editor should move its cursor to (a click on a problem); `seq` tells two clicks on the same place apart. */
export interface JumpTarget {
  part: SourcePart;
  line: number;
  column: number;
  seq: number;
}

/**
 * The code editor of a print template's Handlebars sources (CodeMirror 6): HTML highlighting
 * with the mustaches marked, line numbers, bracket and tag matching, search, undo — one editor
 * whose document is the source of the tab shown (`part`), each tab keeping its own undo history.
 * `problems` are drawn as lint diagnostics at their line and column, with a marker in the gutter.
 * Until the scripts run the source shows as plain text.
 */
export function CodeEditor({ part, value, onChange, problems, labels, jump, locale }: {
  part: SourcePart;
  value: string;
  onChange: (part: SourcePart, text: string) => void;
  problems: readonly SourceProblem[];
  /** The accessible name of each source's text area. */
  labels: Record<SourcePart, string>;
  jump?: JumpTarget | undefined;
  /** The language of the editor's own texts (search panel, lint panel). */
  locale: Locale;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const states = useRef(new Map<SourcePart, EditorState>());
  const shown = useRef(part);
  const changed = useRef(onChange);
  changed.current = onChange;
  const [ready, setReady] = useState(false);

  const stateOf = (which: SourcePart, text: string) => EditorState.create({
    doc: text,
    extensions: [
      basicSetup, html({ autoCloseTags: true }), handlebarsMarks, lintGutter(), EditorView.lineWrapping,
      ...(locale === 'zh-CN' ? [EditorState.phrases.of(PHRASES_ZH)] : []),
      EditorView.contentAttributes.of({ 'aria-label': labels[which] }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) changed.current(which, update.state.doc.toString());
      }),
    ],
  });

  useEffect(() => {
    const editor = new EditorView({ parent: host.current!, state: stateOf(part, value) });
    view.current = editor;
    setReady(true);
    return () => {
      editor.destroy();
      view.current = null;
      states.current.clear();
    };
  }, []);

  // Another tab: keep this one's state (its undo history), show the other's.
  useEffect(() => {
    const editor = view.current;
    if (!editor || shown.current === part) return;
    states.current.set(shown.current, editor.state);
    editor.setState(states.current.get(part) ?? stateOf(part, value));
    shown.current = part;
  }, [part]);

  // The draft changed from outside the editor (e.g. a stored template loaded again).
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (editor) editor.dispatch(setDiagnostics(editor.state, problems.map((p) => diagnosticAt(editor.state.doc, p))));
  }, [problems, part, ready]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !jump || jump.part !== part) return;
    const at = positionOf(editor.state.doc, jump.line, jump.column);
    editor.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
    editor.focus();
  }, [jump, part]);

  return (
    <div className="apt-code" data-part={part} data-ready={ready ? 'true' : undefined}>
      <div ref={host} />
      {ready ? null : <pre className="apt-code-fallback">{value}</pre>}
    </div>
  );
}

/** The offset of a line and column (from 1) in a document, kept inside it. */
export function positionOf(doc: Text, line: number, column: number): number {
  const at = doc.line(Math.min(Math.max(1, line), doc.lines));
  return at.from + Math.min(Math.max(0, column - 1), at.length);
}

/**
 * The diagnostic of a problem: the whole mustache its line and column fall in (Handlebars points
 * inside it, at a helper or a path) or start, else from there to the end of the line, so the
 * marked text is what is wrong.
 */
export function diagnosticAt(doc: Text, p: SourceProblem): Diagnostic {
  const at = positionOf(doc, p.line, p.column);
  const line = doc.lineAt(at);
  const column = at - line.from;
  const open = line.text.lastIndexOf('{{', column + 1);
  const close = open >= 0 ? line.text.indexOf('}}', open) : -1;
  const inside = open >= 0 && close >= 0 && close + 2 > column && !line.text.slice(open + 2, column).includes('}}');
  const [from, to] = inside ? [line.from + open, line.from + close + 2] : [at, at < line.to ? line.to : at];
  return { from, to, severity: 'error', message: p.message };
}
