import { execFile, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/** Same value as POSTGRES_BIN in system-packages.mjs (which installs it); kept here to avoid a .mjs import from TS. */
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
/** PostgreSQL refuses to run as root: as root, the cluster runs as this system user. */
const CLUSTER_USER = 'forma-pg';
/** Absolute: root's PATH in CI containers does not always include /usr/sbin. */
const RUNUSER = '/usr/sbin/runuser';

const execFileAsync = promisify(execFile);

/** A running throwaway cluster: `url` is an admin URL (user `postgres`, database `postgres`). */
export interface PostgresCluster {
  readonly url: string;
  /** Stops the server at once (no checkpoint: nothing here is worth keeping) and deletes its files. */
  stop(): Promise<void>;
}

/** Who runs initdb/pg_ctl: the current user, or (as root) the `forma-pg` system user. */
interface ClusterUser {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Starts a throwaway PostgreSQL 15 cluster: files in a fresh temp dir, trust authentication,
 * listening on 127.0.0.1 only on a free port, unix socket in the temp dir, durability off.
 * initdb uses the C.UTF-8 locale so pg_trgm makes trigrams of Chinese characters.
 *
 * @example const cluster = await startPostgresCluster(); ...; await cluster.stop();
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const user = process.getuid?.() === 0 ? await ensureClusterUser() : undefined;
  const dir = await makeClusterDir(user);
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  try {
    await run(user, dir, 'initdb', [
      `--pgdata=${dataDir}`,
      '--auth=trust',
      '--username=postgres',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    // Appended to postgresql.conf (later lines win) rather than passed with pg_ctl -o, which
    // goes through a shell: no quoting of the directory needed there.
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        '# forma test cluster (throwaway)',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = ${confString(dir)}`,
        'max_connections = 200',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        '',
      ].join('\n'),
    );

    // The free port is released before postgres binds it: another process may take it in
    // between, so retry with a new port when the start fails.
    let lastError: unknown;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      try {
        await run(user, dir, 'pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`]);
      } catch (error) {
        lastError = error;
        continue;
      }
      return runningCluster(user, dir, dataDir, port);
    }
    const log = await readFile(logFile, 'utf8').catch(() => '');
    throw new Error(`PostgreSQL did not start in ${dir}: ${errorText(lastError)}\n--- postgres.log ---\n${log.slice(-4000)}`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function runningCluster(user: ClusterUser | undefined, dir: string, dataDir: string, port: number): PostgresCluster {
  // Last resort if the process exits without calling stop() (uncaught error, process.exit):
  // never leave a postgres server or its files behind. Synchronous because 'exit' is.
  const onExit = () => {
    spawnSync(...command(user, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']), { cwd: dir, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        try {
          await run(user, dir, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '60']);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      })();
      return stopping;
    },
  };
}

/** Database names come from our own code; still, only these ever reach SQL. */
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

function checkDatabaseName(name: string): string {
  if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}: must match ${DATABASE_NAME}`);
  return pg.escapeIdentifier(name);
}

/** Creates an empty UTF8 database `name` on the server of `adminUrl` (from template0: no leftovers). */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const identifier = checkDatabaseName(name);
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${identifier} TEMPLATE template0 ENCODING 'UTF8'`));
}

/** Drops database `name` if it exists; connections still open to it after 5 s are terminated. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const identifier = checkDatabaseName(name);
  await withClient(adminUrl, async (client) => {
    try {
      // Not WITH (FORCE) at once: pg's Pool.end() resolves before its sockets are closed, and a
      // connection terminated while ending raises an unhandled 'error' (57P01) in the test
      // process. A plain DROP waits up to 5 s for those connections to go away by themselves.
      await client.query(`DROP DATABASE IF EXISTS ${identifier}`);
    } catch (error) {
      if ((error as { code?: string }).code !== '55006') throw error; // object_in_use
      await client.query(`DROP DATABASE IF EXISTS ${identifier} WITH (FORCE)`);
    }
  });
}

/** `adminUrl` pointed at database `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  checkDatabaseName(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient(url: string, body: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await body(client);
  } finally {
    await client.end();
  }
}

/** Creates the `forma-pg` system user once (as root), and returns its ids. */
async function ensureClusterUser(): Promise<ClusterUser> {
  if (!userExists(CLUSTER_USER)) {
    const r = spawnSync('/usr/sbin/useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', CLUSTER_USER], { encoding: 'utf8' });
    // Another test run may have created it at the same moment: only fail if it still is not there.
    if (r.status !== 0 && !userExists(CLUSTER_USER)) {
      throw new Error(`useradd ${CLUSTER_USER} failed: ${r.error?.message ?? r.stderr}`);
    }
  }
  const id = (flag: string) => Number(spawnSync('id', [flag, CLUSTER_USER], { encoding: 'utf8' }).stdout.trim());
  return { name: CLUSTER_USER, uid: id('-u'), gid: id('-g') };
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

/**
 * A fresh 0700 temp dir the cluster user owns. os.tmpdir() first; if the cluster user cannot
 * reach it (TMPDIR under /root, say), /tmp.
 */
async function makeClusterDir(user: ClusterUser | undefined): Promise<string> {
  const bases = [...new Set([os.tmpdir(), '/tmp'])];
  for (const base of bases) {
    const dir = await mkdtemp(path.join(base, 'forma-pg-'));
    if (!user) return dir;
    await chown(dir, user.uid, user.gid);
    const reachable = spawnSync(RUNUSER, ['-u', user.name, '--', 'test', '-w', dir, '-a', '-x', dir], { stdio: 'ignore' });
    if (reachable.status === 0) return dir;
    await rm(dir, { recursive: true, force: true });
  }
  throw new Error(`no temp directory the ${user?.name} user can reach (tried ${bases.join(', ')}): check the permissions of their parents`);
}

/** A port nobody listens on right now: the OS picks one for a socket bound to port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function command(user: ClusterUser | undefined, program: string, args: string[]): [string, string[]] {
  const binary = path.join(POSTGRES_BIN, program);
  return user ? [RUNUSER, ['-u', user.name, '--', binary, ...args]] : [binary, args];
}

/** Runs a PostgreSQL program (as the cluster user), cwd in the cluster dir so it can always chdir back. */
async function run(user: ClusterUser | undefined, cwd: string, program: string, args: string[]): Promise<void> {
  const [file, argv] = command(user, program, args);
  try {
    await execFileAsync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`${program} ${args.join(' ')} failed: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // execFile's errors carry the output; their message already ends with stderr.
  const { stdout } = error as Error & { stdout?: string };
  return [error.message, stdout].filter(Boolean).join('\n').trim();
}

/** A postgresql.conf string literal. */
function confString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
