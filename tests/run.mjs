// `npm test`: runs the whole suite on a fresh Debian 12 machine with only Node 20 + npm.
//   1. npm dependencies (npm install, not npm ci: see docs/STACK notes),
//   2. system packages (tests/support/system-packages.mjs; apt-get when root),
//   3. the type check (react-router typegen + tsc), unless arguments narrow the run,
//   4. vitest run, passing extra arguments through: `npm test -- tests/foo.test.ts`.
// Node built-ins only: nothing else is known to be installed when this starts.
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ensureSystemPackages } from './support/system-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const vitestBin = path.join(root, 'node_modules', '.bin', 'vitest');

if (!existsSync(path.join(root, 'node_modules')) || !existsSync(vitestBin)) {
  console.error('forma: installing npm dependencies (npm install --no-audit --no-fund)');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`forma: npm install failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    process.exit(1);
  }
}

if (!ensureSystemPackages('test')) process.exit(1);

// `npm test -- x` arrives here as `x`; `node tests/run.mjs -- x` as `-- x`.
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();

if (args.length === 0) {
  for (const [tool, toolArgs] of [['react-router', ['typegen']], ['tsc', ['--noEmit']]]) {
    const r = spawnSync(path.join(root, 'node_modules', '.bin', tool), toolArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      console.error(`forma: type check failed (${tool} ${toolArgs.join(' ')})`);
      process.exit(1);
    }
  }
  console.error('forma: type check passed');
}
const child = spawn(vitestBin, ['run', ...args], { stdio: 'inherit' });
// Ctrl-C reaches vitest directly (same process group); forward what a supervisor sends to us
// alone, so vitest can run its teardown (which stops the PostgreSQL cluster).
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.on('SIGINT', () => {});
child.on('error', (error) => {
  console.error(`forma: could not start vitest: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
