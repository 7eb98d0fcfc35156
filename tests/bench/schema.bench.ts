// `npm run bench:schema`: the metadata engine's costs, each beside a raw baseline measured in
// the same run on the same database (this machine is shared and noisy: read the ratios).
//   1. plan + apply a 25-entity model from empty   vs the same DDL as hand-written SQL
//   2. add a field to a table of 1,000,000 rows     vs ALTER TABLE by hand
//   3. validate 500 entity documents                vs ajv against the meta-schema alone
//   4. plan a new requiredWhen on those rows         vs the same count in SQL
// Runs on PostgreSQL 15 (a throwaway cluster, or DATABASE_URL) and on the embedded PGlite.
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database } from '../../engine/db/database.ts';
import { migrateToLatest } from '../../engine/db/migrate.ts';
import { metaSchemaValidator } from '../../engine/metadata/kinds.ts';
import { validateDocuments } from '../../engine/metadata/validate.ts';
import { systemActor } from '../../engine/security/actor.ts';
import { applyChange, planChange } from '../../engine/schema/change.ts';
import { createDatabase, databaseUrl, startPostgresCluster } from '../support/postgres-cluster.ts';
import { entity, field, inputs, L } from '../support/documents.ts';
import { generateModel } from './model-generator.ts';

const actor = systemActor('bench');
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function time(body: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await body();
  return performance.now() - started;
}
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
function row(label: string, forma: number[], raw: number[]) {
  const [f, r] = [median(forma), median(raw)];
  console.log(`  ${label.padEnd(46)} forma ${ms(f).padStart(10)}   raw ${ms(r).padStart(10)}   ratio ${(f / r).toFixed(2)}`);
}

const columnSql: Record<string, string> = {
  text: 'text', phone: 'text', email: 'text', select: 'text', textarea: 'text', region: 'text', multiselect: 'text[]',
  money: 'numeric(18, 2)', percent: 'numeric(18, 2)', formula: 'numeric(18, 2)', integer: 'bigint', date: 'date',
  datetime: 'timestamptz', boolean: 'boolean', user: 'uuid', lookup: 'uuid',
};

/** The same tables as Forma creates, written as plain DDL: the baseline for benchmark 1. */
function handWrittenDdl(documents: Record<string, any>[], schema: string): string[] {
  const statements = [`create schema ${schema}`];
  const foreignKeys: string[] = [];
  const ordered = [...documents].sort((a, b) => Number(b.name.endsWith('_line')) - Number(a.name.endsWith('_line'))).reverse();
  const parentOf = new Map<string, string>();
  for (const doc of documents) {
    for (const f of Object.values<any>(doc.schema.properties)) if (f['x-forma'].type === 'lines') parentOf.set(f['x-forma'].entity, doc.name);
  }
  for (const doc of ordered.sort((a, b) => Number(parentOf.has(a.name)) - Number(parentOf.has(b.name)))) {
    const t = `${schema}.${doc.name}`;
    const columns = ['id uuid primary key', 'created_at timestamptz not null default now()', 'created_by uuid',
      'updated_at timestamptz not null default now()', 'updated_by uuid', 'owner_id uuid', 'version integer not null default 1', 'deleted_at timestamptz'];
    const parent = parentOf.get(doc.name);
    if (parent) columns.push(`parent_id uuid not null references ${schema}.${parent}(id) on delete cascade`, 'position integer not null default 0');
    for (const [name, f] of Object.entries<any>(doc.schema.properties)) {
      const type = f['x-forma'].type;
      if (type === 'lines') continue;
      columns.push(`${name} ${columnSql[type]}${(doc.schema.required ?? []).includes(name) ? ' not null' : ''}`);
    }
    statements.push(`create table ${t} (${columns.join(', ')})`, `create index on ${t} (owner_id)`);
    if (parent) statements.push(`create index on ${t} (parent_id, position)`);
    for (const [name, f] of Object.entries<any>(doc.schema.properties)) {
      const o = f['x-forma'];
      if (o.searchable) statements.push(`create index on ${t} using gin (${name} gin_trgm_ops)`);
      if (o.filterable || o.type === 'lookup') statements.push(`create index on ${t} (${name})`);
      if (o.type === 'lookup') foreignKeys.push(`alter table ${t} add foreign key (${name}) references ${schema}.${o.target}(id)`);
    }
  }
  return [...statements, ...foreignKeys];
}

async function rawTransaction(db: Kysely<any>, statements: string[]) {
  await db.transaction().execute(async (trx) => {
    for (const statement of statements) await sql.raw(statement).execute(trx);
  });
}

