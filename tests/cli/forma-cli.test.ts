import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from '../../engine/db/database.ts';
import { calendarDate, DEFAULT_TIME_ZONE } from '../../engine/records/context.ts';
import { catalogSnapshot } from '../support/catalog.ts';
import { CLI_TEST_TIMEOUT, cliDatabases, forma, type CliDatabase } from '../support/cli.ts';
import { entity, field, L } from '../support/documents.ts';

const numbering = { kind: 'numbering', name: 'customer_code', label: L('客户编号', 'Customer number'), pattern: 'KH{YYYY}-{#####}', reset: 'never' };
const customer = (extra: Record<string, unknown> = {}, required = ['name']) => entity('customer', {
  name: field({ type: 'text', searchable: true }),
  code: field({ type: 'autonumber', numbering: 'customer_code' }),
  ...extra,
}, { required });

async function writeDocuments(dir: string, documents: Record<string, unknown>) {
  await mkdir(dir, { recursive: true });
  for (const [file, doc] of Object.entries(documents)) {
    await writeFile(join(dir, file), typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  }
  return dir;
}

for (const setup of cliDatabases) {
  describe(`npx forma on ${setup.kind}`, { timeout: CLI_TEST_TIMEOUT }, () => {
    let root: string;
    let env: Record<string, string>;
    let database: CliDatabase['database'];
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'forma-cli-'));
      ({ env, database, cleanup } = await setup.open(root));
    });
    afterAll(async () => {
      await cleanup?.();
      await rm(root, { recursive: true, force: true });
    });

    it('validates, plans, applies, re-applies as a no-op, lists history, rolls back and exports', async () => {
      const v1 = await writeDocuments(join(root, 'v1'), { 'customer.json': customer(), 'customer_code.json': numbering });
      const v2 = await writeDocuments(join(root, 'v2'), { 'customer.json': customer({ wechat: field({ type: 'text', label: L('微信号', 'WeChat') }) }) });

      expect(await forma(env, 'meta:validate', v1)).toMatchObject({ code: 0, stdout: expect.stringContaining('2 document(s) valid') });
      expect(await forma(env, 'db:migrate')).toMatchObject({ code: 0 });

      const plan = await forma(env, 'meta:plan', v1);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('[safe] 创建表 customer / Create table customer');
      const json = JSON.parse((await forma(env, 'meta:plan', v1, '--json')).stdout);
      expect(json).toMatchObject({ baseVersion: 0, refused: false });
      expect(json.operations.map((o: { op: string }) => o.op)).toContain('createTable');

      expect(await forma(env, 'meta:apply', v1, '--reason', '初始化')).toMatchObject({ code: 0, stdout: expect.stringContaining('applied: version 1') });
      expect(await forma(env, 'meta:apply', v1)).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing to change (version 1)') });
      expect(await forma(env, 'meta:apply', v2)).toMatchObject({ code: 0, stdout: expect.stringContaining('applied: version 2') });

      const preview = await forma(env, 'numbering:preview', 'customer_code', '--count', '3');
      expect(preview.code).toBe(0);
      expect(preview.stdout.trim().split('\n').slice(1).map((l) => l.trim())).toEqual([1, 2, 3].map((n) => `KH${calendarDate(new Date(), DEFAULT_TIME_ZONE).slice(0, 4)}-0000${n}`));
      expect(await forma(env, 'numbering:preview', 'nope')).toMatchObject({ code: 1, stderr: expect.stringContaining('document_unknown') });

      const history = await forma(env, 'meta:history');
      expect(history.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['v2', 'v1']);
      expect(history.stdout).toContain('初始化');

      const dry = await forma(env, 'meta:rollback', '1', '--dry-run');
      expect(dry.stdout).toContain('Archive field customer.wechat');
      expect(await forma(env, 'meta:rollback', '1')).toMatchObject({ code: 0, stdout: expect.stringContaining('rolled back: version 3') });

      const exported = join(root, 'export');
      expect(await forma(env, 'meta:export', exported)).toMatchObject({ code: 0 });
      expect((await readdir(exported)).sort()).toEqual(['entity', 'numbering']);
      // What was exported is valid metadata again, archived field included.
      expect(await forma(env, 'meta:validate', exported)).toMatchObject({ code: 0 });
      expect((await forma(env, 'meta:apply', exported)).stdout).toContain('nothing to change (version 3)');
    });

    it('refuses bad input with exit code 1, structured errors on stderr, and changes nothing', async () => {
      const before = (await forma(env, 'meta:history', '--json')).stdout;
      const cases = {
        malformed: await writeDocuments(join(root, 'malformed'), { 'customer.json': '{ "kind": "entity", ' }),
        unknownKind: await writeDocuments(join(root, 'unknown-kind'), { 'x.json': { kind: 'spreadsheet', name: 'x', label: L('x', 'x') } }),
        injection: await writeDocuments(join(root, 'injection'), { 'c.json': { ...customer(), name: 'customer; drop table x' } }),
        badField: await writeDocuments(join(root, 'bad-field'), { 'c.json': customer({ "wx'); drop table customer; --": field({ type: 'text' }) }) }),
      };
      for (const [name, dir] of Object.entries(cases)) {
        for (const command of ['meta:validate', 'meta:plan', 'meta:apply']) {
          const run = await forma(env, command, dir);
          expect(run.code, `${command} ${name}`).toBe(1);
          const { error } = JSON.parse(run.stderr);
          expect(error.code).toBe('metadata_invalid');
          expect(error.problems[0]).toMatchObject({ code: expect.any(String), path: expect.any(String), message: { 'zh-CN': expect.any(String), en: expect.any(String) } });
        }
      }
      // A change the data does not allow: a customer exists, and a new required field has no
      // default. Refused with the count, exit 1, and the catalog exactly as before.
      const opened = await openDatabase(database);
      await sql`insert into ws_main.customer (id, name) values (${randomUUID()}, ${'上海新时代网络科技有限公司'})`.execute(opened.db);
      const catalog = await catalogSnapshot(opened.db);
      await opened.close();
      const refused = await writeDocuments(join(root, 'refused'), {
        'customer.json': customer({ phone: field({ type: 'phone' }) }, ['name', 'phone']),
      });
      const plan = await forma(env, 'meta:plan', refused);
      expect(plan).toMatchObject({ code: 1, stdout: expect.stringContaining('1 record(s)') });
      const apply = await forma(env, 'meta:apply', refused);
      expect(apply.code).toBe(1);
      expect(JSON.parse(apply.stderr).error).toMatchObject({ code: 'plan_refused', problems: [{ code: 'check_rows_without_default', path: '/schema/properties/phone' }] });
      const after = await openDatabase(database);
      expect(await catalogSnapshot(after.db)).toEqual(catalog);
      await after.close();
      expect(await forma(env, 'meta:rollback', '99')).toMatchObject({ code: 1, stderr: expect.stringContaining('version_unknown') });
      if (setup.kind === 'embedded') {
        // A running server holds the embedded database: the CLI says so instead of corrupting it.
        const server = await openDatabase(database);
        const busy = await forma(env, 'meta:history');
        await server.close();
        expect(busy.code).toBe(1);
        expect(JSON.parse(busy.stderr).error.code).toBe('database_in_use');
      }
      expect(await forma(env, 'meta:purge', 'customer.wechat')).toMatchObject({ code: 2, stderr: expect.stringContaining('--confirm customer.wechat') });
      expect(await forma(env, 'meta:frobnicate')).toMatchObject({ code: 2 });
      expect(await forma(env, 'meta:validate', join(root, 'does-not-exist'))).toMatchObject({ code: 1, stderr: expect.stringContaining('file_unreadable') });
      expect((await forma(env, 'meta:history', '--json')).stdout).toBe(before);
    });
  });
}
