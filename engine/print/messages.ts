import type { LocalizedText } from '../i18n/text.ts';

/** Messages of printing (templates, amounts, paper, the PDF renderer), by code, in zh-CN and en. */
export const printMessages = {
  print_template_invalid: { 'zh-CN': '打印模板有误', en: 'The print template is invalid' },
  print_syntax_error: {
    'zh-CN': '第 {line} 行第 {column} 列：模板语法错误：{detail}',
    en: 'Line {line}, column {column}: template syntax error: {detail}',
  },
  print_helper_unknown: {
    'zh-CN': '第 {line} 行第 {column} 列：没有名为 "{helper}" 的模板函数',
    en: 'Line {line}, column {column}: there is no template helper "{helper}"',
  },
  print_render_failed: { 'zh-CN': '无法按打印模板生成内容', en: 'The print template could not be rendered' },
  print_field_missing: {
    'zh-CN': '第 {line} 行第 {column} 列：数据中没有字段 "{field}"',
    en: 'Line {line}, column {column}: the data has no field "{field}"',
  },
  print_render_error: { 'zh-CN': '模板出错：{detail}', en: 'Template error: {detail}' },
  print_helper_failed: { 'zh-CN': '模板函数 {helper} 出错：{detail}', en: 'The template helper {helper} failed: {detail}' },
  print_amount_invalid: { 'zh-CN': '"{value}" 不是有效的金额或数字', en: '"{value}" is not a valid amount or number' },
  print_amount_too_large: {
    'zh-CN': '金额 {value} 过大：大写金额最多到千万亿位',
    en: 'The amount {value} is too large for capital numerals (at most 16 integer digits)',
  },
  print_date_invalid: { 'zh-CN': '"{value}" 不是有效的日期', en: '"{value}" is not a valid date' },
  print_barcode_invalid: {
    'zh-CN': '条形码只能包含英文字母、数字和符号："{value}"',
    en: 'A bar code may hold only ASCII letters, digits and symbols: "{value}"',
  },
  print_labels_start_invalid: {
    'zh-CN': '起始位置 {start} 超出了每页的 {cells} 个标签',
    en: 'The start position {start} is beyond the {cells} labels of a sheet',
  },
  print_setup_missing: {
    'zh-CN': '打印需要的系统组件未安装：{missing}。请以 root 运行：{command}',
    en: 'Printing needs system packages that are not installed: {missing}. As root, run: {command}',
  },
  print_timeout: { 'zh-CN': '生成 PDF 超时（超过 {seconds} 秒）', en: 'Rendering the PDF took longer than {seconds} s' },
  print_browser_failed: { 'zh-CN': 'Chromium 未能生成 PDF：{detail}', en: 'Chromium could not render the PDF: {detail}' },
  print_renderer_closed: { 'zh-CN': 'PDF 渲染器已关闭', en: 'The PDF renderer has been closed' },
} as const satisfies Record<string, LocalizedText>;
