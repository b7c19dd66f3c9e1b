import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { type BackoffPolicy, backoffDelayMs, DEFAULT_BACKOFF } from './backoff';
import type { CentreUpload, UploadOutcome } from './centre-uploader';
import { type OutboxRow, OutboxStore } from './outbox-store';

export interface RelayLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxRelayOptions {
  db: Kysely<Database>;
  upload: CentreUpload;
  now?: () => Date;
  backoff?: BackoffPolicy;
  /** Idle poll period: picks up rows written by another process and retries that came due. */
  pollMs?: number;
  /** Lanes uploaded in parallel (each lane strictly in trade-ID order). [P] */
  laneConcurrency?: number;
  /**
   * How long a record waits for an earlier trade ID of its lane whose debit is announced but not yet
   * committed (two handhelds on one lane). [P] 2 min; 0 = never wait.
   */
  holdForPendingMs?: number;
  random?: () => number;
  log?: RelayLog;
  onOutcome?: (o: UploadOutcome, tradeId: string) => void;
  /** A refusal was recorded (the station writes it to the audit log for the monitor). */
  onRejected?: (tradeId: string, code: string, detail: string) => Promise<void>;
}

export interface RelayStatus {
  running: boolean;
  lastAckAt: string | null;
  lastError: { at: string; tradeId: string; reason: string } | null;
  acked: number;
  replayed: number;
  retried: number;
  rejected: number;
}

const SILENT: RelayLog = { info() {}, warn() {}, error() {} };

/**
 * The relay of the transactional outbox: uploads pending rows to the centre until acknowledged, at least
 * once, in trade-ID order within each lane. All relay state (attempts, next attempt, refusal) lives in
 * the outbox rows, so a restart resumes where it stopped; the centre's idempotency makes a resend after a
 * crash harmless (a 200 replay is an ack). A centre refusal (CTR_ERR_*) marks the row rejected instead of
 * retrying forever; the next row of the lane then goes on.
 */
export class OutboxRelay {
  readonly store: OutboxStore;
  private readonly now: () => Date;
  private readonly backoff: BackoffPolicy;
  private readonly pollMs: number;
  private readonly laneConcurrency: number;
  private readonly random: () => number;
  private readonly log: RelayLog;
  private readonly activeLanes = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private pass: Promise<void> | undefined;
  private again = false;
  readonly status: RelayStatus = {
    running: false,
    lastAckAt: null,
    lastError: null,
    acked: 0,
    replayed: 0,
    retried: 0,
    rejected: 0,
  };

  constructor(private readonly opts: OutboxRelayOptions) {
    this.store = new OutboxStore(opts.db);
    this.now = opts.now ?? (() => new Date());
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.pollMs = opts.pollMs ?? 1_000;
    this.laneConcurrency = opts.laneConcurrency ?? 8;
    this.random = opts.random ?? Math.random;
    this.log = opts.log ?? SILENT;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.status.running = true;
    this.wake();
  }

  /** Runs a pass now (after a commit) instead of waiting for the poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pass = this.runPass().finally(() => {
      this.pass = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
        return;
      }
      this.timer = setTimeout(() => this.wake(), this.pollMs);
      this.timer.unref?.();
    });
  }

  /** Resolves when a pass finds nothing due (tests and the benchmark). */
  async waitIdle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const b = await this.store.backlog();
      if (b.count === 0) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.status.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  /** One pass: every lane with due rows drains until empty or until its head must wait. */
  private async runPass(): Promise<void> {
    let lanes: string[];
    try {
      lanes = await this.store.pendingLanes();
    } catch (e) {
      this.log.error({ err: String(e) }, 'outbox relay: database read failed');
      return;
    }
    const queue = lanes.filter((l) => !this.activeLanes.has(l));
    const workers = Array.from({ length: Math.min(this.laneConcurrency, queue.length) }, async () => {
      for (let lane = queue.shift(); lane !== undefined && !this.stopped; lane = queue.shift()) {
        this.activeLanes.add(lane);
        try {
          await this.drainLane(lane);
        } catch (e) {
          this.log.error({ err: String(e), lane }, 'outbox relay: lane drain failed');
        } finally {
          this.activeLanes.delete(lane);
        }
      }
    });
    await Promise.all(workers);
  }

  private async drainLane(lane: string): Promise<void> {
    while (!this.stopped) {
      const batch = await this.store.pendingOfLane(lane, 100);
      if (batch.length === 0) return;
      for (const row of batch) {
        if (this.stopped) return;
        const now = this.now();
        if (row.nextAttemptAt > now.toISOString()) {
          this.scheduleAt(row.nextAttemptAt);
          return; // the lane's head must wait: later trade IDs of this lane wait behind it
        }
        const hold = this.opts.holdForPendingMs ?? 120_000;
        if (
          hold > 0 &&
          (await this.store.earlierDebitPending(lane, row.key, new Date(now.getTime() - hold).toISOString()))
        ) {
          return; // the earlier record's commit wakes the relay (or the poll finds it)
        }
        // Checked after the hold: a commit writes its state and outbox row together, so an earlier record
        // committed since the batch was read is seen here; start the lane over to send it first.
        if (await this.store.earlierUnsent(lane, row.key)) break;
        const ok = await this.sendOne(row);
        if (!ok) return;
      }
    }
  }

  /** Sends one row; true when the lane may go on to its next row. */
  private async sendOne(row: OutboxRow): Promise<boolean> {
    const outcome = await this.opts.upload(row.key, row.payload, row.topic);
    this.opts.onOutcome?.(outcome, row.key);
    const at = this.now().toISOString();
    switch (outcome.kind) {
      case 'acked':
        await this.store.markAcked(row.id, at);
        this.status.lastAckAt = at;
        if (outcome.replayed) this.status.replayed++;
        else this.status.acked++;
        return true;
      case 'rejected':
        await this.store.markRejected(row.id, outcome.code, outcome.detail, at);
        await this.opts
          .onRejected?.(row.key, outcome.code, outcome.detail)
          .catch((e: unknown) =>
            this.log.error({ err: String(e), tradeId: row.key }, 'outbox relay: audit of a refusal failed'),
          );
        this.status.rejected++;
        this.status.lastError = { at, tradeId: row.key, reason: `${outcome.code} ${outcome.detail}` };
        this.log.warn(
          { tradeId: row.key, code: outcome.code, detail: outcome.detail },
          'outbox relay: the centre refused a record',
        );
        return true;
      case 'retry': {
        const delay = backoffDelayMs(row.attempts + 1, this.backoff, this.random);
        const next = new Date(this.now().getTime() + delay).toISOString();
        await this.store.markRetry(row.id, next, outcome.reason);
        this.status.retried++;
        this.status.lastError = { at, tradeId: row.key, reason: outcome.reason };
        this.log.info(
          { tradeId: row.key, attempts: row.attempts + 1, retryInMs: delay, reason: outcome.reason },
          'outbox relay: upload failed, will retry',
        );
        this.scheduleAt(next);
        return false;
      }
    }
  }

  /** Makes sure a pass runs no later than `iso` (a backoff that ends before the next poll). */
  private scheduleAt(iso: string): void {
    const ms = Math.max(0, new Date(iso).getTime() - this.now().getTime());
    if (ms >= this.pollMs || this.stopped) return;
    const t = setTimeout(() => this.wake(), ms + 5);
    t.unref?.();
  }
}

/** Starts the relay on a migrated station database. */
export async function startOutboxRelay(opts: OutboxRelayOptions): Promise<OutboxRelay> {
  const relay = new OutboxRelay(opts);
  relay.start();
  return relay;
}
