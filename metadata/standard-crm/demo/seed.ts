// Demo data for the standard CRM: a believable Chinese company's customers, contacts, products,
// opportunities, quotes, orders and follow-ups, written through the records engine (so
// validation, numbering, formulas and history apply exactly as for staff). Deterministic: the
// same seed and count give the same data. It lives with the template it fills, not in engine/.
import type { RecordsContext } from '../../../engine/records/context.ts';
import { createRecord } from '../../../engine/records/write.ts';
import { regionChildren } from '../../../engine/regions/regions.ts';
import type { Actor } from '../../../engine/security/actor.ts';
import { createDepartment, findDepartment } from '../../../engine/security/departments.ts';
import { setUserRoles, userRoles } from '../../../engine/security/roles.ts';
import { createUser, findUserByLogin } from '../../../engine/security/users.ts';
import { seedCompanyProfile } from './company.ts';

export interface DemoOptions {
  customers: number;
  /** The password of every demo user. */
  password: string;
  seed?: number;
  /** Where Forma keeps files (FORMA_DATA_DIR): with it, the company profile gets a logo and a seal. */
  dataDir?: string;
}

/** The demo departments: a sales department with two teams. */
const demoDepartments = [
  { name: '总经办' },
  { name: '销售部' },
  { name: '销售一部', parent: '销售部' },
  { name: '销售二部', parent: '销售部' },
] as const;

/** The demo sign-ins, in their departments under their manager (roles come with the security module). */
export const demoUsers = [
  { login: 'admin', displayName: '系统管理员', department: '总经办', role: 'admin' },
  { login: 'manager1', displayName: '王经理（销售总监）', department: '销售部', role: 'sales_manager' },
  { login: 'sales1', displayName: '李明（销售一部）', department: '销售部/销售一部', manager: 'manager1', role: 'salesperson' },
  { login: 'sales2', displayName: '赵丽（销售二部）', department: '销售部/销售二部', manager: 'manager1', role: 'salesperson' },
] as const;

export interface DemoSummary {
  users: string[];
  counts: Record<string, number>;
}

/** A small deterministic generator (mulberry32), so demo data is the same on every machine. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  return { next, pick, between };
}

const cities = [
  ['上海', '021'], ['北京', '010'], ['广州', '020'], ['深圳', '0755'], ['杭州', '0571'], ['南京', '025'], ['成都', '028'],
  ['武汉', '027'], ['西安', '029'], ['苏州', '0512'], ['天津', '022'], ['重庆', '023'], ['长沙', '0731'], ['厦门', '0592'],
] as const;
const brands = '华远 光明 东方 长城 恒信 金桥 天成 宏达 瑞丰 博远 鼎盛 盛世 远航 中天 利民 安泰 联创 汇通 永泰 佳禾 国泰 星辰 蓝海 启明 万象 精诚 和信 嘉华 同创 海纳'.split(' ');
const trades = [['网络', 'it'], ['电子', 'manufacturing'], ['贸易', 'wholesale_retail'], ['科技', 'it'], ['软件', 'it'], ['机械', 'manufacturing'],
  ['建材', 'construction'], ['医药', 'healthcare'], ['物流', 'logistics'], ['酒店管理', 'hospitality']] as const;
const suffixes = ['有限公司', '科技有限公司', '股份有限公司', '集团有限公司'];
const surnames = '王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐'.split(' ');
const givenNames = '伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 晓东 志强 海燕 文博 子涵'.split(' ');
const titles = ['总经理', '采购经理', '信息部主管', '财务经理', '行政主管', '技术总监', '采购专员'];
const stages = ['initial_contact', 'needs_confirmed', 'proposal', 'negotiation', 'contract_approval', 'likely_win', 'won', 'lost'] as const;
const lostReasons = ['价格高于竞争对手', '客户预算取消', '选择了竞争对手的方案', '项目延期，暂不采购'];

/** What the company sells: computers, servers, software and services. */
const catalogue = [
  { name: 'Dell Vostro 3910 商用台式机', spec: 'i5-12400/16G/512G SSD', category: 'hardware', unit: 'tai', price: 5000, cost: 4200 },
  { name: 'Dell PowerEdge R210 服务器', spec: '1U 机架式 E3-1220/16G/2×1T', category: 'hardware', unit: 'tai', price: 8000, cost: 6500 },
  { name: 'Dell PowerEdge R710 服务器', spec: '2U 机架式 2×E5620/64G/4×2T', category: 'hardware', unit: 'tai', price: 25000, cost: 21000 },
  { name: '联想 ThinkPad E14 笔记本', spec: 'R5-7530U/16G/512G', category: 'hardware', unit: 'tai', price: 4999, cost: 4300 },
  { name: '惠普 LaserJet Pro M404dn 打印机', spec: '黑白激光 双面', category: 'hardware', unit: 'tai', price: 2299, cost: 1800 },
  { name: '华为 S5735 千兆交换机', spec: '24 口 + 4 SFP', category: 'hardware', unit: 'tai', price: 3680, cost: 2900 },
  { name: 'APC 3kVA 在线式 UPS', spec: '含 2 小时电池组', category: 'hardware', unit: 'tai', price: 7800, cost: 6200 },
  { name: '企业 ERP 软件授权', spec: '10 用户', category: 'software', unit: 'set', price: 36000, cost: 18000 },
  { name: '正版办公软件授权', spec: '每用户每年', category: 'software', unit: 'year', price: 498, cost: 350 },
  { name: '网络综合布线服务', spec: '按信息点计', category: 'service', unit: 'time', price: 260, cost: 120 },
  { name: '服务器上门维护服务', spec: '年度，含 12 次巡检', category: 'service', unit: 'year', price: 12000, cost: 5000 },
  { name: '办公电脑运维外包', spec: '每台每年', category: 'service', unit: 'year', price: 600, cost: 300 },
];

