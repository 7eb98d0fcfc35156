// End-to-end test harness: the built app on its own database, driven by headless Chromium
// through playwright-core. See docs/decisions/0004-tests.md ("End-to-end tests").
//
// Each e2e test file starts ONE app (its own database, its own server) and one browser:
//
//   const e2e = useE2E();                      // hooks: app + browser per file, diagnostics on failure
//   it('…', async () => {
//     const page = await e2e.newPage();        // fresh browser context (no cookies), zh-CN
//     await signIn(page, 'sales1', DEMO_PASSWORD);
//     await screenshot(page, 'list');          // tests/artifacts/list.png
//     await expectText(page.locator('h1'), '客户');
//   });
//
// tests/e2e/global-setup.ts builds the app before any test file runs (once per state of the sources).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { repositoryRoot } from '../support/app-build.ts';
import { appDataDir, prepareAppDatabase, serveApp } from '../support/app-server.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../support/postgres-cluster.ts';

/** Password of `admin` in every e2e app (FORMA_ADMIN_PASSWORD). */
export const ADMIN_PASSWORD = 'e2e-admin-password';
/** Password of the demo users manager1, sales1, sales2 (the default FORMA_DEMO_PASSWORD). */
export const DEMO_PASSWORD = 'forma-demo';
/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = path.join(repositoryRoot, 'tests', 'artifacts');

export interface E2EApp {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** URL of the app's PostgreSQL database (to compare the screens with the data). */
  readonly databaseUrl: string;
  /** The server's recent output (stderr lines marked `!`). */
  output(): string;
  /** What the server wrote to stderr. */
  errors(): string;
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Customers of the demo set besides 新时代网络公司; default 30 (the real first start seeds 200). */
  demoCustomers?: number;
}

/**
 * The app as `npm start` runs it, on a fresh database: creates a database on the test cluster,
 * migrates it and prepares it with `prepareWorkspace` (standard CRM, `admin` with
 * ADMIN_PASSWORD, a demo of `demoCustomers` customers with manager1/sales1/sales2), then runs
 * `node app/server.mjs` on a free port until /health answers.
 */
export async function startApp(options: StartOptions = {}): Promise<E2EApp> {
  const started = Date.now();
  const buildError = inject('e2eBuildError');
  if (buildError) throw new Error(`the app does not build, so no end-to-end test can run: ${buildError}`);
  const appRoot = inject('e2eAppRoot');
  if (!appRoot) throw new Error('no built app for this run: tests/e2e/global-setup.ts makes one when an e2e file is selected');
  const adminUrl = inject('postgresUrl');
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  await createDatabase(adminUrl, name);
  const url = databaseUrl(adminUrl, name);
  const dropIt = () => dropDatabase(adminUrl, name).catch((error: unknown) => console.error(`e2e: could not drop ${name}: ${String(error)}`));
  const dataDir = await appDataDir();
  let prepareMs: number;
  try {
    prepareMs = await prepareAppDatabase(url, { adminPassword: ADMIN_PASSWORD, demoCustomers: options.demoCustomers ?? 30, dataDir });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    await dropIt();
    throw error;
  }
  const serveStarted = Date.now();
  const server = await serveApp({ appRoot, databaseUrl: url, dataDir }).catch(async (error: unknown) => {
    await dropIt();
    throw error;
  });
  console.log(`e2e: app ready in ${Date.now() - started} ms (database prepared in ${prepareMs} ms, server answered /health in ${Date.now() - serveStarted} ms) at ${server.url}`);
  return {
    url: server.url,
    databaseUrl: url,
    output: server.output,
    errors: server.errors,
    async stop() {
      try {
        await server.stop();
      } finally {
        await dropIt();
      }
    },
  };
}

/** Headless Debian Chromium (no browser download: playwright-core with /usr/bin/chromium). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.FORMA_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Signs in on a freshly loaded /login and waits until the app leaves the sign-in page. A refused
 * sign-in throws with the message the page shows. Works before and after hydration (the form
 * posts either way).
 */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  // Loaded again even when already there: a message left from an earlier attempt would pass for this one's.
  await page.goto('/login');
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  const alert = page.locator('[role="alert"]');
  await Promise.race([
    page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 }),
    alert.waitFor({ timeout: 15_000 }),
  ]);
  if (new URL(page.url()).pathname === '/login') throw new Error(`sign-in as ${login} was refused: ${await alert.textContent()}`);
  // The address changes before the page it leads to has rendered (a client-side navigation):
  // signed in means the frame with its menu is on screen.
  await page.locator('nav.sidebar h2').first().waitFor({ timeout: 15_000 });
}

/**
 * Calls the REST API from the page, as the person signed in there: with their session cookie and
 * CSRF token, as the screens' own scripts do.
 *
 * @example const { status, body } = await pageApi(page, 'POST', '/api/v1/records/customer', { name: '新客户' });
 */
