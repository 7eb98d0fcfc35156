import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT, cliDatabases, forma, type CliDatabase } from '../support/cli.ts';

const standardCrm = join(import.meta.dirname, '../../metadata/standard-crm');

for (const setup of cliDatabases) {
  describe(`npx forma package:install and demo:seed on ${setup.kind}`, { timeout: CLI_TEST_TIMEOUT }, () => {
    let root: string;
    let opened: CliDatabase;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'forma-cli-demo-'));
      opened = await setup.open(root);
    });
    afterAll(async () => {
      await opened?.cleanup();
      await rm(root, { recursive: true, force: true });
    });

    it('installs the standard CRM once, and seeds demo data with its users', async () => {
      const { env } = opened;
      expect(await forma(env, 'package:install', standardCrm)).toMatchObject({ code: 0, stdout: expect.stringContaining('installed standard_crm 1.0.0: version 1') });
      expect(await forma(env, 'package:install', standardCrm)).toMatchObject({ code: 0, stdout: expect.stringContaining('is installed already') });
      const seeded = await forma(env, 'demo:seed', '--customers', '5');
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).toMatch(/customer\s+6/);
      expect(seeded.stdout).toContain('admin, manager1, sales1, sales2');
      expect(await forma(env, 'demo:seed', '--customers', 'many')).toMatchObject({ code: 2 });
    });
  });
}
