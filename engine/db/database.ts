import { mkdir } from 'node:fs/promises';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';

/** Which database Forma runs on: a PostgreSQL server, or the embedded PGlite under a data directory. */
export type DatabaseKind = 'postgres' | 'embedded';

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'embedded'; dataDir: string };

/** An open database: the kysely handle every engine call takes, and how to close it. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<any>;
  close(): Promise<void>;
}

/**
 * Opens the database Forma runs on. `postgres` uses a `pg` pool on the server at `url`;
 * `embedded` starts PGlite (PostgreSQL in WebAssembly, in this process) with its files under
 * `dataDir`, and pg_trgm loaded so quick search behaves as on the server.
 *
 * @example const database = await openDatabase({ kind: 'embedded', dataDir: './data/pg' });
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const dialect = config.kind === 'postgres' ? postgresDialect(config) : await embeddedDialect(config.dataDir);
  const db = new Kysely<any>({ dialect });
  return { kind: config.kind, db, close: () => db.destroy() };
}

function postgresDialect(config: { url: string; poolSize?: number }): Dialect {
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 });
  return new PostgresDialect({ pool });
}

async function embeddedDialect(dataDir: string): Promise<Dialect> {
  // Loaded on demand so a server deployment never pays for the WebAssembly build.
  const [{ PGlite }, { pg_trgm }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('kysely-pglite-dialect'),
  ]);
  await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  return new PGliteDialect(pglite);
}

/** `count(*)` and bigint columns come back as strings from `pg` and as numbers from PGlite. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
