import { textType } from './field-type.ts';

/** An e-mail address (RFC 5321 caps an address at 254 characters). */
export const email = textType('email', { maxLength: 254, format: 'email' });
