import { openDatabase, type Database } from '../engine/db/database.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { watchMetadataChanges } from '../engine/metadata/model-cache.ts';
import { watchSecurityChanges } from '../engine/security/access.ts';
import { getConfig } from './config.server.ts';

let opening: Promise<Database> | undefined;
let shuttingDown = false;

/**
 * The process's one database, opened on first use and migrated to the latest schema before
 * anyone gets it. Embedded PGlite allows one process per data directory, so every caller in
 * this process must share this handle. A failed open is forgotten so the next call retries.
 */
export function getDatabase(): Promise<Database> {
  if (shuttingDown) return Promise.reject(new Error('Forma is shutting down'));
  opening ??= openAndMigrate().catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/** Closes the database if it was opened; safe to call more than once. */
export async function closeDatabase(): Promise<void> {
  stopClosingOnSignals();
  await release();
}

let stopWatching: (() => Promise<void>) | undefined;

async function openAndMigrate(): Promise<Database> {
  const database = await openDatabase(getConfig().database);
  try {
    await migrateToLatest(database.db);
    // Metadata, roles, users and shares changed by another process (another server, the CLI)
    // reach this one's caches.
    const stops = [await watchMetadataChanges(database), await watchSecurityChanges(database)];
    stopWatching = async () => {
      for (const stop of stops) await stop();
    };
  } catch (error) {
    await database.close();
    throw error;
  }
  closeOnSignals();
  return database;
}

async function release(): Promise<void> {
  const current = opening;
  opening = undefined;
  const database = await current?.catch(() => undefined);
  await stopWatching?.();
  stopWatching = undefined;
  await database?.close();
}

const signals = ['SIGTERM', 'SIGINT'] as const;

function onSignal(): void {
  // The HTTP server closes itself on the same signal, and the process ends once both are
  // done. The listener stays registered so a repeated Ctrl+C cannot kill the process in the
  // middle of closing; the unref'd timer fires only if something else keeps it alive.
  shuttingDown = true;
  void release()
    .catch((error: unknown) => console.error('Closing the database failed:', error))
    .finally(() => setTimeout(() => process.exit(0), 5000).unref());
}

function closeOnSignals(): void {
  stopClosingOnSignals();
  for (const signal of signals) process.on(signal, onSignal);
}

function stopClosingOnSignals(): void {
  for (const signal of signals) process.off(signal, onSignal);
}
