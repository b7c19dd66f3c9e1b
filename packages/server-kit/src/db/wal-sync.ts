import { closeSync, fdatasync, fstatSync, openSync, statSync } from 'node:fs';

/** How the WAL file is flushed to disk: `fs.fdatasync` (what SQLite itself uses on Linux); tests inject their own. */
export type FlushFn = (fd: number, done: (error: Error | null) => void) => void;

/**
 * Hears how long each successful flush took (seconds, from the call until its completion was handled). An
 * acknowledged write waits for one or two flushes, so on a slow disk this is what commit latency's tail is.
 */
export type FlushObserver = (seconds: number) => void;

/** Error code of every unit after a WAL flush failed: the engine can no longer promise durability. */
export const WAL_SYNC_FAILED = 'SQLITE_IOERR_WAL_SYNC';

const DONE = Promise.resolve();

/**
 * Durability of commits made with synchronous=NORMAL, tracked by sequence number. COMMIT then only
 * writes the WAL (page cache); this class flushes the WAL file on libuv's thread pool, so the fsync no
 * longer blocks the event loop, and tells who waits when the commits they depend on are on disk. One
 * flush runs at a time; the commits made while it runs share the next one (a second level of grouping).
 *
 * Sound because SQLite in WAL mode appends every committed transaction to the same -wal file, which
 * keeps its inode while any connection is open (the writer stays open for the process's life): flushing
 * that inode after COMMIT returned makes the transaction as durable as synchronous=FULL's own sync. The
 * WAL header written on a WAL reset is synced by SQLite itself at NORMAL (only OFF skips it).
 *
 * After a failed flush the page cache's state is unknown (Linux may drop the dirty pages and report
 * success next time), so every later wait fails too: the process must restart and let SQLite recover
 * from what is on disk, as PostgreSQL does after an fsync error.
 */
export class WalDurability {
  private committed = 0;
  private synced = 0;
  private flushing = false;
  private failure: Error | null = null;
  private waiters: { seq: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  private constructor(
    private readonly fd: number,
    private readonly flush: FlushFn,
    private readonly observe: FlushObserver | undefined,
  ) {}

  /** Opens the WAL file of a database the writer connection already runs in WAL mode. */
  static open(walFile: string, flush: FlushFn = fdatasync, observe?: FlushObserver): WalDurability {
    const fd = openSync(walFile, 'r');
    if (fstatSync(fd).ino !== statSync(walFile).ino) {
      closeSync(fd);
      throw new Error(`${walFile} changed while being opened`);
    }
    return new WalDurability(fd, flush, observe);
  }

  /** The error every unit must fail with once a flush failed, or null. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Records a COMMIT that just returned; its sequence number is what `until` waits for. */
  commitReturned(): number {
    this.committed += 1;
    return this.committed;
  }

  /** Resolves once every commit up to `seq` (default: all that returned so far) is on disk. */
  until(seq: number = this.committed): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (seq <= this.synced) return DONE;
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.start();
    });
  }

  /** Waits for the outstanding flushes, then closes the file (the database is closing). */
  async close(): Promise<void> {
    try {
      await this.until();
    } finally {
      closeSync(this.fd);
    }
  }

  private start(): void {
    if (this.flushing) return;
    this.flushing = true;
    const target = this.committed;
    const started = performance.now();
    this.flush(this.fd, (error) => {
      this.flushing = false;
      if (error) {
        this.failure = Object.assign(new Error(`WAL flush failed: ${error.message}`), {
          code: WAL_SYNC_FAILED,
          cause: error,
        });
        const all = this.waiters;
        this.waiters = [];
        for (const w of all) w.reject(this.failure);
        return;
      }
      this.synced = target;
      const seconds = (performance.now() - started) / 1000;
      // Sequence numbers are handed out in order, so the waiters are sorted by them.
      let i = 0;
      while (i < this.waiters.length && (this.waiters[i]?.seq ?? Number.POSITIVE_INFINITY) <= target) {
        this.waiters[i]?.resolve();
        i++;
      }
      this.waiters.splice(0, i);
      if (this.waiters.length > 0) this.start();
      try {
        this.observe?.(seconds);
      } catch {
        // A metric must never stand between a write and its acknowledgement.
      }
    });
  }
}
