import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { loadConfig } from '../../app/config.server.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadConfig({}, '/srv/forma')).toEqual({
      database: { kind: 'embedded', dataDir: '/srv/forma/data/pg' },
      dataDir: '/srv/forma/data',
      port: 3000,
      workspace: 'main',
      trustProxy: false,
      demoData: true,
      demoPassword: 'forma-demo',
    });
  });

  it('reads the demo settings, and never echoes a password', () => {
    expect(loadConfig({ FORMA_DEMO_DATA: 'false', FORMA_DEMO_PASSWORD: 'very-secret-1' }, '/srv')).toMatchObject({ demoData: false, demoPassword: 'very-secret-1' });
    expect(() => loadConfig({ FORMA_DEMO_DATA: 'maybe', FORMA_DEMO_PASSWORD: 'short!' }, '/srv')).toThrow(/FORMA_DEMO_DATA: must be true or false[\s\S]*FORMA_DEMO_PASSWORD: must have at least 8 characters/);
    expect(() => loadConfig({ FORMA_DEMO_PASSWORD: 'short!' }, '/srv')).not.toThrow(/short!/);
  });

  it('trusts a reverse proxy only when told to', () => {
    expect(loadConfig({ FORMA_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ FORMA_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(() => loadConfig({ FORMA_TRUST_PROXY: 'yes' })).toThrow(/FORMA_TRUST_PROXY: must be true or false, got "yes"/);
  });

  it('treats empty variables as unset', () => {
    const env = { DATABASE_URL: '', FORMA_DATA_DIR: ' ', PORT: '', FORMA_WORKSPACE: '' };
    expect(loadConfig(env, '/srv/forma')).toEqual(loadConfig({}, '/srv/forma'));
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    for (const url of ['postgres://forma@db/crm', 'postgresql://forma:pw@db:5433/crm']) {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    }
  });

  it('resolves FORMA_DATA_DIR against the working directory', () => {
    expect(loadConfig({ FORMA_DATA_DIR: 'var/forma' }, '/srv').dataDir).toBe('/srv/var/forma');
    expect(loadConfig({ FORMA_DATA_DIR: '/data/forma' }, '/srv').database).toEqual({
      kind: 'embedded',
      dataDir: '/data/forma/pg',
    });
  });

  it('accepts ports from 1 to 65535 and workspaces of up to 48 characters', () => {
    expect(loadConfig({ PORT: '1' }).port).toBe(1);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ FORMA_WORKSPACE: `a${'_9'.repeat(23)}b` }).workspace).toHaveLength(48);
  });

  it.each(['0', '65536', '-1', '3000.5', '3e3', 'abc', '0x50'])('refuses PORT=%s', (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT: must be an integer from 1 to 65535/);
  });

  it.each(['Main', '1st', '_main', 'main-crm', 'a'.repeat(49), '销售'])('refuses FORMA_WORKSPACE=%s', (workspace) => {
    expect(() => loadConfig({ FORMA_WORKSPACE: workspace })).toThrow(/FORMA_WORKSPACE: must be a lowercase letter/);
  });

  it('reports every bad variable at once, without echoing a password', () => {
    const env = { DATABASE_URL: 'mysql://root:s3cret@db/crm', PORT: '70000', FORMA_WORKSPACE: 'Sales' };
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\/, got a "mysql:" URL/);
    expect(message).toMatch(/PORT: .*"70000"/);
    expect(message).toMatch(/FORMA_WORKSPACE: .*"Sales"/);
    expect(message).not.toContain('s3cret');
  });
});

describe('npm start', () => {
  let started: ChildProcess | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    if (started?.pid && started.exitCode === null && started.signalCode === null) {
      process.kill(-started.pid, 'SIGKILL');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'builds, migrates a fresh embedded database, serves /health and stops on SIGTERM',
    async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'forma-start-'));
      const port = await freePort();
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), FORMA_DATA_DIR: dataDir };
      for (const name of ['DATABASE_URL', 'FORMA_WORKSPACE', 'NODE_ENV']) delete env[name];

      // Its own process group, so the server it spawns is stopped together with it.
      const child = spawn(process.execPath, ['app/cli/start.mjs'], { cwd: root, env, detached: true });
      started = child;
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const exited = new Promise<number | string | null>((resolve) =>
        child.on('exit', (code, signal) => resolve(code ?? signal)),
      );

      const health = await waitForHealth(`http://localhost:${port}/health`, child, 120_000).catch((error) => {
        throw new Error(`${(error as Error).message}\n--- output of app/cli/start.mjs ---\n${output}`);
      });
      expect(health).toEqual({
        status: 'ok',
        version: packageJson.version,
        database: 'embedded',
        workspace: 'main',
        metadataVersion: 1,
      });
      // The first start of an empty workspace installed the standard CRM and seeded the demo.
      await expect.poll(() => output, { timeout: 5_000 }).toMatch(/Demo logins[\s\S]*sales2/);
      await expect.poll(() => output, { timeout: 5_000 }).toContain(
        `Forma is running at http://localhost:${port}/  (database: embedded, ${path.join(dataDir, 'pg')})`,
      );

      process.kill(-child.pid!, 'SIGTERM');
      const code = await Promise.race([exited, sleep(15_000).then(() => 'still running after 15 s')]);
      expect(code).toBe(0);
    },
    180_000,
  );
});

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`app/cli/start.mjs exited (${child.exitCode ?? child.signalCode}) before /health answered`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      if (response.ok) return await response.json();
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`/health did not answer within ${timeoutMs / 1000} s`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
