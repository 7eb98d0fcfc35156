// `npm run bench:records`: the records engine against hand-written SQL through the same pool,
// on a PostgreSQL 15 server holding BENCH_CUSTOMERS (default 1,000,000) customers with Chinese
// names, owned by 20 salespeople. Prints p50/p95 per operation and the ratio engine/raw (this
// machine is shared and noisy: the ratio is the figure to read), then the same list and quick
// search as one salesperson whose role sees only their own customers against the administrator
// (ratio scoped/admin). DATABASE_URL uses an existing server.
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import type { RecordsContext } from '../../engine/records/context.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { getRecord } from '../../engine/records/read.ts';
import { quickSearch, similarRecords } from '../../engine/records/search.ts';
import { createRecord, updateRecord } from '../../engine/records/write.ts';
import { ADMIN_ROLE, systemActor, type Actor } from '../../engine/security/actor.ts';
import { createDepartment } from '../../engine/security/departments.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createUser } from '../../engine/security/users.ts';
import { applyChange } from '../../engine/schema/change.ts';
import { createDatabase, databaseUrl, startPostgresCluster } from '../support/postgres-cluster.ts';
import { entity, field, inputs, L } from '../support/documents.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const actor = systemActor('bench');

const model = [
  { kind: 'numbering', name: 'customer_code', label: L('客户编号', 'Customer number'), pattern: 'KH{YYYY}-{#######}', reset: 'yearly' },
  entity('customer', {
    name: field({ type: 'text', searchable: true, label: L('客户名称', 'Name') }),
    code: field({ type: 'autonumber', numbering: 'customer_code' }),
    phone: field({ type: 'phone' }),
    level: field({ type: 'select', filterable: true, options: ['A', 'B', 'C', 'VIP'].map((v) => ({ value: v, label: L(v, v) })) }),
    signed_on: field({ type: 'date', filterable: true }),
    credit_limit: field({ type: 'money' }),
    city: field({ type: 'text' }),
    points: field({ type: 'integer' }),
  }, { required: ['name'], options: { displayField: 'name' } }),
  {
    kind: 'role', name: 'salesperson', label: L('销售员', 'Salesperson'),
    permissions: { customer: { create: true, read: true, update: true, delete: true, scope: 'own' } },
  },
  {
    kind: 'role', name: 'sales_manager', label: L('销售经理', 'Sales manager'),
    permissions: { customer: { create: true, read: true, update: true, delete: true, scope: 'department' } },
  },
];

/** Four sales departments of five: a department manager sees a quarter of the customers. */
const DEPARTMENTS = ['销售一部', '销售二部', '销售三部', '销售四部'];

const SALESPEOPLE = 20;

const cities = '上海 北京 广州 深圳 杭州 南京 成都 武汉 西安 苏州 天津 重庆 长沙 郑州 青岛 厦门 宁波 大连 沈阳 昆明'.split(' ');
const words = '新时代 华远 光明 东方 长城 恒信 金桥 天成 宏达 瑞丰 博远 鼎盛 盛世 远航 中天 利民 安泰 联创 汇通 永泰 佳禾 国泰 星辰 蓝海 启明 万象 精诚 和信 嘉华 同创 海纳 卓越 兴业 百川 锦程 华夏 通达 振华 云帆 德润'.split(' ');
const trades = '网络 电子 贸易 科技 软件 信息 机械 建材 医药 物流'.split(' ');
const suffixes = ['有限公司', '科技有限公司', '股份有限公司', '集团'];

