// The built app as people run it, for end-to-end tests and benchmarks: a PostgreSQL database
// prepared the way `npm start` prepares one (migrations, standard CRM, admin, demo set), then
// `node app/server.mjs` (Express + the build, see app-build.ts) on a free port. No vitest here: the
// benchmarks import this outside of vitest.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from './postgres-cluster.ts';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../app/config.server.ts';
import { prepareWorkspace } from '../../app/first-run.server.ts';
import { openDatabase } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import { isBuilt, repositoryRoot } from './app-build.ts';

export interface PrepareOptions {
  /** The initial administrator's password (FORMA_ADMIN_PASSWORD). */
  adminPassword: string;
  /** The data directory the server will have (FORMA_DATA_DIR): the demo's files (the company's logo and seal) go there. */
  dataDir: string;
  /** Customers of the demo set (plus the 新时代网络公司 story); `false` seeds no demo at all. */
  demoCustomers: number | false;
  /** The demo users' password (FORMA_DEMO_PASSWORD, default forma-demo). */
  demoPassword?: string;
}

/**
 * Migrates the empty database at `url` and prepares it with `prepareWorkspace`, exactly as the
 * first `npm start` does (standard CRM, `admin`, demo set with manager1/sales1/sales2), but with
 * a demo of the size asked for. Resolves to the milliseconds it took.
 */
export async function prepareAppDatabase(url: string, options: PrepareOptions): Promise<number> {
  const started = Date.now();
  const config = loadConfig({
    DATABASE_URL: url,
    FORMA_ADMIN_PASSWORD: options.adminPassword,
    FORMA_DEMO_DATA: options.demoCustomers === false ? 'false' : 'true',
    FORMA_DEMO_PASSWORD: options.demoPassword,
    FORMA_DATA_DIR: options.dataDir,
  });
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 4 });
  try {
    await migrateToLatest(database.db);
    await prepareWorkspace(database, config, () => {}, { demoCustomers: options.demoCustomers === false ? 0 : options.demoCustomers });
  } finally {
    await database.close();
  }
  return Date.now() - started;
}

export interface AppServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** The server's output so far (stdout and stderr interleaved, stderr lines marked `!`), the last 200 lines. */
  output(): string;
  /** Only what the server wrote to stderr, the last 200 lines. */
  errors(): string;
  /** Stops the server (SIGTERM, SIGKILL after 10 s) and removes its data directory. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** The built app to run: `buildApp().root` (tests/support/app-build.ts). */
  appRoot: string;
  databaseUrl: string;
  /** Its FORMA_DATA_DIR (made with `appDataDir`, given to `prepareAppDatabase` too); removed when the server stops. */
  dataDir: string;
  /** More environment for the server (e.g. FORMA_TRUST_PROXY). */
  env?: Record<string, string>;
  /** How long to wait for /health; default 60 s. */
  timeoutMs?: number;
}

const KEEP_LINES = 200;
const exitWithParent = pathToFileURL(path.join(repositoryRoot, 'tests', 'support', 'exit-with-parent.mjs')).href;

/**
 * Starts `node app/server.mjs` on the built app in `appRoot` against `databaseUrl` (DATABASE_URL, PORT,
 * FORMA_DATA_DIR `dataDir`, NODE_ENV=production) and resolves once GET /health answers
 * 200. The server dies with this process even if it is killed. A server that exits or does not
 * answer in time rejects with its output.
 */
export async function serveApp(options: ServeOptions): Promise<AppServer> {
  if (!isBuilt(options.appRoot)) throw new Error(`${options.appRoot} holds no built app: make one with buildApp() (tests/support/app-build.ts)`);
  // The free port is released before the server binds it: retry with another if it was taken meanwhile.
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startServer(options, await freePort());
    } catch (error) {
      lastError = error;
      if (!/EADDRINUSE/.test(String((error as Error).message))) throw error;
    }
  }
  throw lastError;
}

/** A fresh data directory for an app under test (its files, print jobs). */
export function appDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'forma-app-'));
}

async function startServer(options: ServeOptions, port: number): Promise<AppServer> {
  const { dataDir } = options;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    FORMA_DATA_DIR: dataDir,
  };
  // Vitest's own variables would make the server think it is a test worker.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'FORMA_WORKSPACE') delete env[name];
  const child = spawn(process.execPath, ['--import', exitWithParent, path.join(options.appRoot, 'app', 'server.mjs')], {
    cwd: options.appRoot,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const errorLines: string[] = [];
  const keep = (into: string[], text: string) => {
    into.push(...text.split('\n').filter(Boolean));
    if (into.length > KEEP_LINES) into.splice(0, into.length - KEEP_LINES);
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => keep(lines, chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    keep(lines, chunk.split('\n').filter(Boolean).map((line) => `! ${line}`).join('\n'));
    keep(errorLines, chunk);
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exit ${code ?? signal}`)));
  const url = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let status = 'no answer';
  for (;;) {
    const outcome = await Promise.race([exited, healthOf(url)]);
    if (outcome === 'ok') break;
    if (outcome.startsWith('exit ')) {
      await stop();
      throw new Error(`app/server.mjs stopped before /health answered (${outcome}):\n${lines.join('\n')}`);
    }
    status = outcome;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`app/server.mjs did not answer /health within ${(options.timeoutMs ?? 60_000) / 1000} s (last: ${status}):\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, output: () => lines.join('\n'), errors: () => errorLines.join('\n'), stop };
}

/** 'ok' when /health answers 200, else what it answered. */
async function healthOf(url: string): Promise<string> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? 'ok' : `HTTP ${response.status} ${await response.text()}`;
  } catch (error) {
    return (error as Error).message;
  }
}

