// `npm run bench:ui`: the server time of the customer list page `/r/customer` over HTTP, against
// the built app run by app/server.mjs, on a PostgreSQL 15 database prepared like a first
// `npm start` (standard CRM, admin, demo users) holding BENCH_CUSTOMERS (default 1,000,000)
// customers with Chinese names, regions, levels, phones…, owned by 20 salespeople (sales1 among
// them). Each page is requested with a signed-in session cookie, interleaved with two baselines
// measured in the same run:
//   - raw SQL: the statements the page needs, written by hand and sent through pg from this
//     process (the page's rows with the owner's name, the count capped at 10,000 with the
//     planner's estimate beyond — the same rule the engine uses): the database's share;
//   - /health over HTTP: the floor of a request through Express and React Router that reads the
//     database once (one tiny query), without a session, a page or rendering.
// It then splits one page into its steps (the loaders' data alone as `.data`, the engine call in
// this process), counts the database transactions per request and prints the plans of the
// salesperson's count and page, so a slow page says where its time goes. Prints p50/p95;
// asserts nothing. Results: docs/benchmarks.md (bench:ui).
// Env: BENCH_CUSTOMERS, BENCH_ITERATIONS (default 100), DATABASE_URL (an existing server).
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../engine/db/database.ts';
import { cachedModel } from '../../engine/metadata/model-cache.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { regionChildren } from '../../engine/regions/regions.ts';
import { accessOf } from '../../engine/security/access.ts';
import { systemActor, type Actor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createUser, findUserByLogin } from '../../engine/security/users.ts';
import { buildApp } from '../support/app-build.ts';
import { appDataDir, prepareAppDatabase, serveApp, type AppServer } from '../support/app-server.ts';
import { createDatabase, databaseUrl, dropDatabase, startPostgresCluster } from '../support/postgres-cluster.ts';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const WARMUP = 20;
const SALESPEOPLE = 20;
const ADMIN_PASSWORD = 'bench-admin-password';
const DEMO_PASSWORD = 'forma-demo';
const DATABASE = 'forma_bench_ui';
/** The list's page size and count cap (app/routes/shell.list.tsx PAGE_SIZE, engine countCap). */
const PAGE_SIZE = 50;
const COUNT_CAP = 10_000;

const cities = '上海 北京 广州 深圳 杭州 南京 成都 武汉 西安 苏州 天津 重庆 长沙 郑州 青岛 厦门 宁波 大连 沈阳 昆明'.split(' ');
const words = '新时代 华远 光明 东方 长城 恒信 金桥 天成 宏达 瑞丰 博远 鼎盛 盛世 远航 中天 利民 安泰 联创 汇通 永泰 佳禾 国泰 星辰 蓝海 启明 万象 精诚 和信 嘉华 同创 海纳 卓越 兴业 百川 锦程 华夏 通达 振华 云帆 德润'.split(' ');
const trades = '网络 电子 贸易 科技 软件 信息 机械 建材 医药 物流'.split(' ');
const suffixes = ['有限公司', '科技有限公司', '股份有限公司', '集团'];
const industries = ['manufacturing', 'wholesale_retail', 'it', 'finance', 'construction', 'logistics', 'education', 'healthcare', 'hospitality', 'services'];
const sources = ['exhibition', 'online', 'referral', 'telemarketing', 'advertising', 'existing_customer'];

/** 20 salespeople: the demo's sales1 and sales2 and 18 more holding the salesperson role (scope: own). */
async function salespeople(db: Kysely<any>): Promise<string[]> {
  const setup = systemActor('bench');
  const ids: string[] = [];
  for (const login of ['sales1', 'sales2']) ids.push((await findUserByLogin(db, login))!.id);
  for (let n = 3; n <= SALESPEOPLE; n++) {
    const login = `bench_sales${n}`;
    const user = await createUser(db, setup, { login, displayName: `销售${n}号`, department: '销售部/销售一部' });
    await setUserRoles(db, setup, 'main', login, ['salesperson']);
    ids.push(user.id);
  }
  return ids;
}