/** Loads the customers with INSERT … SELECT generate_series, 100,000 rows a statement, shared out among the owners. */
async function loadCustomers(db: Kysely<any>, count: number, owners: string[]) {
  for (let from = 1; from <= count; from += 100_000) {
    const to = Math.min(count, from + 99_999);
    await sql`
      insert into ws_bench.customer (id, owner_id, name, code, phone, level, signed_on, credit_limit, city, points)
      select gen_random_uuid(), (${owners}::uuid[])[1 + abs(hashint4(i)) % ${owners.length}],
        (${cities}::text[])[1 + i % 20] || (${words}::text[])[1 + (i / 20) % 40] || (${trades}::text[])[1 + (i / 800) % 10] || (${suffixes}::text[])[1 + (i / 8000) % 4],
        'KH2025-' || lpad(i::text, 7, '0'),
        '1' || (3 + i % 7)::text || lpad((i::bigint * 7919 % 1000000000)::text, 9, '0'),
        (array['A','B','C','VIP'])[1 + (i * 31) % 4],
        date '2020-01-01' + (i * 13 % 2500),
        (i % 500) * 1000,
        (${cities}::text[])[1 + i % 20],
        i % 10000
      from generate_series(${from}::integer, ${to}::integer) as i`.execute(db);
    process.stdout.write(`\r  loaded ${to.toLocaleString('en')} customers`);
  }
  process.stdout.write('\n');
  await sql`analyze ws_bench.customer`.execute(db);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

async function measure(label: string, engine: (i: number) => Promise<unknown>, raw: (i: number) => Promise<unknown>) {
  const e: number[] = [], r: number[] = [];
  for (let i = 0; i < 20; i++) {
    await engine(i);
    await raw(i);
  }
  // Interleaved so both see the same machine load.
  for (let i = 0; i < ITERATIONS; i++) {
    let started = performance.now();
    await engine(i);
    e.push(performance.now() - started);
    started = performance.now();
    await raw(i);
    r.push(performance.now() - started);
  }
  const f = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
  console.log(`  ${label.padEnd(34)} engine p50 ${f(percentile(e, 0.5))} p95 ${f(percentile(e, 0.95))}   raw p50 ${f(percentile(r, 0.5))} p95 ${f(percentile(r, 0.95))}   ratio p50 ${(percentile(e, 0.5) / percentile(r, 0.5)).toFixed(2)}`);
}

async function bench(db: Kysely<any>) {
  await migrateToLatest(db);
  const ctx: RecordsContext = { db, workspace: 'bench' };
  await applyChange(ctx, actor, { upsert: inputs(...model) });
  const salespeople = await staff(db);
  const started = performance.now();
  await loadCustomers(db, CUSTOMERS, salespeople.map((s) => s.id));
  console.log(`  (loaded in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const sample = (await sql<{ id: string }>`select id from ws_bench.customer tablesample system (1) limit 1000`.execute(db)).rows.map((r) => r.id);
  const id = (i: number) => sample[i % sample.length]!;
  const columns = sql`id, created_at, created_by, updated_at, updated_by, owner_id, version, deleted_at, name, code, phone, level, signed_on, credit_limit, city, points`;

  await measure('get by id', (i) => getRecord(ctx, actor, 'customer', id(i)),
    (i) => sql`select ${columns} from ws_bench.customer where id = ${id(i)}`.execute(db));

  const levels = ['A', 'B', 'C', 'VIP'];
  await measure('list: level = X, by signed_on, 50', (i) => runQuery(ctx, actor, 'customer', {
    filter: { field: 'level', op: 'eq', value: levels[i % 4] }, sort: [{ field: 'signed_on', direction: 'desc' }], page: { size: 50 },
  }), (i) => sql`select ${columns} from ws_bench.customer where level = ${levels[i % 4]} and deleted_at is null
      order by signed_on desc, id desc limit 51`.execute(db));

  const terms = ['新时代网络', '华远贸易', '光明电子', '长城软件'];
  await measure('quick search (Chinese substring)', (i) => quickSearch(ctx, actor, 'customer', terms[i % 4]!),
    (i) => sql`select id, name from ws_bench.customer where deleted_at is null and name ilike ${`%${terms[i % 4]}%`}
      order by name ilike ${`${terms[i % 4]}%`} desc, similarity(name, ${terms[i % 4]}) desc, id limit 20`.execute(db));

  await measure('similar records (name + phone)', (i) => similarRecords(ctx, actor, 'customer', { name: `${terms[i % 4]}科技`, phone: '13800001111' }),
    (i) => db.transaction().execute(async (trx) => {
      await sql`select set_config('pg_trgm.word_similarity_threshold', '0.4', true)`.execute(trx);
      return sql`select id, name, word_similarity(${`${terms[i % 4]}科技`}, name) as score from ws_bench.customer
        where deleted_at is null and (${`${terms[i % 4]}科技`} <% name or regexp_replace(phone, '[^0-9]', '', 'g') = any(${['13800001111', '8613800001111']}::text[]))
        order by score desc, id limit 5`.execute(trx);
    }));

  await measure('create', (i) => createRecord(ctx, actor, 'customer', { name: `基准客户${i}`, phone: '021-5555 0000', level: 'A' }),
    (i) => sql`insert into ws_bench.customer (id, name, code, phone, level) values (gen_random_uuid(), ${`原始客户${i}`}, ${`RAW-${i}-${Date.now()}`}, '021-5555 0000', 'A')`.execute(db));

  const versions = new Map<string, number>();
  await measure('update (optimistic lock)', async (i) => {
    const target = id(i);
    const version = versions.get(target) ?? (await getRecord(ctx, actor, 'customer', target)).version;
    const updated = await updateRecord(ctx, actor, 'customer', target, { points: i }, { version });
    versions.set(target, updated.version);
  }, (i) => sql`update ws_bench.customer set city = ${`城市${i}`}, version = version + 1, updated_at = now() where id = ${id(i + 500)} and version = version`.execute(db));

  // A record scope must not make a screen slow: the same screens as a salesperson who sees only
  // their own customers (1 in ${SALESPEOPLE}), against the administrator who sees them all.
  console.log(`\n  as salesperson (scope: own, ${(CUSTOMERS / SALESPEOPLE).toLocaleString('en')} customers) vs administrator — ratio scoped/admin`);
  const salesperson = salespeople[0]!;
  const admin = await user(db, 'bench_admin', [ADMIN_ROLE]);
  const list = (who: Actor) => (i: number) => runQuery(ctx, who, 'customer', {
    filter: { field: 'level', op: 'eq', value: levels[i % 4] }, sort: [{ field: 'signed_on', direction: 'desc' }], page: { size: 50 },
  });
  await measure('list: level = X, by signed_on, 50', list(salesperson), list(admin));
  const search = (who: Actor) => (i: number) => quickSearch(ctx, who, 'customer', terms[i % 4]!);
  await measure('quick search (Chinese substring)', search(salesperson), search(admin));
  const manager = await user(db, 'bench_manager', ['sales_manager'], DEPARTMENTS[0]);
  console.log(`\n  as a department manager (scope: department, ${(CUSTOMERS * 5 / SALESPEOPLE).toLocaleString('en')} customers) vs administrator`);
  await measure('list: level = X, by signed_on, 50', list(manager), list(admin));
  await measure('quick search (Chinese substring)', search(manager), search(admin));
}

/** The salespeople who own the customers, five to a department, each holding the salesperson role. */
async function staff(db: Kysely<any>): Promise<Actor[]> {
  const people: Actor[] = [];
  for (const department of DEPARTMENTS) await createDepartment(db, actor, { name: department });
  for (let n = 1; n <= SALESPEOPLE; n++) people.push(await user(db, `bench_sales${n}`, ['salesperson'], DEPARTMENTS[Math.floor((n - 1) / 5)]));
  return people;
}

async function user(db: Kysely<any>, login: string, roles: string[], department?: string): Promise<Actor> {
  const created = await createUser(db, actor, { login, displayName: login, ...(department ? { department } : {}) });
  await setUserRoles(db, actor, 'bench', login, roles);
  return { id: created.id, name: login, kind: 'user' };
}

console.log(`bench:records — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${CUSTOMERS.toLocaleString('en')} customers, ${ITERATIONS} iterations`);
const cluster = process.env.DATABASE_URL ? undefined : await startPostgresCluster();
try {
  const adminUrl = process.env.DATABASE_URL ?? cluster!.url;
  await createDatabase(adminUrl, 'forma_bench_records');
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl(adminUrl, 'forma_bench_records'), poolSize: 4 });
  console.log('\nPostgreSQL 15 server');
  await bench(database.db).finally(() => database.close());
} finally {
  await cluster?.stop();
}
