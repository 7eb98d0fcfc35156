import { PrintJobWorker } from '../engine/print/jobs.ts';
import { PdfRenderer } from '../engine/print/renderer.ts';
import { getConfig } from './config.server.ts';
import { getDatabase } from './db.server.ts';

let renderer: PdfRenderer | undefined;
let worker: Promise<PrintJobWorker> | undefined;

/**
 * The process's one PDF renderer (engine/print/renderer.ts), made on the first print: Chromium
 * itself starts with the first render and stays warm. Closed on SIGTERM / SIGINT, with the
 * database (app/db.server.ts), so that no Chromium outlives the server.
 */
export function printRenderer(): PdfRenderer {
  if (!renderer) {
    renderer = new PdfRenderer();
    for (const signal of signals) process.on(signal, onSignal);
  }
  return renderer;
}

/**
 * The process's batch print worker (engine/print/jobs.ts), started on the first print request
 * of the process (a job asked for, or one's progress asked about — so jobs left queued by a
 * stopped server resume as soon as someone looks at them) and woken: a job may just have been
 * queued. Every app process sharing a database runs one; each job is printed by one of them.
 */
export async function wakePrintWorker(): Promise<void> {
  worker ??= (async () => {
    const { dataDir, workspace } = getConfig();
    const started = new PrintJobWorker({ db: (await getDatabase()).db, workspace, dataDir, renderer: printRenderer() });
    started.start();
    return started;
  })().catch((error: unknown) => {
    worker = undefined;
    throw error;
  });
  (await worker).wake();
}

const signals = ['SIGTERM', 'SIGINT'] as const;

/**
 * Stops the worker taking jobs and closes Chromium: a job being printed ends at once and is
 * queued again for the next start (or another process). Both stay closed: a print asked for
 * while the server stops fails with `print_renderer_closed`. The listener stays, like the
 * database's, so a second Ctrl+C cannot interrupt the closing.
 */
function onSignal(): void {
  void (async () => {
    const stopping = (await worker?.catch(() => undefined))?.stop();
    await renderer?.close();
    await stopping;
  })().catch((error: unknown) => console.error('Stopping printing failed:', error));
}
