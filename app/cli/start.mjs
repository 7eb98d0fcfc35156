#!/usr/bin/env node
// `npm start`: install dependencies if needed, build the app if its sources changed, bring the
// database to the latest migration, then serve. Everything up to the install uses Node built-ins
// only, because on a fresh clone node_modules does not exist yet.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const at = (...parts) => path.join(root, ...parts);
const bin = (name) => at('node_modules', '.bin', name);

/** Inputs of `react-router build`. app/cli and the server script are left out: they are not bundled. */
const buildSources = ['app', 'engine', 'migrations', 'metadata'];
const buildConfigFiles = ['package.json', 'package-lock.json', 'react-router.config.ts', 'vite.config.ts', 'tsconfig.json'];
const notBundled = new Set([at('app', 'cli'), at('app', 'server.mjs')]);
const serverBuild = at('build', 'server', 'index.js');

// Until the server runs, a signal only marks that we should stop at the next safe point (never
// in the middle of creating the database); afterwards it is forwarded to the server.
let server;
let stopSignal;
/** What the first start of an empty workspace did (the demo logins to print). */
let firstRun = {};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (server) {
      server.kill(signal);
      return;
    }
    if (!stopSignal) console.log('Stopping at the next safe point (never while the database is being written)…');
    stopSignal = signal;
  });
}

installDependenciesIfNeeded();
// From here on TypeScript modules of the app and the engine can be imported.
const { register } = await import('tsx/esm/api');
register();
const config = await loadConfigOrExit();
await checkPortIsFree(config.port);
buildIfStale();
stopIfAsked();
await prepareDatabase(config);
stopIfAsked();
serve(config);

function installDependenciesIfNeeded() {
  const installed = at('node_modules', '.package-lock.json');
  const lockfile = at('package-lock.json');
  if (existsSync(installed) && mtimeOf(installed) >= mtimeOf(lockfile)) return;
  // `npm ci` fails on these machines: the lockfile lacks foreign-platform optional packages.
  console.log('Installing dependencies (npm install)…');
  // --include=dev: the build needs the dev tools even where NODE_ENV=production.
  const result = run('npm', ['install', '--include=dev', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) fail('npm install failed (output above).');
  // npm may rewrite package-lock.json after node_modules: do not install again next time.
  if (existsSync(installed) && mtimeOf(installed) < mtimeOf(lockfile)) {
    const now = new Date();
    utimesSync(installed, now, now);
  }
}

function buildIfStale() {
  const builtAt = existsSync(serverBuild) && existsSync(at('build', 'client')) ? mtimeOf(serverBuild) : 0;
  const sourcesAt = Math.max(
    ...buildSources.map((dir) => newestMtimeUnder(at(dir))),
    ...buildConfigFiles.map((file) => mtimeOf(at(file))),
  );
  if (builtAt > sourcesAt) return;
  console.log('Building the app (react-router build)…');
  const started = Date.now();
  // Vite's output is long and only interesting when the build fails.
  const result = run(bin('react-router'), ['build'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    fail('The build failed (output above).');
  }
  console.log(`Built in ${seconds(started)}.`);
}

async function loadConfigOrExit() {
  const { getConfig } = await import('../config.server.ts');
  try {
    return getConfig();
  } catch (error) {
    fail(error.message);
  }
}

async function prepareDatabase(config) {
  // PGlite allows one process per data directory: the database is closed again before the
  // server starts, which opens it on its first request.
  const { getDatabase, closeDatabase } = await import('../db.server.ts');
  const { prepareWorkspace } = await import('../first-run.server.ts');
  console.log(`Preparing the database (${describeDatabase(config.database)})…`);
  const started = Date.now();
  try {
    // The first start of an empty workspace installs the standard CRM and the demo set.
    firstRun = await prepareWorkspace(await getDatabase(), config, (line) => console.log(line));
  } catch (error) {
    await closeDatabase();
    stopIfAsked();
    fail(`Forma cannot prepare its database: ${error.text?.en ?? error.message}`);
  }
  await closeDatabase();
  console.log(`Database ready in ${seconds(started)}.`);
}

async function checkPortIsFree(port) {
  const probe = createServer();
  const problem = await new Promise((resolve) => {
    probe.once('error', (error) => resolve(error.code === 'EADDRINUSE' ? 'is already in use' : error.message));
    probe.listen({ port }, () => probe.close(() => resolve(undefined)));
  });
  if (problem) fail(`Port ${port} ${problem}: set PORT to another port.`);
}

function serve(config) {
  server = spawn(process.execPath, [at('app', 'server.mjs')], {
    cwd: root,
    stdio: 'inherit',
    // Absolute FORMA_DATA_DIR: the server must open the directory prepared above.
    env: { ...process.env, NODE_ENV: 'production', PORT: String(config.port), FORMA_DATA_DIR: config.dataDir },
  });
  server.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
  void announceWhenHealthy(config);
}

/** Polls /health, which also opens the database in the server, and prints one line once it answers. */
async function announceWhenHealthy(config) {
  const url = `http://localhost:${config.port}/`;
  let reportedProblem = false;
  while (server.exitCode === null && server.signalCode === null) {
    try {
      const response = await fetch(new URL('health', url), { signal: AbortSignal.timeout(15_000) });
      const body = await response.json();
      if (response.ok) {
        console.log(`Forma is running at ${url}  (database: ${describeDatabase(config.database)})`);
        if (firstRun.admin) {
          const { login, generatedPassword } = firstRun.admin;
          console.log(generatedPassword
            ? `Administrator / 管理员: ${login}  password / 密码: ${generatedPassword}  (shown once: write it down / 只显示这一次，请记下)`
            : `Administrator / 管理员: ${login}  (password / 密码: FORMA_ADMIN_PASSWORD)`);
        }
        if (firstRun.demoLogins) {
          console.log(`Demo logins / 演示账号 (password / 密码: ${process.env.FORMA_DEMO_PASSWORD ? 'FORMA_DEMO_PASSWORD' : 'forma-demo'}):`);
          for (const { login, displayName } of firstRun.demoLogins) console.log(`  ${login.padEnd(10)} ${displayName}`);
        }
        return;
      }
      if (!reportedProblem) console.error(`Forma is up, but its database does not answer yet: ${body.message}`);
      reportedProblem = true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function describeDatabase(database) {
  if (database.kind === 'embedded') return `embedded, ${database.dataDir}`;
  // Never print the password; a URL that does not parse is pg's to complain about.
  const url = URL.canParse(database.url) ? new URL(database.url) : undefined;
  if (url) url.password = '';
  return url ? `postgres, ${url}` : 'postgres';
}

/** Runs a command to completion in the repository; stops if we were asked to meanwhile. */
function run(command, args, options) {
  const result = spawnSync(command, args, { cwd: root, ...options });
  stopIfAsked(result.signal);
  if (result.error) fail(`Could not run ${command}: ${result.error.message}`);
  return result;
}

function stopIfAsked(signal = stopSignal) {
  if (signal) process.exit(128 + (constants.signals[signal] ?? 0));
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function mtimeOf(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function newestMtimeUnder(dir) {
  if (notBundled.has(dir) || !existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs; // a deleted file shows only here
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (notBundled.has(entryPath)) continue;
    const mtime = entry.isDirectory() ? newestMtimeUnder(entryPath) : mtimeOf(entryPath);
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
