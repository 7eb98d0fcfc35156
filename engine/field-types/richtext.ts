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
