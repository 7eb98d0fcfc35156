// `npx forma print` (app/cli/print.ts) in its own process, as consultants and scripts run it: one
// quote, a filter's address labels into one PDF with progress on stderr, both as a named user
// with that user's permissions, and bad input refused with exit code 1 and a structured error.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import { runQuery } from '../../engine/records/query/index.ts';
import { searchSystemLog } from '../../engine/security/system-log.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { CLI_TEST_TIMEOUT, cliDatabases, forma, type CliDatabase } from '../support/cli.ts';
import { pdfInfo, pdfText } from '../support/pdf-tools.ts';
import { printFixture } from '../engine/print-fixture.ts';

const system = systemActor('test');

for (const setup of cliDatabases) {
  describe(`npx forma print on ${setup.kind}`, { timeout: CLI_TEST_TIMEOUT }, () => {
    let root: string;
    let opened: CliDatabase;
    let quote: { id: string; number: string };
    let sales1: { id: string; customers: number };
    const out = (name: string) => join(root, name);
    /** The CLI's environment: its database, and the data dir the company's logo and seal were stored in. */
    let env: Record<string, string>;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'forma-cli-print-'));
      opened = await setup.open(root);
      env = { FORMA_DATA_DIR: join(root, 'data'), ...opened.env };
      // The CLI's own database, prepared through the engine and closed again (PGlite: one process at a time).
      const database = await openDatabase(opened.database);
      try {
        await migrateToLatest(database.db);
        const fixture = await printFixture(database.db, 'main', join(root, 'data'), 30);
        const ctx = { db: database.db, workspace: 'main' };
        const { records: [q] } = await runQuery(ctx, system, 'quote', { filter: { field: 'id', op: 'eq', value: fixture.ids.quote }, fields: ['number'] });
        quote = { id: fixture.ids.quote, number: String(q!.number) };
        const own = await runQuery(ctx, fixture.users.sales1, 'customer', { fields: ['id'], page: { size: 1 }, count: true });
        sales1 = { id: fixture.users.sales1.id, customers: own.total!.value };
      } finally {
        await database.close();
      }
    }, CLI_TEST_TIMEOUT);
    afterAll(async () => {
      await opened?.cleanup();
      await rm(root, { recursive: true, force: true });
    });

    it('prints one quote as a named user, and logs it as theirs', async () => {
      const run = await forma(env, 'print', '--template', 'quote', '--entity', 'quote', '--id', quote.id, '--out', out('quote.pdf'), '--as', 'sales1');
      expect(run.stderr).toBe('');
      expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining(`wrote ${out('quote.pdf')}: 1 page(s)`) });
      const pdf = await readFile(out('quote.pdf'));
      const text = pdfText(pdf).replace(/[ \t\u3000]+/g, '');
      expect(text).toContain(quote.number);
      expect(text).toContain('人民币壹拾万元整');
      const database = await openDatabase(opened.database);
      try {
        const [logged] = await searchSystemLog(database.db, { actor: 'sales1', action: 'print' });
        expect(logged).toMatchObject({ entity: 'quote', recordId: quote.id, details: { template: 'quote', pages: 1 } });
      } finally {
        await database.close();
      }
    });

    it('prints every record a filter matches into one PDF, within the user\'s scope, with progress on stderr', async () => {
      const filter = JSON.stringify({ field: 'id', op: 'is_not_empty' });
      const run = await forma(env, 'print', '--template', 'address_labels', '--entity', 'customer', '--filter', filter, '--sort', 'code',
        '--start-position', '24', '--out', out('labels.pdf'), '--as', 'sales1');
      expect(run.code, run.stderr).toBe(0);
      const pdf = await readFile(out('labels.pdf'));
      // The last cell of the first sheet, then full sheets: sales1's customers only.
      expect(pdfInfo(pdf).pages).toBe(1 + Math.ceil((sales1.customers - 1) / 24));
      expect(run.stderr).toContain(`rendered ${sales1.customers} / ${sales1.customers} / 已生成 ${sales1.customers} / ${sales1.customers}`);
      expect(run.stderr).toMatch(/read \d+ record\(s\)/);
    });

    it('refuses bad input with exit code 1 and a structured error on stderr, writing nothing', async () => {
      const refused = async (...args: string[]) => {
        const run = await forma(env, 'print', ...args, '--out', out('refused.pdf'));
        expect(run.code, run.stderr).toBe(1);
        expect(existsSync(out('refused.pdf'))).toBe(false);
        return JSON.parse(run.stderr).error as { code: string; message: Record<string, string>; problems: { code: string; source?: string }[] };
      };
      expect(await refused('--template', 'quote', '--entity', 'customer', '--id', quote.id)).toMatchObject({
        code: 'print_template_entity_mismatch', message: { 'zh-CN': '打印模板 "quote" 用于打印报价单，不能打印客户' },
      });
      const malformed = await refused('--template', 'address_labels', '--entity', 'customer', '--filter', '{"field": "level",');
      expect(malformed).toMatchObject({ code: 'query_invalid', problems: [{ code: 'json_malformed', source: '--filter' }] });
      expect(await refused('--template', 'quote', '--entity', 'quote', '--id', quote.id, '--as', 'nobody')).toMatchObject({ code: 'user_unknown' });
      // sales2 does not see sales1's quote.
      expect(await refused('--template', 'quote', '--entity', 'quote', '--id', quote.id, '--as', 'sales2')).toMatchObject({ code: 'record_not_found' });
      // A usage mistake is exit code 2.
      const usage = await forma(env, 'print', '--template', 'quote', '--entity', 'quote', '--out', out('refused.pdf'));
      expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('give either --id <id> or --filter <json>') });
    });
  });
}
