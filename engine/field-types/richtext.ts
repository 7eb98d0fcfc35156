import sanitizeHtml from 'sanitize-html';
import { textType } from './field-type.ts';

/** Formatted text (knowledge articles, announcements), stored as sanitised HTML so it can be searched and printed. */
export const richtext = textType('richtext', { maxLength: 200000, unique: false });

/**
 * What a rich-text value may hold once stored: paragraphs, emphasis, lists, headings, quotes,
 * code and links to web, mail and phone addresses — nothing that runs (scripts, event
 * attributes, `javascript:` links), loads (images, frames, styles) or hides text. Applied to
 * every write whatever sent it (the form's editor, the API, an import), so screens and print
 * templates can show a stored value as HTML.
 *
 * @example sanitiseRichText('<p onclick="x()">你好<script>alert(1)</script></p>') // '<p>你好</p>'
 */
export function sanitiseRichText(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'blockquote', 'code', 'pre', 'a'],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    disallowedTagsMode: 'discard',
  });
}

/**
 * Stored rich text as the plain text a list cell, a summary or a printed field shows: tags become
 * spaces, the entities `sanitiseRichText` writes are decoded, runs of white space collapse.
 *
 * @example richTextPlain('<p>你好 &amp; <strong>欢迎</strong></p>') // '你好 & 欢迎'
 */
export function richTextPlain(html: string): string {
  const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ', '&amp;': '&' };
  return html.replace(/<[^>]*>/g, ' ').replace(/&(lt|gt|quot|#39|nbsp|amp);/g, (e) => entities[e]!).replace(/\s+/g, ' ').trim();
}
