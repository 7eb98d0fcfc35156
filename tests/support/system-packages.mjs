// The Debian 12 (bookworm) packages Forma needs outside npm, in ONE place: `npm test`
// (tests/run.mjs) checks all of them, `npm start` only those used at run time.
// Plain ESM with Node built-ins only: this runs before anything else is known to be installed.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Where the PostgreSQL 15 server binaries live on Debian (tests/support/postgres-cluster.ts). */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/**
 * Debian package → files whose presence proves it is installed, and who needs it.
 * Files rather than `dpkg -s`: the files are what we actually use, and checking them costs no
 * process start. `usedBy`: 'test' = the test suite, 'start' = the running app.
 */
export const systemPackages = [
  {
    name: 'postgresql-15',
    purpose: 'throwaway PostgreSQL 15 server for the tests (pg_trgm ships inside this package on bookworm: `dpkg -S pg_trgm.control`)',
    files: [
      `${POSTGRES_BIN}/initdb`,
      `${POSTGRES_BIN}/pg_ctl`,
      `${POSTGRES_BIN}/postgres`,
      '/usr/share/postgresql/15/extension/pg_trgm.control',
    ],
    usedBy: ['test'],
    // Not needed when the tests are pointed at an existing server.
    skip: () => Boolean(process.env.FORMA_TEST_DATABASE_URL),
  },
  {
    name: 'chromium',
    purpose: 'headless browser that renders PDFs (puppeteer-core, executablePath /usr/bin/chromium)',
    files: ['/usr/bin/chromium'],
    usedBy: ['test', 'start'],
  },
  {
    name: 'fonts-wqy-microhei',
    purpose: 'the Chinese font of printed PDFs (engine/print/fonts.ts: embedded as a TrueType subset, twice as fast as Noto CJK)',
    files: ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
    usedBy: ['test', 'start'],
  },
  {
    name: 'fonts-noto-cjk',
    purpose: 'Chinese/Japanese/Korean glyphs of the screens (e2e screenshots), and of characters Micro Hei lacks in printed documents',
    files: ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'],
    usedBy: ['test', 'start'],
  },
  {
    name: 'poppler-utils',
    purpose: 'tests inspect generated PDFs (pdftoppm, pdftotext, pdfinfo)',
    files: ['/usr/bin/pdftoppm', '/usr/bin/pdftotext', '/usr/bin/pdfinfo'],
    usedBy: ['test'],
  },
];

/** The packages `usedBy` needs ('test' | 'start') whose files are not all present. */
export function missingSystemPackages(usedBy) {
  return systemPackages.filter(
    (p) => p.usedBy.includes(usedBy) && !(p.skip?.() ?? false) && !p.files.every((f) => existsSync(f)),
  );
}

/**
 * Makes sure the packages `usedBy` needs are installed. As root (CI, containers) installs the
 * missing ones with apt-get; otherwise prints the exact command and returns false.
 * @returns true when everything needed is present (possibly after installing)
 */
export function ensureSystemPackages(usedBy, log = (line) => console.error(line)) {
  const missing = missingSystemPackages(usedBy);
  if (missing.length === 0) return true;
  const names = missing.map((p) => p.name);
  log(`forma: missing system packages:\n${missing.map((p) => `  - ${p.name}: ${p.purpose}`).join('\n')}`);

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const installArgs = ['install', '-y', '--no-install-recommends', ...names];
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    log(
      existsSync('/usr/bin/apt-get')
        ? `forma: install them with:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}`
        : `forma: no apt-get here: install the equivalents of ${names.join(', ')} (Forma targets Debian 12).`,
    );
    return false;
  }

  log(`forma: installing with apt-get install -y --no-install-recommends ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // No stdin: CI has none, and apt must never wait for an answer.
  const stdio = ['ignore', 'inherit', 'inherit'];
  for (const args of [['update'], installArgs]) {
    const r = spawnSync('apt-get', args, { stdio, env });
    if (r.status !== 0) {
      log(`forma: apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
      return false;
    }
  }
  const still = missingSystemPackages(usedBy);
  if (still.length > 0) {
    log(`forma: still missing after apt-get: ${still.map((p) => `${p.name} (${p.files.filter((f) => !existsSync(f)).join(', ')})`).join('; ')}`);
    return false;
  }
  return true;
}
