import type { LocalizedText } from '../../engine/i18n/text.ts';

/** Texts of printing on the staff screens: the record page's Print button, batch printing from a list. */
export const printText = {
  pr_print: { 'zh-CN': '打印', en: 'Print' },
  pr_print_with: { 'zh-CN': '用"{template}"打印', en: 'Print as "{template}"' },
  pr_open: { 'zh-CN': '打开', en: 'Open' },
  pr_download: { 'zh-CN': '下载', en: 'Download' },
  pr_download_pdf: { 'zh-CN': '下载 PDF', en: 'Download the PDF' },
  pr_menu_hint: { 'zh-CN': 'PDF 在新标签页中打开，可在那里打印或保存。', en: 'The PDF opens in a new tab, to print or save from there.' },
  pr_sheet: { 'zh-CN': '标签纸：每张 {rows} 行 × {columns} 列', en: 'Label sheet: {rows} rows × {columns} columns' },
  pr_start_position: { 'zh-CN': '从第几格开始', en: 'Start at label' },
  pr_start_position_hint: {
    'zh-CN': '用过一部分的标签纸：从左到右、从上到下数，第 1 至 {cells} 格；也可以直接点选标签纸上的格子。',
    en: 'For a partly used sheet: count left to right, top to bottom, 1 to {cells}; or click a cell on the sheet.',
  },
  pr_start_cell: { 'zh-CN': '从第 {cell} 格开始', en: 'Start at label {cell}' },
  pr_batch_title: { 'zh-CN': '批量打印{entity}', en: 'Print {entity} records' },
  pr_batch_selected: { 'zh-CN': '打印选中的 {count} 条记录。', en: 'Prints the {count} selected records.' },
  pr_batch_matching: { 'zh-CN': '打印符合筛选条件的全部 {count} 条记录。', en: 'Prints all {count} records matching the filter.' },
  pr_batch_all: { 'zh-CN': '没有选中记录：打印全部 {count} 条记录。', en: 'Nothing selected: prints all {count} records.' },
  pr_batch_search_ignored: {
    'zh-CN': '快速搜索不影响批量打印：打印的是筛选条件匹配的记录。要只打印搜索结果，请先勾选它们。',
    en: 'The quick search does not narrow a batch print: the filter\'s records are printed. Select the search results to print only them.',
  },
  pr_template: { 'zh-CN': '打印模板', en: 'Template' },
  pr_start: { 'zh-CN': '开始打印', en: 'Start printing' },
  pr_close: { 'zh-CN': '关闭', en: 'Close' },
  pr_queued: { 'zh-CN': '排队等待中…', en: 'Waiting in the queue…' },
  pr_reading: { 'zh-CN': '正在读取记录：{done} / {total}', en: 'Reading the records: {done} of {total}' },
  pr_rendering: { 'zh-CN': '正在生成 PDF：已完成 {done} / {total}', en: 'Making the PDF: {done} of {total} done' },
  pr_done: { 'zh-CN': '已完成：{total} 条记录已生成 PDF。', en: 'Done: {total} records are in the PDF.' },
  pr_job_summary: { 'zh-CN': '{template} · {total} 条记录', en: '{template} · {total} records' },
  pr_keeps_running: {
    'zh-CN': '打印在服务器上进行：关闭此窗口不影响打印，稍后再点"打印"即可查看。',
    en: 'The print runs on the server: close this window if you like, and click Print again later to see it.',
  },
  pr_kept: { 'zh-CN': 'PDF 保留一天。', en: 'The PDF is kept for a day.' },
  pr_open_pdf: { 'zh-CN': '打开 PDF', en: 'Open the PDF' },
  pr_again: { 'zh-CN': '重新选择', en: 'Print something else' },
  pr_failed: { 'zh-CN': '打印失败：{message}', en: 'Printing failed: {message}' },
  pr_network: { 'zh-CN': '连接服务器失败，请稍后再试。', en: 'The server could not be reached: try again in a moment.' },
} as const satisfies Record<string, LocalizedText>;
