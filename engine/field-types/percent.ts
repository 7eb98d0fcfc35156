import { numericType } from './field-type.ts';

/** A percentage in points: 13 means 13 %. A guard like `{"maximum": 10}` reads "at most 10 %". */
export const percent = numericType('percent', 2);
