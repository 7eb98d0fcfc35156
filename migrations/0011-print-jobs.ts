import { sql, type Kysely } from 'kysely';

/**
 * Batch print jobs (批量打印任务, engine/print/jobs.ts): one row per job asked for through the
 * API or the list screen, picked up by a worker of any app process with `SELECT … FOR UPDATE
 * SKIP LOCKED`. The row keeps who asked (the job runs as them), what to print, how far it got
 * and how it ended; the finished PDF is a file under `<dataDir>/files` named by the job's id and
 * day. Jobs and their files are removed a day after they were asked for. Frozen in time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .withSchema('forma')
    .createTable('print_job')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    // { ids } or { filter, sort }, as asked.
    .addColumn('selection', 'jsonb', (c) => c.notNull())
    // startPosition, locale, period.
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('actor_id', 'uuid', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('user', 'system')`))
    .addColumn('address', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'done', 'failed')`))
    .addColumn('stage', 'text', (c) => c.check(sql`stage in ('read', 'render')`))
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull())
    // Times a worker took the job: a job whose worker died is taken again, a few times at most.
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'jsonb')
    .addColumn('size', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('heartbeat_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  // Workers look for the oldest job waiting (or abandoned) in their workspace.
  await sql`create index print_job_waiting on forma.print_job (workspace, created_at) where state in ('queued', 'running')`.execute(db);
  // The daily clean-up removes jobs by age.
  await db.schema.withSchema('forma').createIndex('print_job_created').on('print_job').columns(['created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.withSchema('forma').dropTable('print_job').execute();
}
