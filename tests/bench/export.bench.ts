// `node app/cli/run-ts.mjs tests/bench/export.bench.ts`: the export endpoint
// (GET /api/v1/records/customer/export) over BENCH_EXPORT_ROWS (default 200,000) customers of
// the standard CRM on a PostgreSQL 15 server (a throwaway cluster, or DATABASE_URL's server),
// as CSV and as XLSX, read by a fast client and by a slow one (reading 64 KiB every 20 ms).
// Prints rows per second, bytes and the process's peak RSS and heap growth during each export:
// with paging through cursors and backpressure, memory should stay flat however many rows.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { ApiDeps } from '../../app/api/http.server.ts';
import { standardCrm } from '../../app/first-run.server.ts';
import { recordExport } from '../../app/lists/export.server.ts';
import { openDatabase } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { ADMIN_ROLE, systemActor } from '../../engine/security/actor.ts';
import { setUserRoles } from '../../engine/security/roles.ts';
import { createApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { createDatabase, databaseUrl, startPostgresCluster } from '../support/postgres-cluster.ts';

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 200_000);
const system = systemActor('bench');

const cluster = process.env.DATABASE_URL ? undefined : await startPostgresCluster();
const adminUrl = process.env.DATABASE_URL ?? cluster!.url;
const name = `bench_export_${Date.now()}`;
await createDatabase(adminUrl, name);
const database = await openDatabase({ kind: 'postgres', url: databaseUrl(adminUrl, name) });
try {
  const db = database.db;
  await migrateToLatest(db);
  const deps: ApiDeps = { db, workspace: 'main' };
  await installPackage(deps, system, standardCrm);
  await createUser(db, system, { login: 'exporter', displayName: '导出员' });
  await setUserRoles(db, system, 'main', 'exporter', [ADMIN_ROLE]);
  const token = (await createApiToken(db, system, { login: 'exporter' })).token;

  const started = performance.now();
  await sql`
    insert into ws_main.customer (id, name, code, level, industry, source, phone, region, credit_limit, points, created_at)
    select gen_random_uuid(), '上海新时代网络科技有限公司' || i, 'KH' || lpad(i::text, 8, '0'),
      (array['A','B','C','VIP'])[1 + i % 4], (array['it','manufacturing','finance'])[1 + i % 3], 'online',
      '021-6888 ' || lpad((i % 10000)::text, 4, '0'), '310104', (i % 1000) * 1000, i % 5000, now() - make_interval(secs => i)
    from generate_series(1, ${ROWS}) as i`.execute(db);
  await sql`analyze ws_main.customer`.execute(db);
  console.log(`${ROWS.toLocaleString()} customers inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  global.gc?.();
  console.log(`before the exports: RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MiB`);
  for (const format of ['csv', 'xlsx'] as const) {
    for (const client of ['fast', 'slow'] as const) {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let peakRss = process.memoryUsage().rss;
      let peakHeap = heapBefore;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 50);
      const t0 = performance.now();
      const request = new Request(`http://bench.test/api/v1/records/customer/export?format=${format}&sort=-code`, { headers: { Authorization: `Bearer ${token}` } });
      const response = await recordExport(request, { entity: 'customer' }, deps);
      if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
      const reader = response.body!.getReader();
      let bytes = 0;
      let sinceSleep = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        sinceSleep += value.byteLength;
        if (client === 'slow' && sinceSleep >= 64 * 1024) {
          sinceSleep = 0;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        if (client === 'slow' && performance.now() - t0 > 60_000) {
          await reader.cancel();
          break;
        }
      }
      clearInterval(sampler);
      const seconds = (performance.now() - t0) / 1000;
      const logged = await db.selectFrom('forma.system_log').select('details').where('action', '=', 'export').orderBy('id', 'desc').limit(1).executeTakeFirst();
      const count = Number((typeof logged?.details === 'string' ? JSON.parse(logged.details) : logged?.details)?.count ?? 0);
      console.log(
        `${format.padEnd(4)} ${client}: ${count.toLocaleString()} rows in ${seconds.toFixed(1)} s (${Math.round(count / seconds).toLocaleString()} rows/s), `
        + `${(bytes / 1024 / 1024).toFixed(1)} MiB; peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB, heap growth ${((peakHeap - heapBefore) / 1024 / 1024).toFixed(0)} MiB`,
      );
    }
  }
} finally {
  await database.close();
  await cluster?.stop();
}
