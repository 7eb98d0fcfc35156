import type { Locale } from '../../engine/i18n/text.ts';

/**
 * Labels of the navigation modules the standard CRM uses. Modules have no metadata document of
 * their own yet (decision 0008; the admin's navigation designer, issue 7, will make them one):
 * until then a module name these do not know is shown as it is.
 */
const moduleLabels: Record<string, Record<Locale, string>> = {
  customers: { 'zh-CN': '客户管理', en: 'Customers' },
  sales: { 'zh-CN': '销售管理', en: 'Sales' },
  service: { 'zh-CN': '售后服务', en: 'Service' },
  goods: { 'zh-CN': '商品管理', en: 'Products' },
  marketing: { 'zh-CN': '市场管理', en: 'Marketing' },
  purchase: { 'zh-CN': '采购管理', en: 'Purchasing' },
  finance: { 'zh-CN': '财务管理', en: 'Finance' },
  office: { 'zh-CN': '办公', en: 'Office' },
};

/** Where a module comes in the menu: the standard CRM's in the order of a salesperson's day, others after them. */
export function moduleRank(name: string): number {
  const rank = Object.keys(moduleLabels).indexOf(name);
  return rank === -1 ? Object.keys(moduleLabels).length : rank;
}

export function moduleLabel(name: string, locale: Locale): string {
  return moduleLabels[name]?.[locale] ?? name;
}
