// The production build of the app for end-to-end tests and benchmarks that run app/server.mjs —
// made in a private copy of the sources, never in the checkout's build/. Other people's builds in
// the same checkout (`npm start`, `npm run build`, the `npm start` test) begin by deleting build/:
// a server running from it would lose its files in the middle of a test. Here each distinct state
// of the sources is built once, into a directory of its own in the temp dir, and reused while the
// sources stay the same (a content hash, not mtimes: copies and checkouts change mtimes).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, symlink, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const at = (...parts: string[]) => path.join(repositoryRoot, ...parts);

/** What `react-router build` and app/server.mjs read, as in app/cli/start.mjs (plus templates/). */
const sourceDirs = ['app', 'engine', 'migrations', 'metadata', 'templates'];
const sourceFiles = ['package.json', 'package-lock.json', 'react-router.config.ts', 'vite.config.ts', 'tsconfig.json'];

/** Builds of this checkout, one directory per state of the sources. */
const cacheDir = path.join(os.tmpdir(), `forma-app-builds-${createHash('sha1').update(repositoryRoot).digest('hex').slice(0, 12)}`);
/** Builds not used for this long are deleted. */
const KEEP_UNUSED_MS = 6 * 3600_000;

/** A built app: `<root>/app/server.mjs` serves `<root>/build`, with the checkout's node_modules. */
export interface AppBuild {
  readonly root: string;
  /** Whether this call built it (false: an earlier build of the same sources was reused). */
  readonly built: boolean;
  /** Milliseconds this call took (copying the sources and building, or checking the cache). */
  readonly ms: number;
}

/**
 * The app built from the sources as they are now: reused when these exact sources were built
 * before, else copied to a staging directory and built there (`react-router build`,
 * NODE_ENV=production). Two processes building the same sources at once both build; the
 * first to finish wins and the other uses its result. Throws with Vite's output when the build fails.
 */
export async function buildApp(log: (line: string) => void = () => {}): Promise<AppBuild> {
  const started = Date.now();
  // An app built earlier, as it is: e.g. while someone's half-done change keeps the sources from building.
  const given = process.env.FORMA_TEST_APP_ROOT;
  if (given) {
    if (!isBuilt(given)) throw new Error(`FORMA_TEST_APP_ROOT=${given} holds no built app (app/server.mjs, build/server/index.js, build/client/assets)`);
    log(`forma: using the app built in ${given} (FORMA_TEST_APP_ROOT)`);
    return { root: given, built: false, ms: 0 };
  }
  await mkdir(cacheDir, { recursive: true });
  const key = sourcesHash();
  const root = path.join(cacheDir, key);
  if (complete(root)) {
    const now = new Date();
    await utimes(root, now, now);
    await prune(root);
    log(`forma: the sources are unchanged since the build in ${root}: reusing it`);
    return { root, built: false, ms: Date.now() - started };
  }
  const staging = await mkdtemp(path.join(cacheDir, 'tmp-'));
  try {
    for (const dir of sourceDirs) if (existsSync(at(dir))) await cp(at(dir), path.join(staging, dir), { recursive: true });
    for (const file of sourceFiles) if (existsSync(at(file))) await cp(at(file), path.join(staging, file));
    await symlink(at('node_modules'), path.join(staging, 'node_modules'));
    log('forma: building the app (react-router build, in a private copy of the sources)…');
    const result = spawnSync(at('node_modules', '.bin', 'react-router'), ['build'], {
      cwd: staging,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) {
      // Rollup's errors end with every file it had read: noise here.
      const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.replace(/watchFiles: \[[^\]]*\]/g, 'watchFiles: […]');
      throw new Error(`react-router build failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}):\n${output}`);
    }
    try {
      await rename(staging, root);
    } catch (error) {
      // Someone else finished the same build first: use theirs.
      if (!complete(root)) throw error;
      await rm(staging, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await prune(root);
  const ms = Date.now() - started;
  log(`forma: app built in ${(ms / 1000).toFixed(1)} s`);
  return { root, built: true, ms };
}

/** A hash of every source file's path and content. */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const add = (file: string) => {
    hash.update(path.relative(repositoryRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) add(full);
    }
  };
  for (const dir of sourceDirs) if (existsSync(at(dir))) walk(at(dir));
  for (const file of sourceFiles) if (existsSync(at(file))) add(at(file));
  return hash.digest('hex').slice(0, 16);
}

function complete(root: string): boolean {
  return existsSync(path.join(root, 'build', 'server', 'index.js')) && existsSync(path.join(root, 'build', 'client', 'assets'));
}

/** Deletes builds (and abandoned staging dirs) unused for KEEP_UNUSED_MS, except `keep`. */
async function prune(keep: string): Promise<void> {
  const now = Date.now();
  for (const entry of await readdir(cacheDir).catch(() => [])) {
    const dir = path.join(cacheDir, entry);
    if (dir === keep) continue;
    const mtime = await stat(dir).then((s) => s.mtimeMs, () => now);
    if (now - mtime > KEEP_UNUSED_MS) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

/** Whether `root` holds a built app to run. */
export function isBuilt(root: string): boolean {
  return complete(root) && existsSync(path.join(root, 'app', 'server.mjs'));
}