async function benchDatabase(database: Database) {
  const db = database.db;
  await migrateToLatest(db);
  console.log(`\n${database.kind === 'postgres' ? 'PostgreSQL 15 server' : 'embedded PGlite'}`);

  // 1. A 25-entity model from empty, each run in a fresh workspace / schema.
  const model = generateModel(25);
  const forma: number[] = [];
  const raw: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    forma.push(await time(() => applyChange({ db, workspace: `model${run}` }, actor, { upsert: inputs(...model) })));
    raw.push(await time(() => rawTransaction(db, handWrittenDdl(model as any[], `raw_model${run}`))));
  }
  row(`plan+apply ${model.length} tables (25 entities) from empty`, forma, raw);

  // 2. Adding a field to a table of ROWS rows.
  const ctx = { db, workspace: 'big' };
  const customer = (extra: Record<string, unknown>) =>
    entity('customer', { name: field({ type: 'text' }), ...extra }, { required: ['name', ...Object.keys(extra).filter((k) => k.startsWith('req'))] });
  await applyChange(ctx, actor, { upsert: inputs(customer({})) });
  const loaded = await time(() => sql`insert into ws_big.customer (id, name) select gen_random_uuid(), '客户' || i from generate_series(1, ${ROWS}::integer) i`.execute(db));
  // The baseline table is a true copy: same columns, indexes and constraints, same rows.
  await sql`create table ws_big.raw_customer (like ws_big.customer including all)`.execute(db);
  await sql`insert into ws_big.raw_customer select * from ws_big.customer`.execute(db);
  console.log(`  (loaded ${ROWS.toLocaleString('en')} rows in ${ms(loaded)})`);
  const fields: Record<string, unknown> = {};
  const nullable: number[] = [], nullableRaw: number[] = [], required: number[] = [], requiredRaw: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    fields[`opt${run}`] = field({ type: 'text' });
    nullable.push(await time(() => applyChange(ctx, actor, { upsert: inputs(customer({ ...fields })) })));
    nullableRaw.push(await time(() => sql.raw(`alter table ws_big.raw_customer add column opt${run} text`).execute(db)));
  }
  row(`add an optional field (${ROWS.toLocaleString('en')} rows)`, nullable, nullableRaw);
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    fields[`req${run}`] = field({ type: 'text' }, { default: '未分类' });
    required.push(await time(() => applyChange(ctx, actor, { upsert: inputs(customer({ ...fields })) })));
    requiredRaw.push(await time(() => rawTransaction(db, [
      `alter table ws_big.raw_customer add column req${run} text`,
      `update ws_big.raw_customer set req${run} = '未分类'`,
      `alter table ws_big.raw_customer alter column req${run} set not null`,
    ])));
  }
  row(`add a required field with default (backfill)`, required, requiredRaw);

  // 4. A new requiredWhen on a form layout: the plan reads every live row with the field empty (all
  //    of them here) as records and runs the condition on each; the baseline counts the same in SQL.
  fields.needs_invoice = field({ type: 'boolean' });
  fields.invoice_title = field({ type: 'text' });
  await applyChange(ctx, actor, { upsert: inputs(customer({ ...fields })) });
  await sql`update ws_big.customer set needs_invoice = true where random() < 0.01`.execute(db);
  const condition = { properties: { needs_invoice: { const: true } }, required: ['needs_invoice'] };
  const layout = {
    kind: 'layout', name: 'customer_form', label: L('客户', 'Customer'), entity: 'customer',
    sections: [{ name: 'main', label: L('基本', 'Main'), fields: ['name', 'needs_invoice', { field: 'invoice_title', requiredWhen: condition }] }],
  };
  const checked: number[] = [], counted: number[] = [];
  let refused = 0, count = 0;
  for (let run = 0; run < Math.min(RUNS, 3); run++) {
    checked.push(await time(async () => {
      const plan = await planChange(ctx, { upsert: inputs(layout) });
      refused = plan.operations.find((o) => o.op === 'checkData')?.check?.count ?? -1;
    }));
    counted.push(await time(async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ws_big.customer
        where deleted_at is null and invoice_title is null and needs_invoice is true`.execute(db);
      count = rows[0]!.n;
    }));
  }
  if (refused !== count) throw new Error(`requiredWhen check counted ${refused}, SQL ${count}`);
  row(`plan a new requiredWhen (${count.toLocaleString('en')} records refuse it)`, checked, counted);
}

async function benchValidation() {
  const documents = generateModel(500, 'v').slice(0, 500);
  const entityValidator = metaSchemaValidator('entity');
  const forma: number[] = [], raw: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    forma.push(await time(() => {
      const { problems } = validateDocuments(inputs(...documents));
      if (problems.length) throw new Error(JSON.stringify(problems[0]));
    }));
    raw.push(await time(() => documents.forEach((d) => entityValidator(d))));
  }
  console.log('\nvalidation (in process)');
  row(`validate ${documents.length} entity documents`, forma, raw);
  const dir = await mkdtemp(join(tmpdir(), 'forma-bench-docs-'));
  await mkdir(dir, { recursive: true });
  await Promise.all(documents.map((d) => writeFile(join(dir, `${(d as { name: string }).name}.json`), JSON.stringify(d))));
  const cli = join(import.meta.dirname, '../../app/cli/forma.mjs');
  const command: number[] = [], baseline: number[] = [];
  for (let run = 0; run < 3; run++) {
    command.push(await time(() => execFileSync(process.execPath, [cli, 'meta:validate', dir], { stdio: 'ignore' })));
    baseline.push(await time(() => execFileSync(process.execPath, [cli, '--help'], { stdio: 'ignore' })));
  }
  row(`npx forma meta:validate (500 files) vs --help`, command, baseline);
  await rm(dir, { recursive: true, force: true });
}

console.log(`bench:schema — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; median of ${RUNS} runs`);
await benchValidation();
const cluster = process.env.DATABASE_URL ? undefined : await startPostgresCluster();
try {
  const adminUrl = process.env.DATABASE_URL ?? cluster!.url;
  await createDatabase(adminUrl, 'forma_bench');
  const server = await openDatabase({ kind: 'postgres', url: databaseUrl(adminUrl, 'forma_bench') });
  await benchDatabase(server).finally(() => server.close());
} finally {
  await cluster?.stop();
}
const dataDir = await mkdtemp(join(tmpdir(), 'forma-bench-pglite-'));
const embedded = await openDatabase({ kind: 'embedded', dataDir });
await benchDatabase(embedded).finally(async () => {
  await embedded.close();
  await rm(dataDir, { recursive: true, force: true });
});
