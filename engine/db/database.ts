import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { FormaError } from '../errors.ts';

/** Which database Forma runs on: a PostgreSQL server, or the embedded PGlite under a data directory. */
export type DatabaseKind = 'postgres' | 'embedded';

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'embedded'; dataDir: string };

/** An open database: the kysely handle every engine call takes, and how to close it. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<any>;
  /**
   * Calls `onMessage` with the payload of every NOTIFY on `channel` (a constant of Forma's, not
   * input), from any process using the same database — and with `*` when messages may have been
   * missed (the listening connection was lost). Resolves to a function that stops listening.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

type Listen = Database['listen'];

/**
 * Opens the database Forma runs on. `postgres` uses a `pg` pool on the server at `url`;
 * `embedded` starts PGlite (PostgreSQL in WebAssembly, in this process) with its files under
 * `dataDir`, and pg_trgm loaded so quick search behaves as on the server.
 *
 * @example const database = await openDatabase({ kind: 'embedded', dataDir: './data/pg' });
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') {
    const { dialect, listen } = postgres(config);
    const db = new Kysely<any>({ dialect });
    return { kind: config.kind, db, listen, close: () => db.destroy() };
  }
  const unlock = await lockDataDir(config.dataDir);
  try {
    const { dialect, listen } = await embedded(config.dataDir);
    const db = new Kysely<any>({ dialect });
    return { kind: config.kind, db, listen, close: () => db.destroy().finally(unlock) };
  } catch (error) {
    await unlock();
    throw error;
  }
}

/**
 * PGlite is one process's database: two processes writing one data directory (the CLI beside a
 * running server) would corrupt it. A lock file naming the owner's PID keeps the second out
 * with a clear error; a lock left by a process that is gone is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lock = join(dataDir, 'forma.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(await readFile(lock, 'utf8').catch(() => ''));
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) throw new FormaError('database_in_use', { dir: dataDir, pid, lock });
      await rm(lock, { force: true });
    }
  }
  throw new FormaError('database_in_use', { dir: dataDir, pid: '?', lock });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Both drivers return values the same way: a `date` as its 'YYYY-MM-DD' text (turned into a JS
 * Date it would shift by the server's time zone: 2026-11-22 in Shanghai is 2026-11-21T16:00Z),
 * and int8 (bigint, count(*)) as a number — Forma keeps integers within JSON's exact range.
 */
const DATE_OID = 1082;
const INT8_OID = 20;

function postgres(config: { url: string; poolSize?: number }): { dialect: Dialect; listen: Listen } {
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === DATE_OID) return (value: string) => value;
      if (oid === INT8_OID) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10, types });
  // A connection of its own, outside the pool: LISTEN lasts as long as the session. When that
  // connection is lost, notifications may have been missed: `onMessage('*')` says so, and it
  // listens again a second later.
  const listen: Listen = async (channel, onMessage) => {
    let client: pg.Client | undefined;
    let stopped = false;
    const connect = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: config.url });
      next.on('notification', (message) => {
        if (message.channel === channel) onMessage(message.payload ?? '');
      });
      next.on('error', () => lost(next));
      next.on('end', () => lost(next));
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
      client = next;
    };
    const lost = (which: pg.Client) => {
      if (stopped || which !== client) return;
      client = undefined;
      onMessage('*');
      setTimeout(() => void connect().catch(() => lost(which)), 1000).unref();
    };
    await connect();
    return async () => {
      stopped = true;
      await client?.end();
    };
  };
  return { dialect: new PostgresDialect({ pool }), listen };
}

async function embedded(dataDir: string): Promise<{ dialect: Dialect; listen: Listen }> {
  // Loaded on demand so a server deployment never pays for the WebAssembly build.
  const [{ PGlite }, { pg_trgm }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('kysely-pglite-dialect'),
  ]);
  const pglite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    parsers: { [DATE_OID]: (value: string) => value, [INT8_OID]: (value: string) => Number(value) },
  });
  const listen: Listen = async (channel, onMessage) => {
    const unlisten = await pglite.listen(channel, onMessage);
    return () => unlisten();
  };
  return { dialect: new PGliteDialect(pglite), listen };
}

/** A count or bigint as a number, whichever way the query produced it. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
