import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL into the database file. [P] tuned on the 2-core machines. */
export const CHECKPOINT_INTERVAL_MS = 200;

// CommonJS run by the worker (eval'd: no TypeScript loader needed in the thread). A PASSIVE checkpoint
// never blocks the writer or the readers; at synchronous=NORMAL it syncs the WAL, copies the pages and
// syncs the database file, all on this thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage({ error: String(e) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints a WAL database from a worker thread, so the writer's COMMIT never does the checkpoint's
 * page copying and fsyncs on the event loop (SQLite's auto-checkpoint runs inside COMMIT). The writer
 * must run with `wal_autocheckpoint = 0`; `onError` hears a checkpoint failure or the thread's death
 * (the caller then gives the writer its auto-checkpoint back).
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private closed = false;

  constructor(file: string, onError: (message: string) => void, intervalMs = CHECKPOINT_INTERVAL_MS) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
    this.worker.unref();
    this.worker.on('message', (m: { error?: string }) => {
      if (m.error) onError(m.error);
    });
    this.worker.on('error', (e) => onError(String(e)));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        if (!this.closed) onError(`WAL checkpointer exited with ${code}`);
        resolve();
      }),
    );
  }

  /** Stops the timer and closes the thread's connection (before the writer closes: it owns the WAL). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage('close');
    await this.exited;
  }
}
