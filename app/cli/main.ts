import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import { FormaError, isFormaError, type Problem } from '../../engine/errors.ts';
import { loadDocuments } from '../../engine/metadata/load-documents.ts';
import { history, loadModel, type WorkspaceContext } from '../../engine/metadata/store.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { searchSystemLog, type SystemAction, type SystemLogEntry } from '../../engine/security/system-log.ts';
import { createApiToken, revokeApiToken } from '../../engine/security/tokens.ts';
import { createUser } from '../../engine/security/users.ts';
import { checkRoles, setUserRoles } from '../../engine/security/roles.ts';
import { applyChange, planChange, planRollback, purge, rollbackTo } from '../../engine/schema/change.ts';
import type { Plan } from '../../engine/schema/plan.ts';
import { loadConfig } from '../config.server.ts';
import { installPackage } from '../../engine/packages/install.ts';
import { createDepartment } from '../../engine/security/departments.ts';
import { seedDemo } from '../../metadata/standard-crm/demo/seed.ts';
import { previewNumbers } from '../../engine/numbering/counter.ts';
import { ruleFromDocument } from '../../engine/numbering/rule.ts';
import { DEFAULT_TIME_ZONE } from '../../engine/records/context.ts';
import { printCommand } from './print.ts';

const usage = `Usage: forma <command> [options]

  meta:validate <file|dir>                 validate metadata documents (offline: references resolve within the set)
  meta:plan <file|dir> [--json]            show what applying them would do, changing nothing
  meta:apply <file|dir> [--allow-destructive] [--reason <text>]
  meta:history [--json]                    every metadata version: who, when, why
  meta:rollback <version> [--dry-run]      return to an earlier version (added fields are archived, not dropped)
  meta:purge <entity>[.<field>] --confirm <entity>[.<field>]
                                           permanently drop an archived field's column or archived entity's table
  meta:export <dir>                        write the current documents as <dir>/<kind>/<name>.json
  numbering:preview <rule> [--count N]     the next numbers a numbering rule will give, without using them
  package:install <dir>                    install a metadata package (its forma-package.json lists the documents)
  demo:seed [--customers N]                write demo data for the standard CRM (default 200 customers) and the demo users
  db:migrate                               bring Forma's own tables up to date
  user:create --login <login> --name <display name> [--password <password>] [--department <name|path>] [--manager <login>] [--role <role>]…
                                           add a user (login: lowercase letters, digits, _ . @ -) with roles in the workspace
  user:roles --login <login> [--role <role>]…
                                           set exactly these roles of a user in the workspace (none: no access)
  department:create <name> [--parent <name|path>]
                                           add a department (names may repeat under different parents: use 销售部/销售一部)
  token:create --user <login> [--days N] [--label <text>]
                                           issue an API token (default 90 days); it is printed once, never stored
  token:revoke <id>                        revoke an API token for good
  log:search [--user <login>] [--action <a>[,<a>…]] [--since <ISO date>] [--limit N] [--json]
                                           the system log (系统日志), newest first (default 100 rows, at most 1000)
  print --template <name> --entity <entity> (--id <id> | --filter <json> [--sort <-a,b>]) --out <file.pdf>
        [--as <login>] [--start-position N] [--from <date>] [--to <date>]
                                           print a record, or every record a filter matches into one PDF (progress on
                                           stderr), as a user (default admin) with their permissions; logged

Uses DATABASE_URL when set, else the embedded database in FORMA_DATA_DIR (default ./data);
FORMA_WORKSPACE picks the workspace (default main). Exit code 0 on success, 1 on bad input
(the structured errors go to stderr), 2 on a usage error.`;

