import { fileURLToPath } from 'node:url';
import type { Database } from '../engine/db/database.ts';
import { currentVersion } from '../engine/metadata/store.ts';
import { installPackage } from '../engine/packages/install.ts';
import { systemActor } from '../engine/security/actor.ts';
import { ensureInitialAdmin, INITIAL_ADMIN } from '../engine/security/roles.ts';
import { demoUsers, seedDemo } from '../metadata/standard-crm/demo/seed.ts';
import type { FormaConfig } from './config.server.ts';

/** The standard CRM template, installed on the first start of an empty workspace. */
export const standardCrm = fileURLToPath(new URL('../metadata/standard-crm', import.meta.url));

/** Customers in the demo set the first start seeds: enough to look like a company's CRM. */
const DEMO_CUSTOMERS = 200;

export interface FirstRun {
  /** The administrator's login, and the password made up for it when FORMA_ADMIN_PASSWORD was not set (printed once, never stored in clear). */
  admin?: { login: string; generatedPassword?: string };
  /** The demo logins to print (they share the demo password), when demo data was seeded now. */
  demoLogins?: { login: string; displayName: string }[];
}

/**
 * On the first start of an empty workspace (metadata version 0), installs the standard CRM
 * through the same path a consultant's package uses, creates the administrator `admin`
 * (password FORMA_ADMIN_PASSWORD, or a random one to print once) and — unless
 * FORMA_DEMO_DATA=false — seeds the demo set with its users. Later starts change nothing.
 * `options.demoCustomers` shrinks (or grows) the demo: the end-to-end tests seed 30 to start fast.
 */
export async function prepareWorkspace(
  database: Database, config: FormaConfig, log: (line: string) => void, options: { demoCustomers?: number } = {},
): Promise<FirstRun> {
  const ctx = { db: database.db, workspace: config.workspace };
  if ((await currentVersion(ctx.db, ctx.workspace)) > 0) return {};
  const setup = systemActor('setup');
  log('Installing the standard CRM / 正在安装标准 CRM 模板…');
  await installPackage(ctx, setup, standardCrm);
  const { generatedPassword } = await ensureInitialAdmin(ctx.db, setup, ctx.workspace, config.adminPassword);
  const admin = { login: INITIAL_ADMIN, ...(generatedPassword ? { generatedPassword } : {}) };
  if (!config.demoData) return { admin };
  const customers = options.demoCustomers ?? DEMO_CUSTOMERS;
  log(`Seeding demo data (${customers} customers) / 正在生成演示数据…`);
  await seedDemo(ctx, setup, { customers, password: config.demoPassword, dataDir: config.dataDir });
  return { admin, demoLogins: demoUsers.filter(({ login }) => login !== INITIAL_ADMIN).map(({ login, displayName }) => ({ login, displayName })) };
}
