import type { LocalizedText } from '../i18n/text.ts';

/** What admins call each kind of metadata document (in a sentence: "更新表单布局 customer_form", "Update form layout customer_form"). */
const kindLabels: Readonly<Record<string, LocalizedText>> = {
  entity: { 'zh-CN': '实体', en: 'entity' },
  layout: { 'zh-CN': '表单布局', en: 'form layout' },
  listView: { 'zh-CN': '列表视图', en: 'list view' },
  numbering: { 'zh-CN': '编号规则', en: 'numbering rule' },
  workflow: { 'zh-CN': '工作流', en: 'workflow' },
  automation: { 'zh-CN': '自动化规则', en: 'automation' },
  report: { 'zh-CN': '报表', en: 'report' },
  printTemplate: { 'zh-CN': '打印模板', en: 'print template' },
  role: { 'zh-CN': '角色', en: 'role' },
  module: { 'zh-CN': '模块', en: 'module' },
};

/** The name of a metadata kind in both languages ("设置" / "setting" for one Forma does not know). */
export function kindLabel(kind: string): LocalizedText {
  return kindLabels[kind] ?? { 'zh-CN': '设置', en: 'setting' };
}
