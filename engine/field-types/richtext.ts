import { textType } from './field-type.ts';

/** Formatted text (knowledge articles, announcements), stored as sanitised HTML so it can be searched and printed. */
export const richtext = textType('richtext', { maxLength: 200000, unique: false });
