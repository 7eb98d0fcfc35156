import { currentVersion } from '../../engine/metadata/store.ts';
// Vite inlines just this field at build time.
import { version } from '../../package.json';
import { getConfig } from '../config.server.ts';
import { getDatabase } from '../db.server.ts';

/** Longer than reopening PGlite (~1 s), shorter than a load balancer gives up. */
const answerWithinMs = 10_000;

/**
 * `GET /health`: whether this process serves requests and its database answers. 200 with
 * the version, workspace and its metadata version, or 503 with the database's own message (never a stack).
 */
export async function loader() {
  const { database, workspace } = getConfig();
  const headers = { 'Cache-Control': 'no-store' };
  try {
    const metadataVersion = await withTimeout(workspaceVersion(workspace), answerWithinMs);
    return Response.json(
      { status: 'ok', version, database: database.kind, workspace, metadataVersion },
      { headers },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return Response.json({ status: 'error', database: database.kind, message }, { status: 503, headers });
  }
}

/** Asks the database for the workspace's metadata version: proves it answers, and says which model is live. */
async function workspaceVersion(workspace: string): Promise<number> {
  const { db } = await getDatabase();
  return currentVersion(db, workspace);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
