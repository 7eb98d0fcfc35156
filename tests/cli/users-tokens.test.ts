import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/db/database.ts';
import { CLI_TEST_TIMEOUT, cliDatabases, forma, type CliDatabase } from '../support/cli.ts';
import { actorForToken } from '../../engine/security/tokens.ts';

for (const setup of cliDatabases) {
  describe(`npx forma users and tokens on ${setup.kind}`, { timeout: CLI_TEST_TIMEOUT }, () => {
    let root: string;
    let opened: CliDatabase;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'forma-cli-tokens-'));
      opened = await setup.open(root);
    });
    afterAll(async () => {
      await opened?.cleanup();
      await rm(root, { recursive: true, force: true });
    });

    it('creates a user, issues a token printed once, and revokes it', async () => {
      const { env } = opened;
      expect(await forma(env, 'department:create', '销售部')).toMatchObject({ code: 0, stdout: expect.stringContaining('销售部') });
      expect(await forma(env, 'department:create', '销售一部', '--parent', '没有这个部门')).toMatchObject({ code: 1, stderr: expect.stringContaining('department_unknown') });
      expect(await forma(env, 'user:create', '--login', 'erp-sync', '--name', 'ERP 同步', '--department', '销售部')).toMatchObject({ code: 0, stdout: expect.stringContaining('erp-sync') });
      const again = await forma(env, 'user:create', '--login', 'erp-sync', '--name', '重复');
      expect(again.code).toBe(1);
      expect(JSON.parse(again.stderr).error.code).toBe('user_login_taken');
      expect(await forma(env, 'token:create', '--user', 'erp-sync', '--days', 'soon')).toMatchObject({ code: 2, stderr: expect.stringContaining('--days') });

      const created = await forma(env, 'token:create', '--user', 'erp-sync', '--days', '30', '--label', 'ERP');
      expect(created.code).toBe(0);
      const token = /forma_[A-Za-z0-9_-]{43}/.exec(created.stdout)![0];
      const id = /id:\s+([0-9a-f-]{36})/.exec(created.stdout)![1]!;
      expect(created.stdout.split(token)).toHaveLength(2); // printed exactly once
      expect(created.stdout).toMatch(/expires: \d{4}-\d{2}-\d{2}T/);
      expect(created.stderr).not.toContain(token);

      let database = await openDatabase(opened.database);
      try {
        expect(await actorForToken(database.db, token)).toMatchObject({ name: 'erp-sync', kind: 'user' });
      } finally {
        await database.close();
      }
      expect(await forma(env, 'token:revoke', id)).toMatchObject({ code: 0 });
      const unknown = await forma(env, 'token:revoke', '0190f1a2-0000-7000-8000-00000000ffff');
      expect(unknown.code).toBe(1);
      expect(JSON.parse(unknown.stderr).error.code).toBe('token_unknown');
      database = await openDatabase(opened.database);
      try {
        expect(await actorForToken(database.db, token)).toBeUndefined();
      } finally {
        await database.close();
      }
    }); // seven CLI runs, each opening the database: slow on a busy 2-core machine
  });
}