/** Runs one CLI command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      'allow-destructive': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      reason: { type: 'string' },
      confirm: { type: 'string' },
      count: { type: 'string' },
      password: { type: 'string' },
      customers: { type: 'string' },
      parent: { type: 'string' },
      department: { type: 'string' },
      manager: { type: 'string' },
      role: { type: 'string', multiple: true },
      login: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      days: { type: 'string' },
      label: { type: 'string' },
      action: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      template: { type: 'string' },
      entity: { type: 'string' },
      id: { type: 'string' },
      filter: { type: 'string' },
      sort: { type: 'string' },
      out: { type: 'string' },
      as: { type: 'string' },
      'start-position': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, argument] = positionals;
  if (!command || values.help) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 2;
  }
  try {
    if (command === 'meta:validate') return await validate(required(argument, 'file|dir'));
    const config = loadConfig();
    const database = await openDatabase(config.database);
    try {
      await migrateToLatest(database.db);
      const ctx: WorkspaceContext = { db: database.db, workspace: config.workspace };
      const actor = systemActor('cli');
      switch (command) {
        case 'db:migrate':
          print(`${database.kind} database up to date / 数据库已是最新`);
          return 0;
        case 'meta:plan': {
          const plan = await planChange(ctx, { upsert: await documentsOrThrow(required(argument, 'file|dir')) });
          if (values.json) print(JSON.stringify(plan, null, 2));
          else printPlan(plan);
          return plan.refused ? 1 : 0;
        }
        case 'meta:apply': {
          const applied = await applyChange(ctx, actor, { upsert: await documentsOrThrow(required(argument, 'file|dir')) }, {
            reason: values.reason, allowDestructive: values['allow-destructive'],
          });
          printPlan(applied.plan);
          print(applied.changed ? `applied: version ${applied.version} / 已应用：版本 ${applied.version}` : `nothing to change (version ${applied.version}) / 无需变更`);
          return 0;
        }
        case 'meta:history': {
          const versions = await history(ctx);
          if (values.json) print(JSON.stringify(versions, null, 2));
          else for (const v of versions) print(`v${v.version}  ${v.createdAt.toISOString()}  ${v.actor.name}  ${v.operations.length} op(s)  ${v.reason ?? ''}`);
          return 0;
        }
        case 'meta:rollback': {
          const version = Number(required(argument, 'version'));
          if (!Number.isInteger(version) || version < 1) throw usageError(`version must be a whole number ≥ 1, got ${argument}`);
          if (values['dry-run']) {
            printPlan(await planRollback(ctx, version));
            return 0;
          }
          const applied = await rollbackTo(ctx, actor, version, { reason: values.reason });
          printPlan(applied.plan);
          print(applied.changed ? `rolled back: version ${applied.version} / 已回滚：版本 ${applied.version}` : 'nothing to change / 无需变更');
          return 0;
        }
        case 'meta:purge': {
          const target = required(argument, 'entity[.field]');
          if (values.confirm !== target) throw usageError(`purging drops data for good: repeat the target with --confirm ${target}`);
          const [entity, field] = target.split('.') as [string, string | undefined];
          const applied = await purge(ctx, actor, { entity, field }, { allowDestructive: true, reason: values.reason });
          printPlan(applied.plan);
          print(`purged: version ${applied.version} / 已清除：版本 ${applied.version}`);
          return 0;
        }
        case 'demo:seed': {
          const customers = Number(values.customers ?? 200);
          if (!Number.isInteger(customers) || customers < 0 || customers > 1_000_000) throw usageError(`--customers must be a whole number from 0 to 1000000, got ${values.customers}`);
          const started = Date.now();
          const summary = await seedDemo(ctx, actor, { customers, password: config.demoPassword, dataDir: config.dataDir });
          print(`demo data written in ${((Date.now() - started) / 1000).toFixed(1)} s / 演示数据已生成:`);
          for (const [entity, count] of Object.entries(summary.counts)) print(`  ${entity.padEnd(14)} ${count}`);
          print(`demo logins / 演示账号: ${summary.users.join(', ')} (password / 密码: ${process.env.FORMA_DEMO_PASSWORD ? 'FORMA_DEMO_PASSWORD' : 'forma-demo'})`);
          return 0;
        }
        case 'package:install': {
          const installed = await installPackage(ctx, actor, required(argument, 'dir'));
          printPlan(installed.applied.plan);
          print(installed.applied.changed
            ? `installed ${installed.name} ${installed.version}: version ${installed.applied.version} / 已安装 ${installed.name} ${installed.version}：版本 ${installed.applied.version}`
            : `${installed.name} ${installed.version} is installed already: nothing to change / ${installed.name} ${installed.version} 已安装，无需变更`);
          return 0;
        }
        case 'numbering:preview': {
          const name = required(argument, 'rule');
          const count = Number(values.count ?? 5);
          if (!Number.isInteger(count) || count < 1 || count > 100) throw usageError(`--count must be a whole number from 1 to 100, got ${values.count}`);
          const doc = (await loadModel(ctx)).get(`numbering:${name}`);
          if (!doc) throw new FormaError('document_unknown', { kind: 'numbering', name });
          const numbers = await previewNumbers(database.db, config.workspace, ruleFromDocument(doc), new Date(), DEFAULT_TIME_ZONE, count);
          print(`next numbers of ${name} (not consumed) / ${name} 的下一批编号（未占用）:`);
          for (const number of numbers) print(`  ${number}`);
          return 0;
        }
        case 'meta:export': {
          const dir = required(argument, 'dir');
          const model = await loadModel(ctx);
          for (const doc of model.values()) {
            await mkdir(join(dir, doc.kind), { recursive: true });
            await writeFile(join(dir, doc.kind, `${doc.name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
          }
          print(`exported ${model.size} document(s) to ${dir} / 已导出 ${model.size} 个文档`);
          return 0;
        }
        case 'user:create': {
          const roles = values.role ?? [];
          if (roles.length) await checkRoles(database.db, ctx.workspace, roles);
          const user = await createUser(database.db, actor, {
            login: required(values.login, 'login'), displayName: required(values.name, 'display name'),
            ...(values.password !== undefined ? { password: values.password } : {}),
            ...(values.department !== undefined ? { department: values.department } : {}),
            ...(values.manager !== undefined ? { manager: values.manager } : {}),
          });
          if (roles.length) await setUserRoles(database.db, actor, ctx.workspace, user.login, roles);
          print(`user created / 已创建用户：${user.login} (${user.displayName})  id ${user.id}${roles.length ? `  roles / 角色 ${roles.join(', ')}` : ''}`);
          return 0;
        }
        case 'user:roles': {
          const login = required(values.login, 'login');
          await setUserRoles(database.db, actor, ctx.workspace, login, values.role ?? []);
          print(`roles of ${login} / ${login} 的角色：${(values.role ?? []).join(', ') || '—'}`);
          return 0;
        }
        case 'department:create': {
          const department = await createDepartment(database.db, actor, {
            name: required(argument, 'name'), ...(values.parent !== undefined ? { parent: values.parent } : {}),
          });
          print(`department created / 已创建部门：${department.name}  id ${department.id}`);
          return 0;
        }
        case 'token:create': {
          if (values.days !== undefined && !/^\d+$/.test(values.days)) throw usageError(`--days must be a whole number of days, got ${values.days}`);
          const days = values.days === undefined ? undefined : Number(values.days);
          const created = await createApiToken(database.db, actor, { login: required(values.user, 'login'), days, label: values.label });
          print(`token created for ${values.user} / 已为 ${values.user} 创建 API 令牌`);
          print(`  id:      ${created.id}`);
          print(`  expires: ${created.expiresAt.toISOString()}`);
          print(`  token:   ${created.token}`);
          print('Copy the token now: it is not stored and cannot be shown again. / 请立即复制令牌：它不会被保存，也无法再次显示。');
          return 0;
        }
        case 'token:revoke': {
          const id = required(argument, 'id');
          await revokeApiToken(database.db, actor, id);
          print(`token revoked / 已吊销令牌：${id}`);
          return 0;
        }
        case 'log:search': {
          if (values.limit !== undefined && !/^\d+$/.test(values.limit)) throw usageError(`--limit must be a whole number, got ${values.limit}`);
          const entries = await searchSystemLog(database.db, {
            ...(values.user !== undefined ? { actor: values.user } : {}),
            ...(values.action !== undefined ? { action: values.action.split(',').map((a) => a.trim()) as SystemAction[] } : {}),
            ...(values.since !== undefined ? { from: new Date(values.since) } : {}),
            ...(values.limit !== undefined ? { limit: Number(values.limit) } : {}),
          });
          if (values.json) print(JSON.stringify(entries, null, 2));
          else printLog(entries);
          return 0;
        }
        case 'print':
          await printCommand(ctx, config.dataDir, values, usageError);
          return 0;
        default:
          throw usageError(`unknown command ${command}`);
      }
    } finally {
      await database.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usage}\n`);
      return 2;
    }
    if (isFormaError(error)) {
      process.stderr.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`);
      return 1;
    }
    throw error;
  }
}

async function validate(path: string): Promise<number> {
  const inputs = await documentsOrThrow(path);
  const { documents, problems } = validateDocuments(inputs);
  if (problems.length) throw new FormaError('metadata_invalid', { count: problems.length }, problems);
  print(`${documents.length} document(s) valid / ${documents.length} 个文档有效`);
  return 0;
}

async function documentsOrThrow(path: string) {
  const { inputs, problems } = await loadDocuments(path);
  if (problems.length) throw new FormaError('metadata_invalid', { count: problems.length }, problems);
  return inputs;
}

function printPlan(plan: Plan) {
  for (const op of plan.operations) {
    const mark = op.check && !op.check.passed ? '✗' : '•';
    print(`${mark} [${op.risk}] ${op.summary['zh-CN']} / ${op.summary.en}`);
  }
  for (const p of plan.problems) print(describeProblem(p));
  if (!plan.operations.length) print('(no operations / 无操作)');
}

/** The system log as a table: time, user, action, entity/record, outcome, address. */
function printLog(entries: SystemLogEntry[]) {
  if (!entries.length) {
    print('(no entries / 无日志)');
    return;
  }
  const rows = [
    ['time / 时间', 'user / 用户', 'action / 操作', 'entity/record / 对象', 'outcome / 结果', 'address / 地址'],
    ...entries.map((e) => [
      e.at.toISOString(), e.actor.name, e.action,
      [e.entity, e.recordId].filter(Boolean).join('/'),
      e.outcome, e.address ?? '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i]!))));
  for (const row of rows) print(row.map((cell, i) => cell + ' '.repeat(widths[i]! - displayWidth(cell))).join('  ').trimEnd());
}

/** Columns a string takes in a terminal: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return width;
}

function describeProblem(p: Problem) {
  return `  ✗ ${p.source ?? ''}${p.path}: ${p.message['zh-CN']} / ${p.message.en}`;
}

class UsageError extends Error {}
const usageError = (message: string) => new UsageError(message);

function required(value: string | undefined, what: string): string {
  if (!value) throw usageError(`missing <${what}>`);
  return value;
}

function print(line: string) {
  process.stdout.write(`${line}\n`);
}
