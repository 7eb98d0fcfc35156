import { textType } from './field-type.ts';

/**
 * A phone or mobile number as people write it in China: `021-6888 1234`, `+86 138 0013 8000`,
 * `400-800-8888转123`. Digits lead; separators and an extension are allowed.
 */
export const phone = textType('phone', {
  maxLength: 40,
  pattern: '^\\+?[0-9][0-9 ()\\-.]*([#,;xX转][0-9]+)?$',
  patternMessage: {
    'zh-CN': '应为电话号码：以数字开头，可含空格、-、括号、+ 前缀和分机号',
    en: 'must be a phone number: digits, with spaces, -, brackets, a + prefix or an extension',
  },
});
