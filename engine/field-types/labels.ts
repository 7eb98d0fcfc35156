import type { LocalizedText } from '../i18n/text.ts';

/**
 * What each field type is called for an admin (the entity manager's type picker, readable
 * history). Keyed by the registry's names; a test holds the two lists equal.
 */
export const fieldTypeLabels: Readonly<Record<string, LocalizedText>> = {
  text: { 'zh-CN': '单行文本', en: 'Text' },
  textarea: { 'zh-CN': '多行文本', en: 'Long text' },
  richtext: { 'zh-CN': '富文本', en: 'Rich text' },
  integer: { 'zh-CN': '整数', en: 'Integer' },
  decimal: { 'zh-CN': '小数', en: 'Decimal' },
  money: { 'zh-CN': '金额', en: 'Money' },
  percent: { 'zh-CN': '百分比', en: 'Percent' },
  boolean: { 'zh-CN': '是/否', en: 'Yes/no' },
  date: { 'zh-CN': '日期', en: 'Date' },
  datetime: { 'zh-CN': '日期时间', en: 'Date and time' },
  select: { 'zh-CN': '单选', en: 'Choice' },
  multiselect: { 'zh-CN': '多选', en: 'Multiple choice' },
  email: { 'zh-CN': '电子邮箱', en: 'Email' },
  phone: { 'zh-CN': '电话', en: 'Phone' },
  url: { 'zh-CN': '网址', en: 'Web address' },
  lookup: { 'zh-CN': '关联', en: 'Lookup' },
  lines: { 'zh-CN': '明细行', en: 'Line items' },
  autonumber: { 'zh-CN': '自动编号', en: 'Autonumber' },
  formula: { 'zh-CN': '公式', en: 'Formula' },
  region: { 'zh-CN': '省市区', en: 'Region' },
  user: { 'zh-CN': '用户', en: 'User' },
  file: { 'zh-CN': '附件', en: 'File' },
};