/**
 * The customers, with INSERT … SELECT generate_series, 100,000 rows a statement, shared out among
 * the owners. The table's indexes (but the primary key) are dropped for the load and made again
 * after it, exactly as they were: three trigram (GIN) indexes make row-by-row inserts ~5× slower.
 */
async function loadCustomers(db: Kysely<any>, count: number, owners: string[]): Promise<void> {
  const indexes = (await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = 'ws_main' and tablename = 'customer'
      and indexname not in (select conname from pg_constraint where conrelid = 'ws_main.customer'::regclass)`.execute(db)).rows;
  for (const index of indexes) await sql`drop index ${sql.id('ws_main', index.name)}`.execute(db);
  const districts = regionChildren(undefined).flatMap((p) => regionChildren(p.code).flatMap((c) => regionChildren(c.code).map((d) => d.code))).slice(0, 2000);
  for (let from = 1; from <= count; from += 100_000) {
    const to = Math.min(count, from + 99_999);
    await sql`
      insert into ws_main.customer (id, owner_id, created_by, updated_by, name, code, short_name, level, industry, source, phone, email, region, address, credit_limit, points)
      select gen_random_uuid(), o.owner, o.owner, o.owner,
        (${cities}::text[])[1 + i % 20] || (${words}::text[])[1 + (i / 20) % 40] || (${trades}::text[])[1 + (i / 800) % 10] || (${suffixes}::text[])[1 + (i / 8000) % 4],
        'KH2025-' || lpad(i::text, 7, '0'),
        (${words}::text[])[1 + (i / 20) % 40],
        (array['A','B','B','C','C','C','VIP'])[1 + (i * 31) % 7],
        (${industries}::text[])[1 + (i * 7) % 10],
        (${sources}::text[])[1 + (i * 11) % 6],
        '0' || (21 + i % 70)::text || '-' || lpad((i::bigint * 7919 % 100000000)::text, 8, '0'),
        'contact' || i || '@example.cn',
        (${districts}::text[])[1 + (i * 13) % ${districts.length}],
        (${cities}::text[])[1 + i % 20] || '市某某路 ' || (i % 999 + 1) || ' 号',
        (i % 500) * 1000,
        i % 10000
      from generate_series(${from}::integer, ${to}::integer) as i,
        lateral (select (${owners}::uuid[])[1 + abs(hashint4(i)) % ${owners.length}] as owner) as o`.execute(db);
    process.stdout.write(`\r  loaded ${to.toLocaleString('en')} customers`);
  }
  process.stdout.write('\n');
  await db.connection().execute(async (connection) => {
    await sql`set maintenance_work_mem = '512MB'`.execute(connection);
    for (const index of indexes) await sql.raw(index.definition).execute(connection);
  });
  await sql`vacuum analyze ws_main.customer`.execute(db);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9);

interface Timed { label: string; run: () => Promise<unknown> }

/** Runs the contenders interleaved (same machine load for each), WARMUP rounds first; prints p50/p95 of each. */
async function measure(title: string, contenders: Timed[]): Promise<Map<string, { p50: number; p95: number }>> {
  const times = contenders.map(() => [] as number[]);
  for (let i = 0; i < WARMUP; i++) for (const c of contenders) await c.run();
  for (let i = 0; i < ITERATIONS; i++) {
    for (const [n, c] of contenders.entries()) {
      const started = performance.now();
      await c.run();
      times[n]!.push(performance.now() - started);
    }
  }
  console.log(`\n  ${title}`);
  const result = new Map<string, { p50: number; p95: number }>();
  for (const [n, c] of contenders.entries()) {
    const p50 = percentile(times[n]!, 0.5), p95 = percentile(times[n]!, 0.95);
    result.set(c.label, { p50, p95 });
    console.log(`    ${c.label.padEnd(46)} p50 ${ms(p50)}   p95 ${ms(p95)}`);
  }
  return result;
}

/** GET with the session cookie; the body is read to the end (the whole page is the server's work). Fails on anything but 200. */
async function get(server: AppServer, path: string, cookie?: string): Promise<string> {
  const response = await fetch(`${server.url}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: 'manual' });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 500)}\n${server.errors()}`);
  return body;
}

async function signIn(server: AppServer, login: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${login} failed: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** The `after` cursor of a list page's "next page" link. */
function nextCursor(html: string): string {
  const href = /<a href="[^"?]*\?([^"]*after=[^"]*)"/.exec(html)?.[1];
  const after = href && new URLSearchParams(href.replaceAll('&amp;', '&')).get('after');
  if (!after) throw new Error('the page has no next-page link');
  return after;
}

async function bench(adminUrl: string, appRoot: string) {
  // An app database prepared like the first `npm start`, without the demo's 200 customers.
  let started = performance.now();
  await createDatabase(adminUrl, DATABASE);
  const url = databaseUrl(adminUrl, DATABASE);
  const dataDir = await appDataDir();
  await prepareAppDatabase(url, { adminPassword: ADMIN_PASSWORD, demoCustomers: 0, dataDir });
  console.log(`  workspace prepared (standard CRM, admin, demo users) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
  const db = database.db;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let server: AppServer | undefined;
  try {
    const owners = await salespeople(db);
    started = performance.now();
    await loadCustomers(db, CUSTOMERS, owners);
    console.log(`  (loaded and analysed in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    const sales1 = owners[0]!;
    const ownCount = Number((await sql<{ n: string }>`select count(*) as n from ws_main.customer where owner_id = ${sales1}`.execute(db)).rows[0]!.n);
    const indexes = (await sql<{ indexdef: string }>`select indexdef from pg_indexes where schemaname = 'ws_main' and tablename = 'customer' order by indexname`.execute(db)).rows;
    console.log(`  sales1 owns ${ownCount.toLocaleString('en')} customers; indexes of ws_main.customer:\n${indexes.map((r) => `    ${r.indexdef}`).join('\n')}`);

    server = await serveApp({ appRoot, databaseUrl: url, dataDir });
    const adminCookie = await signIn(server, 'admin', ADMIN_PASSWORD);
    const salesCookie = await signIn(server, 'sales1', DEMO_PASSWORD);

    // The hand-written SQL of the list: the view's 10 columns, the owner's name, the next row to
    // know a next page exists; the count capped as the engine caps it.
    const columns = 'c.id, c.code, c.name, c.level, c.phone, c.region, c.industry, c.source, c.owner_id, c.credit_limit, c.points, c.created_at, c.updated_at, c.version';
    const rawPage = async (where: string, order: string, params: unknown[]) => {
      const client = await pool.connect();
      try {
        const page = await client.query(`select ${columns}, u.display_name as owner_name from ws_main.customer c left join forma."user" u on u.id = c.owner_id
          where c.deleted_at is null ${where} order by ${order} limit ${PAGE_SIZE + 1}`, params);
        const counted = await client.query(`select count(*) as n from (select 1 from ws_main.customer c where c.deleted_at is null ${where.replace(/and \(c\.code, c\.id\) < .*$/, '')} limit ${COUNT_CAP + 1}) capped`,
          where.includes('owner_id') ? [params[0]] : []);
        if (Number(counted.rows[0].n) > COUNT_CAP) {
          await client.query(`explain (format json) select 1 from ws_main.customer c where c.deleted_at is null ${where.includes('owner_id') ? 'and c.owner_id = $1' : ''}`, where.includes('owner_id') ? [params[0]] : []);
        }
        return page.rows;
      } finally {
        client.release();
      }
    };

    // A later page: the cursor after 10 pages of the administrator's list.
    let html = await get(server, '/r/customer', adminCookie);
    let after = '';
    for (let n = 0; n < 10; n++) {
      after = nextCursor(html);
      html = await get(server, `/r/customer?after=${encodeURIComponent(after)}`, adminCookie);
    }
    const tenth = (await db.selectFrom('ws_main.customer').select(['code', 'id']).orderBy('code', 'desc').orderBy('id', 'desc').offset(10 * PAGE_SIZE - 1).limit(1).executeTakeFirstOrThrow());

    const health = { label: 'GET /health (HTTP floor)', run: () => get(server!, '/health') };
    const results: { scenario: string; page: { p50: number; p95: number }; raw: { p50: number; p95: number }; health: { p50: number; p95: number } }[] = [];
    const scenario = async (name: string, path: string, cookie: string, raw: () => Promise<unknown>) => {
      const r = await measure(name, [
        { label: `GET ${path.length > 40 ? `${path.slice(0, 37)}…` : path}`, run: () => get(server!, path, cookie) },
        { label: 'raw SQL of the page (pg, by hand)', run: raw },
        health,
      ]);
      const [page, rawTimes, healthTimes] = [...r.values()];
      results.push({ scenario: name, page: page!, raw: rawTimes!, health: healthTimes! });
    };

    await scenario('(a) first page, administrator (all customers)', '/r/customer', adminCookie,
      () => rawPage('', 'c.code desc, c.id desc', []));
    await scenario(`(b) first page, salesperson (scope own: ${ownCount.toLocaleString('en')})`, '/r/customer', salesCookie,
      () => rawPage('and c.owner_id = $1', 'c.code desc, c.id desc', [sales1]));
    await scenario('(c) 11th page via the after cursor, administrator', `/r/customer?after=${encodeURIComponent(after)}`, adminCookie,
      () => rawPage('and (c.code, c.id) < ($1, $2)', 'c.code desc, c.id desc', [tenth.code, tenth.id]));
    await scenario('(d) sorted by name, administrator', '/r/customer?sort=name', adminCookie,
      () => rawPage('', 'c.name asc, c.id asc', []));
    await scenario('(e) sorted by name, salesperson', '/r/customer?sort=name', salesCookie,
      () => rawPage('and c.owner_id = $1', 'c.name asc, c.id asc', [sales1]));

    // Where a page's time goes: the same request for the loaders' data only (`.data`, what a
    // click inside the app fetches: no HTML rendered), and the engine's query in this process.
    const admin: Actor = { id: (await findUserByLogin(db, 'admin'))!.id, name: 'admin', kind: 'user' };
    const salesActor: Actor = { id: sales1, name: 'sales1', kind: 'user' };
    const ctx = { db, workspace: 'main' };
    const fields = ['code', 'name', 'level', 'phone', 'region', 'industry', 'source', 'owner', 'credit_limit', 'points'];
    const engineQuery = (actor: Actor, sort: { field: string; direction: 'asc' | 'desc' }) =>
      runQuery(ctx, actor, 'customer', { sort: [sort], fields, page: { size: PAGE_SIZE }, count: true });
    const steps = async (who: string, cookie: string, actor: Actor, sort: string) => {
      const key = { field: sort.replace(/^-/, ''), direction: sort.startsWith('-') ? 'desc' as const : 'asc' as const };
      await measure(`steps of /r/customer?sort=${sort}, ${who}`, [
        { label: 'GET page (HTML: loaders + render)', run: () => get(server!, `/r/customer?sort=${sort}`, cookie) },
        { label: 'GET .data (loaders only, no render)', run: () => get(server!, `/r/customer.data?sort=${sort}`, cookie) },
        { label: 'engine: model + access (in this process)', run: async () => accessOf(db, 'main', actor, (await cachedModel(db, 'main')).model) },
        { label: 'engine: runQuery, 50 rows + count', run: () => engineQuery(actor, key) },
        { label: 'engine: runQuery, 50 rows, no count', run: () => runQuery(ctx, actor, 'customer', { sort: [key], fields, page: { size: PAGE_SIZE } }) },
        health,
      ]);
    };
    await steps('administrator', adminCookie, admin, '-code');
    await steps('salesperson', salesCookie, salesActor, '-code');

    // What a page costs the database: transactions per request (each statement outside a
    // transaction is one), from pg_stat_database around 50 requests; and the plans of the two
    // statements of the salesperson's page that touch the customers.
    console.log('\n  database work per request (pg_stat_database.xact_commit around 50 requests, less this count\'s own)');
    // PostgreSQL 15 backends publish their statistics when idle, within 10 s.
    const commits = async () => {
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      await sql`select pg_stat_clear_snapshot()`.execute(db);
      return Number((await sql<{ n: string }>`select xact_commit as n from pg_stat_database where datname = current_database()`.execute(db)).rows[0]!.n);
    };
    let before = await commits();
    for (const [label, path, cookie] of [
      ['GET /r/customer, administrator', '/r/customer', adminCookie], ['GET /r/customer, salesperson', '/r/customer', salesCookie],
      ['GET /health', '/health', undefined],
    ] as const) {
      for (let i = 0; i < 50; i++) await get(server, path, cookie);
      const after = await commits();
      console.log(`    ${label.padEnd(46)} ${((after - before - 2) / 50).toFixed(1)} transactions`);
      before = after;
    }
    const plan = async (title: string, statement: string, params: unknown[]) => {
      const client = await pool.connect();
      try {
        await client.query(statement, params); // warm
        const rows = (await client.query(`explain (analyze, buffers) ${statement}`, params)).rows.map((r) => String(r['QUERY PLAN']));
        console.log(`\n  EXPLAIN ANALYZE — ${title}\n${rows.map((line) => `    ${line}`).join('\n')}`);
      } finally {
        client.release();
      }
    };
    await plan('the salesperson\'s count (capped at 10,001 rows, as the engine counts)',
      `select count(*) from (select 1 from ws_main.customer r where r.deleted_at is null and r.owner_id = $1 limit ${COUNT_CAP + 1}) capped`, [sales1]);
    await plan('the salesperson\'s first page',
      `select r.id, r.code, r.name, r.level, r.phone, r.region, r.owner_id from ws_main.customer r where r.deleted_at is null and r.owner_id = $1 order by r.code desc, r.id desc limit ${PAGE_SIZE + 1}`, [sales1]);

    console.log(`\n  summary (p50 / p95; the aim: page p50 under 150 ms)`);
    console.log('  | scenario | page p50 | page p95 | raw SQL p50 | raw SQL p95 | /health p50 | page − /health p50 |');
    console.log('  | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(`  | ${r.scenario} | ${r.page.p50.toFixed(1)} ms | ${r.page.p95.toFixed(1)} ms | ${r.raw.p50.toFixed(1)} ms | ${r.raw.p95.toFixed(1)} ms | ${r.health.p50.toFixed(1)} ms | ${(r.page.p50 - r.health.p50).toFixed(1)} ms |`);
    }
    const bytes = (await get(server, '/r/customer', adminCookie)).length;
    console.log(`  (the page is ${bytes.toLocaleString('en')} characters of HTML; load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  } finally {
    await server?.stop();
    await pool.end();
    await database.close();
    if (process.env.DATABASE_URL) await dropDatabase(adminUrl, DATABASE);
  }
}

console.log(`bench:ui — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}; ${CUSTOMERS.toLocaleString('en')} customers, ${ITERATIONS} iterations; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
// Stopped with Ctrl-C: exit hooks stop the PostgreSQL cluster, and the server goes with us.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
// The built app first: no point loading a million rows for sources that do not build.
const build = await buildApp((line) => console.log(line));
const cluster = process.env.DATABASE_URL ? undefined : await startPostgresCluster();
try {
  const adminUrl = process.env.DATABASE_URL ?? cluster!.url;
  await dropDatabase(adminUrl, DATABASE);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  console.log(`PostgreSQL ${(await client.query('show server_version')).rows[0].server_version}${cluster ? ' (throwaway test cluster: fsync off)' : ''}`);
  await client.end();
  await bench(adminUrl, build.root);
} finally {
  await cluster?.stop();
}
