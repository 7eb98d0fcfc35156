/** The standard CRM's entities the caller card (来电弹屏) is made of: public names, see metadata/standard-crm. */
export const CALLER_ENTITIES = { customer: 'customer', contact: 'contact', activity: 'activity', order: 'sales_order' } as const;
