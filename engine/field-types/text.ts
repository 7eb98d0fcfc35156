import { textType } from './field-type.ts';

/** One line of text: names, titles, codes. */
export const text = textType('text', { maxLength: 200 });
