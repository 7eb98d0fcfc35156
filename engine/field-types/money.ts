import { numericType } from './field-type.ts';

/** An amount of money in the field's `currency` (default CNY), with `scale` decimals (default 2). */
export const money = numericType('money', 2);
