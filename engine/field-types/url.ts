import { textType } from './field-type.ts';

/** A web address. */
export const url = textType('url', { maxLength: 2048, format: 'uri', searchable: false });
