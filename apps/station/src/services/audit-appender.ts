import type { AuditRepository, AuditRow, PendingAuditRow } from '../repositories/audit.repository';
import type { Executor } from '../repositories/executor';

/** The chain's start: the previous hash of entry 1. */
export const GENESIS = '0'.repeat(64);

/** Entries chained per transaction at most. */
const BATCH = 500;
/**
 * After an entry is recorded: how soon to look for it (its transaction commits after recording it). Under
 * load the entries of this window share one appending transaction.
 */
const KICK_MS = 25;
/** How often to look anyway: an entry whose transaction committed after the last look waits at most this. */
const SWEEP_MS = 200;

export type HashEntry = (prevHash: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>) => string;

/**
 * Chains the pending audit entries into audit_log, one batch per transaction, in the order of their
 * time-ordered ids among those committed when the batch runs (an entry whose transaction commits after a
 * batch is chained in a later one, after entries recorded later). Each batch claims the chain's head
 * first, so appenders never interleave: every entry gets the next sequence number and the previous
 * entry's hash, with no gap and no fork, whichever process or engine appends. The audited transactions
 * themselves only insert their entry: they do not wait for each other's commit on the head's row.
 */
export class AuditAppender {
  private running: Promise<void> | null = null;
  private again = false;
  private kickTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly sweep: ReturnType<typeof setInterval>;
  private closed = false;

  constructor(
    private readonly repo: AuditRepository,
    private readonly db: Executor,
    private readonly hashEntry: HashEntry,
  ) {
    // Entries left pending by a stop or a crash are chained at start; a failed look is retried by the sweep.
    this.sweep = setInterval(() => {
      this.repo
        .anyPending()
        .then((any) => (any ? this.drain() : undefined))
        .catch(() => {});
    }, SWEEP_MS);
    this.sweep.unref();
    this.drain().catch(() => {});
  }

  /** An entry was recorded: chain it once its transaction has committed. */
  kick(): void {
    if (this.closed || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = null;
      this.drain().catch(() => {});
    }, KICK_MS);
    this.kickTimer.unref();
  }

  /** Chains every entry committed so far; concurrent calls share one run of the appender. */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      try {
        do {
          this.again = false;
          while ((await this.appendBatch()) === BATCH) {}
        } while (this.again);
      } finally {
        this.running = null;
      }
    };
    this.running = run();
    return this.running;
  }

  /** Everything committed so far chained: a drain that starts after any one already running. */
  async flush(): Promise<void> {
    await this.running?.catch(() => {});
    await this.drain();
  }

  /**
   * Stops the timers and chains what is pending, before the database closes. A station closing on a failed
   * database still closes: its pending entries stay committed in audit_pending and are chained at the
   * next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    this.kickTimer = null;
    await this.flush().catch(() => {});
  }

  private appendBatch(): Promise<number> {
    return this.db.transaction().execute(async (x) => {
      // Nothing waiting: no claim, so an idle look writes nothing (on PostgreSQL, no WAL flush).
      if ((await this.repo.oldestPending(1, x)).length === 0) return 0;
      const head = await this.repo.claimHead(x);
      const pending = await this.repo.oldestPending(BATCH, x);
      let { seq, hash: prev } = head;
      const rows = pending.map((p: PendingAuditRow): AuditRow => {
        seq++;
        const base = { seq, at: p.at, actor: p.actor, action: p.action, target: p.target, detail: p.detail };
        const hash = this.hashEntry(prev, base);
        const row = { ...base, prev_hash: prev, hash };
        prev = hash;
        return row;
      });
      await this.repo.appendChained(
        rows,
        pending.map((p) => p.id),
        x,
      );
      return rows.length;
    });
  }
}
