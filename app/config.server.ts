import path from 'node:path';
import type { DatabaseConfig } from '../engine/db/database.ts';

/** Everything Forma takes from its environment, checked and with defaults applied. */
export interface FormaConfig {
  readonly database: DatabaseConfig;
  /** Absolute; the embedded database lives in `<dataDir>/pg`. */
  readonly dataDir: string;
  readonly port: number;
  readonly workspace: string;
  /**
   * Whether the one reverse proxy in front is trusted to tell the client's address and the
   * scheme (X-Forwarded-For, X-Forwarded-Proto); without one those headers are anyone's to forge.
   */
  readonly trustProxy: boolean;
  /** Whether the first start of an empty workspace seeds demo data (and the demo users). */
  readonly demoData: boolean;
  /** The password of the demo users. */
  readonly demoPassword: string;
  /** The initial administrator's password; when unset, setup makes one up and prints it once. */
  readonly adminPassword?: string;
}

type Env = Readonly<Record<string, string | undefined>>;
type Check<T> = { value: T } | { problem: string };

const workspacePattern = /^[a-z][a-z0-9_]{0,47}$/;

/**
 * Reads Forma's environment variables, applies defaults and checks every one of them, so a
 * misconfigured deployment stops at boot with one message naming each bad variable rather
 * than failing on the first request. An empty variable counts as unset.
 *
 * @example const { port, database } = loadConfig(); // throws on PORT=abc, FORMA_WORKSPACE=Main…
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): FormaConfig {
  const url = checkDatabaseUrl(read(env, 'DATABASE_URL'));
  const port = checkPort(read(env, 'PORT'));
  const workspace = checkWorkspace(read(env, 'FORMA_WORKSPACE'));
  const demoData = checkBoolean(read(env, 'FORMA_DEMO_DATA'), true);
  const trustProxy = checkBoolean(read(env, 'FORMA_TRUST_PROXY'), false);
  const demoPassword = checkPassword(read(env, 'FORMA_DEMO_PASSWORD'), 'forma-demo');
  const adminPassword = checkPassword(read(env, 'FORMA_ADMIN_PASSWORD'), undefined);
  if ('problem' in url || 'problem' in port || 'problem' in workspace || 'problem' in demoData || 'problem' in demoPassword || 'problem' in adminPassword
    || 'problem' in trustProxy) {
    const checks = {
      DATABASE_URL: url, PORT: port, FORMA_WORKSPACE: workspace, FORMA_DEMO_DATA: demoData, FORMA_DEMO_PASSWORD: demoPassword,
      FORMA_ADMIN_PASSWORD: adminPassword, FORMA_TRUST_PROXY: trustProxy,
    };
    const problems = Object.entries(checks).flatMap(([name, check]) =>
      'problem' in check ? [`  - ${name}: ${check.problem}`] : [],
    );
    throw new Error(`环境变量有误 / Invalid environment:\n${problems.join('\n')}`);
  }

  const dataDir = path.resolve(cwd, read(env, 'FORMA_DATA_DIR') ?? 'data');
  return {
    database:
      url.value === undefined
        ? { kind: 'embedded', dataDir: path.join(dataDir, 'pg') }
        : { kind: 'postgres', url: url.value },
    dataDir,
    port: port.value,
    workspace: workspace.value,
    trustProxy: trustProxy.value,
    demoData: demoData.value,
    demoPassword: demoPassword.value,
    ...(adminPassword.value === undefined ? {} : { adminPassword: adminPassword.value }),
  };
}

let loaded: FormaConfig | undefined;

/** The process's configuration: `loadConfig()` of `process.env`, read on first use only. */
export function getConfig(): FormaConfig {
  loaded ??= loadConfig();
  return loaded;
}

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function checkDatabaseUrl(raw: string | undefined): Check<string | undefined> {
  if (raw === undefined || /^postgres(ql)?:\/\//.test(raw)) return { value: raw };
  // Only the scheme is echoed back: the rest of a connection string may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(raw)?.[0];
  const got = scheme ? `a "${scheme}" URL` : 'something that is not a URL';
  return { problem: `must start with postgres:// or postgresql://, got ${got}` };
}

function checkPort(raw: string | undefined): Check<number> {
  if (raw === undefined) return { value: 3000 };
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (port >= 1 && port <= 65535) return { value: port };
  return { problem: `must be an integer from 1 to 65535, got "${raw}"` };
}

function checkWorkspace(raw: string | undefined): Check<string> {
  if (raw === undefined) return { value: 'main' };
  if (workspacePattern.test(raw)) return { value: raw };
  return {
    problem: `must be a lowercase letter followed by up to 47 lowercase letters, digits or _, got "${raw}"`,
  };
}

function checkBoolean(raw: string | undefined, fallback: boolean): Check<boolean> {
  if (raw === undefined) return { value: fallback };
  if (raw === 'true' || raw === '1') return { value: true };
  if (raw === 'false' || raw === '0') return { value: false };
  return { problem: `must be true or false, got "${raw}"` };
}

function checkPassword<T extends string | undefined>(raw: string | undefined, fallback: T): Check<string | T> {
  if (raw === undefined) return { value: fallback };
  // Never echo a password back.
  return raw.length >= 8 ? { value: raw } : { problem: 'must have at least 8 characters' };
}