/**
 * Writes the demo: the demo users (reused when they exist), the company profile (its logo and
 * seal only with `dataDir`), the product catalogue, the
 * 新时代网络公司 story — 20 Dell Vostro PCs at ¥5,000 (¥100,000), then 10 R210 and 4 R710
 * servers — and `customers` more customers with contacts, opportunities across stages,
 * quotes and orders with lines, and follow-ups, owned by the salespeople.
 *
 * @example await seedDemo(ctx, systemActor('demo'), { customers: 200, password: 'forma-demo' })
 */
export async function seedDemo(ctx: RecordsContext, system: Actor, options: DemoOptions): Promise<DemoSummary> {
  const r = random(options.seed ?? 20261122);
  const counts: Record<string, number> = {};
  const create = async (actor: Actor, entity: string, values: Record<string, unknown>) => {
    counts[entity] = (counts[entity] ?? 0) + 1;
    return createRecord(ctx, actor, entity, values);
  };
  const staff = await demoStaff(ctx, system, options.password);
  const [manager, sales1, sales2] = [staff.manager1, staff.sales1, staff.sales2];
  const sellers = [sales1, sales2, manager];
  const districts = allDistricts();
  await seedCompanyProfile(ctx, staff.admin, options.dataDir);
  counts.company = 1;

  const products: { id: string; price: number }[] = [];
  for (const item of catalogue) {
    const product = await create(staff.admin, 'product', { ...item, stock: r.between(5, 200), safety_stock: 5, active: true });
    products.push({ id: product.id, price: item.price });
  }
  const [vostro, r210, r710] = [products[0]!, products[1]!, products[2]!];

  // The story every demo starts with.
  const xsd = await create(sales1, 'customer', {
    name: '新时代网络公司', short_name: '新时代', level: 'VIP', industry: 'it', source: 'referral', phone: '021-6888 1234',
    region: '310104', address: '漕溪北路 88 号', postcode: '200030', credit_limit: 500000, points: 1200,
  });
  const zhang = await create(sales1, 'contact', { name: '张建华', customer: xsd.id, title: '信息部主管', mobile: '138 0013 8000', is_primary: true });
  const deal = await create(sales1, 'opportunity', { name: '新时代网络 办公电脑更新', customer: xsd.id, contact: zhang.id, stage: 'won', amount: 100000, expected_close: '2026-09-30' });
  const pcQuote = await create(sales1, 'quote', {
    customer: xsd.id, contact: zhang.id, opportunity: deal.id, quote_date: '2026-09-01', valid_until: '2026-09-30',
    lines: [{ product: vostro.id, qty: 20, unit_price: 5000, discount: 0 }],
  });
  await create(sales1, 'sales_order', { customer: xsd.id, contact: zhang.id, quote: pcQuote.id, order_date: '2026-09-20', status: 'shipped', lines: [{ product: vostro.id, qty: 20, unit_price: 5000 }] });
  const servers = await create(sales1, 'opportunity', { name: '新时代网络 机房服务器扩容', customer: xsd.id, contact: zhang.id, stage: 'negotiation', amount: 180000, expected_close: '2026-12-31' });
  await create(sales1, 'quote', {
    customer: xsd.id, contact: zhang.id, opportunity: servers.id, quote_date: '2026-11-10', valid_until: '2026-12-10',
    lines: [{ product: r210.id, qty: 10, unit_price: 8000 }, { product: r710.id, qty: 4, unit_price: 25000 }],
  });
  await create(sales1, 'activity', { subject: '拜访新时代网络，确认服务器配置', type: 'visit', customer: xsd.id, contact: zhang.id, opportunity: servers.id, activity_time: '2026-11-08T02:00:00Z', result: '客户确认 10 台 R210 + 4 台 R710，要求年底前到货。', next_step: '发送正式报价' });

  for (let i = 0; i < options.customers; i++) {
    const [city, areaCode] = r.pick(cities);
    const [trade, industry] = r.pick(trades);
    const owner = r.pick(sellers);
    const customer = await create(owner, 'customer', {
      name: `${city}${r.pick(brands)}${trade}${r.pick(suffixes)}`, level: r.pick(['A', 'B', 'B', 'C', 'C', 'C', 'VIP']), industry,
      source: r.pick(['exhibition', 'online', 'referral', 'telemarketing', 'advertising', 'existing_customer']),
      phone: `${areaCode}-${r.between(5000, 8999)} ${r.between(1000, 9999)}`, region: r.pick(districts),
      credit_limit: r.between(1, 50) * 10000, points: r.between(0, 5000),
    });
    const contact = await create(owner, 'contact', {
      name: `${r.pick(surnames)}${r.pick(givenNames)}`, customer: customer.id, title: r.pick(titles), is_primary: true,
      mobile: `1${r.pick(['3', '5', '8', '9'])}${r.between(0, 9)} ${r.between(1000, 9999)} ${r.between(1000, 9999)}`,
    });
    if (r.next() < 0.5) {
      await create(owner, 'activity', {
        subject: `${r.pick(['电话沟通', '上门拜访', '产品演示', '微信跟进'])}：${customer.name}`, type: r.pick(['call', 'visit', 'meeting', 'wechat']),
        customer: customer.id, contact: contact.id, activity_time: `2026-${String(r.between(1, 11)).padStart(2, '0')}-${String(r.between(1, 28)).padStart(2, '0')}T0${r.between(1, 8)}:00:00Z`,
        result: r.pick(['客户有意向，需进一步报价', '预算尚未确定', '已发送产品资料', '约定下周再联系']),
      });
    }
    if (r.next() < 0.3) {
      const stage = r.pick(stages);
      const opportunity = await create(owner, 'opportunity', {
        name: `${customer.name} ${r.pick(['电脑采购', '服务器项目', '软件升级', '网络改造', '运维外包'])}`, customer: customer.id,
        contact: contact.id, stage, amount: r.between(2, 100) * 5000, expected_close: `2026-${String(r.between(1, 12)).padStart(2, '0')}-28`,
        // The opportunity form requires a lost reason once lost (its layout's requiredWhen); taken in turn, not drawn, so the rest of the demo stays as it was.
        ...(stage === 'lost' ? { lost_reason: lostReasons[(counts.opportunity ?? 0) % lostReasons.length] } : {}),
      });
      if (r.next() < 0.5) {
        const lines = Array.from({ length: r.between(1, 4) }, () => {
          const product = r.pick(products);
          return { product: product.id, qty: r.between(1, 30), unit_price: product.price, discount: r.pick([0, 0, 5, 10]) };
        });
        const quote = await create(owner, 'quote', { customer: customer.id, contact: contact.id, opportunity: opportunity.id, lines });
        if (stage === 'won') {
          // Statuses in turn rather than drawn, so the rest of the demo stays as it was.
          const status = orderStatuses[(counts.sales_order ?? 0) % orderStatuses.length];
          await create(owner, 'sales_order', { customer: customer.id, contact: contact.id, quote: quote.id, status, lines: lines.map(({ discount: _d, ...line }) => line) });
        }
      }
    }
  }
  return { users: Object.keys(staff), counts };
}

