import { textType } from './field-type.ts';

/** Several lines of plain text: notes, addresses, result summaries. */
export const textarea = textType('textarea', { maxLength: 10000, unique: false });
