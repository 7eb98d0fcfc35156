import type { LocalizedText } from '../i18n/text.ts';

/** Messages of personal preferences (`engine/preferences`), by code, in zh-CN and en. */
export const preferenceMessages = {
  preference_invalid: { 'zh-CN': '个人设置无效：{count} 个问题', en: 'Invalid preference: {count} problem(s)' },
  preference_key_unknown: {
    'zh-CN': '没有这种个人设置："{key}"（可用：{known}）',
    en: 'No such preference: "{key}" (known: {known})',
  },
  preference_too_large: { 'zh-CN': '个人设置过大：最多 {max} 字节', en: 'The preference is too large: at most {max} bytes' },
  preference_too_deep: { 'zh-CN': '个人设置嵌套过深：最多 {max} 层', en: 'The preference nests too deeply: at most {max} levels' },
  preference_name_duplicate: { 'zh-CN': '名称 "{name}" 重复', en: 'The name "{name}" is used twice' },
  preference_user_only: {
    'zh-CN': '只有用户本人有个人设置（{actor} 不是用户）',
    en: 'Only users have preferences ({actor} is not a user)',
  },
} as const satisfies Record<string, LocalizedText>;