export async function pageApi(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(async ([method, path, body]) => {
    const { csrfToken } = await (await fetch('/api/v1/session')).json();
    const response = await fetch(path as string, {
      method: method as string,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  }, [method, path, body] as const);
}

/** A full-page PNG in tests/artifacts/<name>.png; resolves to its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// playwright-core has no web-first assertions (those come with @playwright/test): these wait
// for the page the same way, through vitest's expect.poll, and fail with the last value seen.

/** Waits until the element's visible text (trimmed) is `expected`, or matches it. */
export async function expectText(locator: Locator, expected: string | RegExp, timeout = 10_000): Promise<void> {
  const text = () => locator.innerText({ timeout: 1_000 }).then((t) => t.trim(), () => undefined);
  if (typeof expected === 'string') await expect.poll(text, { timeout }).toBe(expected);
  else await expect.poll(text, { timeout }).toMatch(expected);
}

/** Waits until the element's attribute is `expected` (null: absent). */
export async function expectAttribute(locator: Locator, name: string, expected: string | null, timeout = 10_000): Promise<void> {
  await expect.poll(() => locator.getAttribute(name, { timeout: 1_000 }).catch(() => undefined), { timeout }).toBe(expected);
}

/** Waits until the element is visible. */
export async function expectVisible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}

/** `FAILED-<file>-`: the start of the names of a test file's failure screenshots. */
function failurePrefix(testFile: string): string {
  return `FAILED-${path.basename(testFile).replace(/\.test\.ts$/, '')}-`;
}

/** Uncaught errors of a page's scripts and its console errors, as they happened. */
export interface PageProblems {
  /** Uncaught exceptions (a broken script, a failed hydration that threw). */
  readonly uncaught: string[];
  /** console.error messages (React's hydration warnings land here, and failed resource loads). */
  readonly console: string[];
}

export interface E2E {
  readonly app: E2EApp;
  readonly browser: Browser;
  /** A page in a fresh browser context (no cookies: signed out, screens in zh-CN), the app as baseURL. Closed after the test. */
  newPage(): Promise<Page>;
  /** A new page signed in as `login` (the admin with ADMIN_PASSWORD, demo users with DEMO_PASSWORD, unless given). */
  signedIn(login: string, password?: string): Promise<Page>;
  /** What went wrong in the scripts of a page this file opened. */
  problems(page: Page): PageProblems;
}

/**
 * The hooks of an e2e test file: starts the app and the browser once before its tests and stops
 * them after; closes the pages each test opened. When a test fails it saves a screenshot of each
 * of its pages (tests/artifacts/FAILED-<file>-<test>-<n>.png) and prints the pages' script errors
 * and the server's stderr and recent output.
 */
export function useE2E(options: StartOptions = {}): E2E {
  let app: E2EApp | undefined;
  let browser: Browser | undefined;
  let open: { context: BrowserContext; page: Page }[] = [];
  const problems = new WeakMap<Page, PageProblems>();

  beforeAll(async ({}, suite) => {
    // This file's failure screenshots of an earlier run would pass for this run's.
    const prefix = failurePrefix(suite.file.filepath);
    for (const name of await readdir(ARTIFACTS_DIR).catch(() => [])) if (name.startsWith(prefix)) await rm(path.join(ARTIFACTS_DIR, name), { force: true });
    const [started, launched] = await Promise.allSettled([startApp(options), launchBrowser()]);
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    // afterAll stops whichever of the two did start.
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  }, 180_000);

  afterEach(async ({ task }) => {
    const pages = open;
    open = [];
    try {
      if (task.result?.state === 'fail') {
        const lines = [`--- e2e: "${task.name}" failed ---`];
        for (const [i, { page }] of pages.entries()) {
          const file = await screenshot(page, `${failurePrefix(task.file.filepath)}${task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}-${i + 1}`).catch(() => undefined);
          const seen = problems.get(page);
          lines.push(`page ${i + 1}: ${page.url()}${file ? `  (screenshot ${path.relative(repositoryRoot, file)})` : ''}`);
          if (seen?.uncaught.length) lines.push('  uncaught errors:', ...seen.uncaught.map((e) => `    ${e}`));
          if (seen?.console.length) lines.push('  console errors:', ...seen.console.map((e) => `    ${e}`));
        }
        lines.push('--- server stderr ---', app?.errors() || '(none)', '--- server output (last lines) ---', app?.output() ?? '');
        console.error(lines.join('\n'));
      }
    } finally {
      await Promise.all(pages.map(({ context }) => context.close().catch(() => {})));
    }
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await app?.stop();
  });

  const e2e: E2E = {
    get app() {
      if (!app) throw new Error('the e2e app is not running (did beforeAll fail?)');
      return app;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not running (did beforeAll fail?)');
      return browser;
    },
    async newPage() {
      const context = await this.browser.newContext({ baseURL: this.app.url, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      const page = await context.newPage();
      const seen: PageProblems = { uncaught: [], console: [] };
      page.on('pageerror', (error) => seen.uncaught.push(error.stack ?? error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') seen.console.push(`${message.text()} (${message.location().url})`);
      });
      problems.set(page, seen);
      open.push({ context, page });
      return page;
    },
    // Not a method: test files take it apart (`const { signedIn } = e2e`).
    signedIn: async (login, password = login === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD) => {
      const page = await e2e.newPage();
      await signIn(page, login, password);
      return page;
    },
    problems(page) {
      return problems.get(page) ?? { uncaught: [], console: [] };
    },
  };
  return e2e;
}

/**
 * The app's own database, for a file's tests to compare what the screens show with the data:
 * connected before the file's tests, closed after them.
 *
 * @example const db = useAppDatabase(e2e); … (await db.query('select count(*) from ws_main.customer')).rows
 */
export function useAppDatabase(e2e: E2E): Pick<pg.Client, 'query'> {
  let client: pg.Client | undefined;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: e2e.app.databaseUrl });
    await client.connect();
  });
  afterAll(() => client?.end());
  return { query: ((...args: Parameters<pg.Client['query']>) => (client!.query as (...a: unknown[]) => unknown)(...args)) as pg.Client['query'] };
}
