import type { LocalizedText } from '../i18n/text.ts';

/** Messages of storing and reading attached files, by code, in zh-CN and en. */
export const fileMessages = {
  file_too_large: { 'zh-CN': '文件过大：不能超过 {limitMb} MB', en: 'The file is too large: the limit is {limitMb} MB' },
  file_field_invalid: {
    'zh-CN': '{entity} 的 "{field}" 不是附件字段',
    en: '"{field}" of {entity} is not a file field',
  },
  file_name_invalid: { 'zh-CN': '文件名无效：{detail}', en: 'Invalid file name: {detail}' },
  file_not_found: { 'zh-CN': '文件 {id} 不存在', en: 'No file {id}' },
} as const satisfies Record<string, LocalizedText>;
