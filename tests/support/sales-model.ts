import { entity, field, L } from './documents.ts';

/**
 * A small sales model the records and API tests share: customers numbered per year, products,
 * quotes numbered per month with line items and formulas (amount, total, tax), and contracts
 * whose numbers staff may type by hand. `customerFields` adds fields to the customer.
 */
export function salesModel(customerFields: Record<string, unknown> = {}) {
  return [
    { kind: 'numbering', name: 'customer_code', label: L('客户编号', 'Customer number'), pattern: 'KH{YYYY}-{#####}', reset: 'yearly' },
    { kind: 'numbering', name: 'quote_no', label: L('报价单号', 'Quote number'), pattern: 'BJ{YYYY}{MM}-{####}', reset: 'monthly' },
    { kind: 'numbering', name: 'contract_no', label: L('合同号', 'Contract number'), pattern: 'HT-{####}', reset: 'never', allowManual: true },
    entity('customer', {
      name: field({ type: 'text', searchable: true, label: L('客户名称', 'Customer name') }, { maxLength: 100 }),
      code: field({ type: 'autonumber', numbering: 'customer_code' }),
      phone: field({ type: 'phone', label: L('电话', 'Phone') }),
      level: field({ type: 'select', label: L('等级', 'Level'), options: ['A', 'B', 'C', 'VIP'].map((v) => ({ value: v, label: L(v, v) })) }, { default: 'C' }),
      credit_limit: field({ type: 'money', label: L('信用额度', 'Credit limit') }, { minimum: 0 }),
      birthday: field({ type: 'date' }),
      tax_no: field({ type: 'text', unique: true, label: L('税号', 'Tax number') }),
      ...customerFields,
    }, { required: ['name'], options: { displayField: 'name' } }),
    entity('product', { name: field({ type: 'text' }), price: field({ type: 'money' }) }, { required: ['name'] }),
    entity('quote_line', {
      product: field({ type: 'lookup', target: 'product' }),
      qty: field({ type: 'integer', label: L('数量', 'Qty') }, { minimum: 1 }),
      unit_price: field({ type: 'money', label: L('单价', 'Unit price') }),
      discount: field({ type: 'percent' }, { default: 0 }),
      amount: field({ type: 'formula', expression: 'qty * unit_price * (1 - discount / 100)', resultType: 'money' }),
    }, { required: ['qty', 'unit_price'] }),
    entity('quote', {
      number: field({ type: 'autonumber', numbering: 'quote_no' }),
      customer: field({ type: 'lookup', target: 'customer', label: L('客户', 'Customer') }),
      valid_until: field({ type: 'date' }),
      lines: field({ type: 'lines', entity: 'quote_line', label: L('明细', 'Lines') }),
      total: field({ type: 'formula', expression: 'sum(lines.amount)', resultType: 'money' }),
      tax: field({ type: 'formula', expression: 'round(total * 0.13, 2)', resultType: 'money' }),
    }, { required: ['customer'] }),
    entity('contract', { number: field({ type: 'autonumber', numbering: 'contract_no' }), title: field({ type: 'text' }) }),
  ];
}
