import { entity, field, L } from '../support/documents.ts';

/**
 * A believable CRM model of `count` entities for benchmarks: each has ~14 fields of every
 * common type, a lookup to the entity before it, and every fifth one has line items.
 */
export function generateModel(count: number, prefix = 'e'): Record<string, unknown>[] {
  const documents: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${String(i).padStart(3, '0')}`;
    const properties: Record<string, unknown> = {
      name: field({ type: 'text', searchable: true, label: L(`名称${i}`, `Name ${i}`) }),
      phone: field({ type: 'phone', filterable: true }),
      email: field({ type: 'email' }),
      level: field({ type: 'select', filterable: true, options: ['A', 'B', 'C', 'VIP'].map((v) => ({ value: v, label: L(`${v} 类`, v) })) }),
      tags: field({ type: 'multiselect', options: [{ value: 'x', label: L('甲', 'X') }, { value: 'y', label: L('乙', 'Y') }] }),
      amount: field({ type: 'money', filterable: true }),
      rate: field({ type: 'percent' }),
      qty: field({ type: 'integer' }),
      due: field({ type: 'date', filterable: true }),
      at: field({ type: 'datetime' }),
      done: field({ type: 'boolean' }),
      notes: field({ type: 'textarea' }),
      region: field({ type: 'region' }),
      owner_user: field({ type: 'user' }),
      ...(i > 0 ? { parent: field({ type: 'lookup', target: `${prefix}${String(i - 1).padStart(3, '0')}` }) } : {}),
    };
    if (i % 5 === 0) {
      properties.items = field({ type: 'lines', entity: `${name}_line` });
      properties.total = field({ type: 'formula', expression: 'sum(items.amount)', resultType: 'money' });
      documents.push(entity(`${name}_line`, { product: field({ type: 'text' }), amount: field({ type: 'money' }) }));
    }
    documents.push(entity(name, properties, { required: ['name'] }));
  }
  return documents;
}
