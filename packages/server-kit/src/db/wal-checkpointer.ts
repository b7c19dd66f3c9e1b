import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL into the database file. [P] tuned on the 2-core machines. */
export const CHECKPOINT_INTERVAL_MS = 200;

/**
 * [P] WAL length (frames of one page each) past which the writer pauses once so the WAL can start over
 * (see WalCheckpointer.restartDue): 16384 frames = 64 MiB with 4 KiB pages, the most the -wal file grows
 * to under load. Smaller means more pauses; each measured a few milliseconds on the 2-core machines.
 */
export const WAL_RESTART_FRAMES = 16_384;

/** The longest the writer waits for a drain before going on with a longer WAL. */
const DRAIN_TIMEOUT_MS = 500;

// CommonJS run by the worker (eval'd: no TypeScript loader needed in the thread). A PASSIVE checkpoint
// never blocks the writer or the readers; at synchronous=NORMAL it syncs the WAL, copies the pages and
// syncs the database file, all on this thread. After each one the thread reports how long the WAL is and
// how much of it is in the database file; 'now' runs one at once and answers with the same report.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const checkpoint = (id) => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ id, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e) });
  }
};
const timer = setInterval(() => checkpoint(null), workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m.kind === 'now') return checkpoint(m.id);
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

interface Report {
  id: number | null;
  busy?: number;
  log?: number;
  checkpointed?: number;
  error?: string;
}

/**
 * Checkpoints a WAL database from a worker thread, so the writer's COMMIT never does the checkpoint's
 * page copying and fsyncs on the event loop (SQLite's auto-checkpoint runs inside COMMIT). The writer
 * must run with `wal_autocheckpoint = 0`; `onError` hears a checkpoint failure or the thread's death
 * (the caller then gives the writer its auto-checkpoint back).
 *
 * The WAL starts over from its beginning only when a write transaction begins while every frame is in the
 * database file. Under continuous load that never happens by itself (the writer is always a few
 * milliseconds ahead of the checkpoint), and the -wal file grew by ~40 MB/s in the station's bench: disk,
 * crash recovery time and every frame write extending the file paid for it. So once the WAL is longer than
 * `restartFrames`, `restartDue` asks the writer to pause between two transactions and `drain()` the rest.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private readonly pending = new Map<number, (complete: boolean) => void>();
  private nextId = 1;
  private closed = false;
  private dead = false;
  /** The last report said the WAL is past `restartFrames`: the writer should drain before its next BEGIN. */
  restartDue = false;

  constructor(
    file: string,
    onError: (message: string) => void,
    opts: { intervalMs?: number; restartFrames?: number } = {},
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const intervalMs = opts.intervalMs ?? CHECKPOINT_INTERVAL_MS;
    const restartFrames = opts.restartFrames ?? WAL_RESTART_FRAMES;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
    this.worker.unref();
    this.worker.on('message', (m: Report) => {
      if (m.error) onError(m.error);
      if (m.id === null) {
        // A periodic report that crossed a drain describes the WAL before it (measured: it asked for a
        // second, needless pause right after the first): while a drain is out, its answer decides.
        if (this.pending.size === 0) this.restartDue = !m.error && (m.log ?? 0) >= restartFrames;
        return;
      }
      const answer = this.pending.get(m.id);
      this.pending.delete(m.id);
      this.restartDue = false;
      answer?.(!m.error && m.busy === 0 && m.log === m.checkpointed);
    });
    this.worker.on('error', (e) => onError(String(e)));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.dead = true;
        this.restartDue = false;
        if (!this.closed) onError(`WAL checkpointer exited with ${code}`);
        this.answerAll(false);
        resolve();
      }),
    );
  }

  /**
   * Checkpoints now; true when every frame of the WAL is in the database file (and synced). Called by the
   * writer between two transactions, so no frame is added meanwhile: its next write then restarts the WAL.
   */
  drain(): Promise<boolean> {
    this.restartDue = false; // asked once per report: a later report tells whether the WAL restarted
    if (this.closed || this.dead) return Promise.resolve(false);
    const id = this.nextId++;
    return new Promise((resolve) => {
      // The writer waits on this: a thread that stops answering must not stop the station's writes.
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(false);
      }, DRAIN_TIMEOUT_MS);
      this.pending.set(id, (complete) => {
        clearTimeout(timer);
        resolve(complete);
      });
      this.worker.postMessage({ kind: 'now', id });
    });
  }

  /** Stops the timer and closes the thread's connection (before the writer closes: it owns the WAL). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage({ kind: 'close' });
    await this.exited;
  }

  private answerAll(complete: boolean): void {
    for (const answer of this.pending.values()) answer(complete);
    this.pending.clear();
  }
}
