import type { FieldType } from './field-type.ts';

/**
 * A place in China as its six-digit administrative code (GB/T 2260), down to the field's `level`
 * (province, city or district); the code carries its province and city.
 */
export const region: FieldType = {
  name: 'region',
  fixedSchema: () => ({ type: 'string', pattern: '^[0-9]{6}$' }),
  patternMessage: { 'zh-CN': '应为 6 位行政区划代码', en: 'must be a six-digit administrative area code' },
  column: () => ({ sql: 'text' }),
  filterable: true,
};
