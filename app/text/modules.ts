import type { Locale } from '../../engine/i18n/text.ts';

/**
 * Labels of the navigation modules the standard CRM uses. Modules have no metadata document of
 * their own yet (decision 0008; the admin's navigation designer, issue 7, will make them one):
 * until then a module name these do not know is shown as it is.
 */
const moduleLabels: Record<string, Record<Locale, string>> = {
  customers: { 'zh-CN': '客户管理', en: 'Customers' },
  sales: { 'zh-CN': '销售管理', en: 'Sales' },
  goods: { 'zh-CN': '商品管理', en: 'Products' },
  purchase: { 'zh-CN': '采购管理', en: 'Purchasing' },
  finance: { 'zh-CN': '财务管理', en: 'Finance' },
  service: { 'zh-CN': '售后服务', en: 'Service' },
  marketing: { 'zh-CN': '市场管理', en: 'Marketing' },
  office: { 'zh-CN': '办公', en: 'Office' },
};

export function moduleLabel(name: string, locale: Locale): string {
  return moduleLabels[name]?.[locale] ?? name;
}
