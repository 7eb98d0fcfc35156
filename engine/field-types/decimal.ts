import { numericType } from './field-type.ts';

/** A decimal number with a fixed number of decimal places (`scale`, default 2). */
export const decimal = numericType('decimal', 2);