/** The order statuses the demo's orders go through, open ones first. */
const orderStatuses = ['pending', 'partial', 'shipped', 'completed', 'cancelled'] as const;

/** The demo users as actors, created when missing, each holding their role in the workspace. */
async function demoStaff(ctx: RecordsContext, system: Actor, password: string): Promise<Record<(typeof demoUsers)[number]['login'], Actor>> {
  const { db } = ctx;
  for (const department of demoDepartments) {
    const path = 'parent' in department ? `${department.parent}/${department.name}` : department.name;
    const exists = await findDepartment(db, path, '').then(() => true, () => false);
    if (!exists) await createDepartment(db, system, department);
  }
  const staff: Record<string, Actor> = {};
  for (const { role, ...user } of demoUsers) {
    const { login } = user;
    const found = (await findUserByLogin(db, login)) ?? (await createUser(db, system, { ...user, password }));
    if (!(await userRoles(db, ctx.workspace, found.id)).includes(role)) await setUserRoles(db, system, ctx.workspace, login, [role]);
    staff[login] = { id: found.id, name: found.login, kind: 'user' };
  }
  return staff as Record<(typeof demoUsers)[number]['login'], Actor>;
}

/** Every district-level code (the default level of region fields), in code order. */
function allDistricts(): string[] {
  return regionChildren(undefined).flatMap((province) => {
    const cities = regionChildren(province.code);
    return cities.flatMap((city) => {
      const districts = regionChildren(city.code);
      return districts.length ? districts.map((d) => d.code) : [city.code];
    });
  });
}
