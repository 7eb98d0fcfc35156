import { useEffect, useState } from 'react';
import { $generateHtmlFromNodes, $generateNodesFromDOM } from '@lexical/html';
import { INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, ListItemNode, ListNode, REMOVE_LIST_COMMAND, $isListNode } from '@lexical/list';
import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HistoryPlugin } from '@lexical/react/LexicalHistoryPlugin';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { OnChangePlugin } from '@lexical/react/LexicalOnChangePlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import {
  $createParagraphNode, $getRoot, $getSelection, $isDecoratorNode, $isElementNode, $isRangeSelection, FORMAT_TEXT_COMMAND,
  type LexicalEditor, type LexicalNode,
} from 'lexical';
import { t } from '../text/index.ts';
import type { InputProps } from './inputs.tsx';

/**
 * Rich text (knowledge articles, announcements) with Lexical: bold, italic, underline, bulleted
 * and numbered lists, undo. The field stores HTML; what the editor writes is cleaned to a small
 * set of plain tags (p, strong, em, u, s, ul, ol, li, br, h1–h3, blockquote, links) without any
 * attributes but a link's http(s)/mailto href, so only plain formatting reaches the record.
 * Loaded on demand: forms without rich text never download Lexical.
 */
export default function RichTextInput({ id, value, onChange, ctx, invalid }: InputProps) {
  const initial = typeof value === 'string' ? value : '';
  return (
    <LexicalComposer
      initialConfig={{
        namespace: `forma-${id}`,
        nodes: [ListNode, ListItemNode],
        onError: (error) => console.error(error),
        theme: { text: { bold: 'rt-bold', italic: 'rt-italic', underline: 'rt-underline' }, list: { ul: 'rt-ul', ol: 'rt-ol' } },
        editorState: (editor) => loadHtml(editor, initial),
      }}>
      <div className={`richtext${invalid ? ' invalid' : ''}`}>
        <Toolbar locale={ctx.locale} />
        <RichTextPlugin
          contentEditable={<ContentEditable id={id} className="richtext-content" aria-label={t(ctx.locale, 'form_richtext')} />}
          ErrorBoundary={LexicalErrorBoundary} />
        <HistoryPlugin />
        <ListPlugin />
        <OnChangePlugin ignoreSelectionChange onChange={(state, editor) => {
          state.read(() => {
            const html = cleanHtml($generateHtmlFromNodes(editor, null));
            onChange(html || undefined);
          });
        }} />
      </div>
    </LexicalComposer>
  );
}

function loadHtml(editor: LexicalEditor, html: string): void {
  const root = $getRoot();
  root.clear();
  if (!html.trim()) return;
  const nodes = $generateNodesFromDOM(editor, new DOMParser().parseFromString(html, 'text/html'));
  let paragraph: ReturnType<typeof $createParagraphNode> | undefined;
  for (const node of nodes as LexicalNode[]) {
    if ($isElementNode(node) || $isDecoratorNode(node)) {
      paragraph = undefined;
      root.append(node);
    } else {
      // Text at the top level goes into a paragraph: the root holds blocks only.
      if (!paragraph) root.append((paragraph = $createParagraphNode()));
      paragraph.append(node);
    }
  }
}

function Toolbar({ locale }: { locale: InputProps['ctx']['locale'] }) {
  const [editor] = useLexicalComposerContext();
  const [formats, setFormats] = useState({ bold: false, italic: false, underline: false, list: '' as string });
  useEffect(() => editor.registerUpdateListener(({ editorState }) => {
    editorState.read(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      let node: LexicalNode | null = selection.anchor.getNode();
      let list = '';
      while (node) {
        if ($isListNode(node)) {
          list = node.getListType();
          break;
        }
        node = node.getParent();
      }
      setFormats({ bold: selection.hasFormat('bold'), italic: selection.hasFormat('italic'), underline: selection.hasFormat('underline'), list });
    });
  }), [editor]);
  const button = (key: string, label: string, pressed: boolean, run: () => void, className?: string) => (
    <button key={key} type="button" className={`tool${className ? ` ${className}` : ''}`} aria-pressed={pressed} title={label} aria-label={label}
      onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {key === 'bold' ? 'B' : key === 'italic' ? 'I' : key === 'underline' ? 'U' : key === 'bullet' ? '•' : '1.'}
    </button>
  );
  return (
    <div className="richtext-toolbar" role="toolbar" aria-label={t(locale, 'form_richtext')}>
      {button('bold', t(locale, 'form_rt_bold'), formats.bold, () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'bold'), 'b')}
      {button('italic', t(locale, 'form_rt_italic'), formats.italic, () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'italic'), 'i')}
      {button('underline', t(locale, 'form_rt_underline'), formats.underline, () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'underline'), 'u')}
      <span className="tool-gap" />
      {button('bullet', t(locale, 'form_rt_bullets'), formats.list === 'bullet',
        () => editor.dispatchCommand(formats.list === 'bullet' ? REMOVE_LIST_COMMAND : INSERT_UNORDERED_LIST_COMMAND, undefined))}
      {button('number', t(locale, 'form_rt_numbers'), formats.list === 'number',
        () => editor.dispatchCommand(formats.list === 'number' ? REMOVE_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined))}
    </div>
  );
}

const KEEP = new Set(['P', 'BR', 'STRONG', 'EM', 'U', 'S', 'UL', 'OL', 'LI', 'H1', 'H2', 'H3', 'BLOCKQUOTE', 'A']);
const RENAME: Record<string, string> = { B: 'STRONG', I: 'EM', STRIKE: 'S' };
const DROP = new Set(['SCRIPT', 'STYLE', 'IFRAME', 'OBJECT', 'EMBED', 'TEMPLATE']);

/**
 * HTML reduced to plain formatting: known tags without attributes (a link keeps an http(s) or
 * mailto href), everything else unwrapped, scripts and the like dropped, a tag directly inside
 * the same tag merged; an editor with no text gives ''.
 */
export function cleanHtml(html: string): string {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const out = doc.createElement('div');
  const copy = (from: Node, to: Element) => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(doc.createTextNode(node.textContent ?? ''));
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const element = node as Element;
      if (DROP.has(element.tagName)) continue;
      const tag = RENAME[element.tagName] ?? element.tagName;
      if (!KEEP.has(tag) || tag === to.tagName) {
        copy(element, to);
        continue;
      }
      const clean = doc.createElement(tag);
      if (tag === 'A') {
        const href = element.getAttribute('href') ?? '';
        if (/^(https?:|mailto:)/i.test(href)) clean.setAttribute('href', href);
      }
      copy(element, clean);
      to.appendChild(clean);
    }
  };
  copy(doc.body, out);
  return out.textContent?.trim() ? out.innerHTML : '';
}
