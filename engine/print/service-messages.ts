import type { LocalizedText } from '../i18n/text.ts';

/** Messages of the print service (engine/print/print.ts and data.ts), by code, in zh-CN and en. */
export const printServiceMessages = {
  print_template_not_found: { 'zh-CN': '没有名为 "{name}" 的打印模板', en: 'There is no print template "{name}"' },
  print_template_entity_mismatch: {
    'zh-CN': '打印模板 "{template}" 用于打印{printsZh}，不能打印{entityZh}',
    en: 'The print template "{template}" prints {printsEn} records, not {entityEn} records',
  },
  print_margins_too_large: {
    'zh-CN': '页边距过大：{width}×{height} 毫米的纸上没有可打印的区域',
    en: 'The margins leave nothing to print on a {width}×{height} mm page',
  },
  print_period_invalid: {
    'zh-CN': '期间无效：起止日期须为 YYYY-MM-DD，且开始不晚于结束（收到 {from} 至 {to}）',
    en: 'Invalid period: from and to must be YYYY-MM-DD dates, from not after to (got {from} to {to})',
  },
  print_selection_invalid: {
    'zh-CN': '批量打印须指定要打印的记录：ids（记录 ID 的列表，至少一个）或 filter（筛选条件），二者选一',
    en: 'A batch print names its records by either ids (a list of at least one record id) or a filter, not both',
  },
  print_related_invalid: {
    'zh-CN': '模板中的 related.{entity} 无效：{entity} 不是指向 {target} 的实体（没有指向它的查找字段）',
    en: 'related.{entity} in the template names no entity pointing to {target} (by a lookup field)',
  },
  print_batch_empty: { 'zh-CN': '没有可打印的记录', en: 'There are no records to print' },
  print_start_position_invalid: {
    'zh-CN': '起始位置必须是 1 到 {cells} 之间的整数',
    en: 'The start position must be a whole number from 1 to {cells}',
  },
  print_template_file_invalid: {
    'zh-CN': '{file} 不是打印模板文件：文件须以 {{!-- … --}} 注释开头，注释内是不含 source 的打印模板 JSON',
    en: '{file} is no print template file: it must start with a {{!-- … --}} comment holding the print template as JSON, without its source',
  },
} as const satisfies Record<string, LocalizedText>;
