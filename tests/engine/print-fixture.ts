// The data printing tests work on: the standard CRM with its demo (the company profile with a
// logo and seal, 新时代网络公司 and its quote of 20 Dell Vostro at ¥5,000, its sales order), plus
// what the demo does not write — a supplier's purchase order, a shipment of that sales order and
// two receipts for it — all in September 2026.
import type { Kysely } from 'kysely';
import { installPackage } from '../../engine/packages/install.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { createRecord } from '../../engine/records/write.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { findUserByLogin } from '../../engine/security/users.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import { seedDemo } from '../../metadata/standard-crm/demo/seed.ts';

export interface PrintFixture {
  /** The demo users as actors. */
  users: Record<'admin' | 'manager1' | 'sales1' | 'sales2', Actor>;
  ids: Record<'xsd' | 'quote' | 'order' | 'purchaseOrder' | 'shipment', string>;
}

/** The period the fixture's orders, shipment and receipts are in. */
export const SEPTEMBER = { from: '2026-09-01', to: '2026-09-30' } as const;

/** Installs the standard CRM in the workspace, seeds `customers` demo customers (files under `dataDir`) and writes the rest. */
export async function printFixture(db: Kysely<any>, workspace: string, dataDir: string, customers: number): Promise<PrintFixture> {
  const ctx = { db, workspace };
  const system = systemActor('test');
  await installPackage(ctx, system, standardCrm);
  await seedDemo(ctx, system, { customers, password: 'forma-demo', dataDir });
  const users = {} as PrintFixture['users'];
  for (const login of ['admin', 'manager1', 'sales1', 'sales2'] as const) {
    users[login] = { id: (await findUserByLogin(db, login))!.id, name: login, kind: 'user' };
  }
  const first = async (entity: string, filter: unknown, sort?: unknown) =>
    String((await runQuery(ctx, system, entity, { filter, ...(sort ? { sort } : {}), page: { size: 1 } })).records[0]!.id);
  const xsd = await first('customer', { field: 'name', op: 'eq', value: '新时代网络公司' });
  const quote = await first('quote', { field: 'customer', op: 'eq', value: xsd }, [{ field: 'quote_date' }]);
  const order = await first('sales_order', { field: 'customer', op: 'eq', value: xsd });
  const products = (await runQuery(ctx, system, 'product', { sort: [{ field: 'code' }], page: { size: 3 } })).records;
  const supplier = await createRecord(ctx, users.admin, 'supplier', {
    name: '深圳华远电子有限公司', contact_name: '陈志强', phone: '0755-8888 6666', mobile: '139 2345 6789', region: '440305',
    address: '科技园南区 5 栋 3 楼', postcode: '518057',
  });
  const purchaseOrder = await createRecord(ctx, users.admin, 'purchase_order', {
    supplier: supplier.id, order_date: '2026-09-05', expected_arrival: '2026-09-15', payment_terms: 'net_30',
    lines: products.map((p, i) => ({ product: p.id, qty: 10 * (i + 1), unit_price: Number(p.price) * 0.8, tax_rate: 13 })),
  });
  const shipment = await createRecord(ctx, users.sales1, 'shipment', {
    sales_order: order, customer: xsd, shipped_on: '2026-09-22', carrier: '顺丰速运', tracking_number: 'SF1234567890', packages: 4,
    freight: 120, consignee: '张建华', consignee_phone: '138 0013 8000', region: '310104', address: '漕溪北路 88 号 5 楼信息部',
  });
  for (const [amount, day] of [[30000, '2026-09-21'], [50000, '2026-09-28']] as const) {
    await createRecord(ctx, users.admin, 'receipt', { customer: xsd, sales_order: order, amount, received_on: day, method: 'bank_transfer', owner: users.sales1.id });
  }
  return { users, ids: { xsd, quote, order, purchaseOrder: purchaseOrder.id, shipment: shipment.id } };
}
