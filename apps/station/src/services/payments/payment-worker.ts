import { EventEmitter } from 'node:events';
import {
  type AttemptRecord,
  classifyAuthCode,
  createIntent,
  FINAL,
  nextAttempt,
  openAttempt,
  type PaymentPort,
  type PollSchedule,
  progressMessage,
  type QrChannel,
  runPayment,
} from '@tollpad/payment';
import type { PaymentStatus } from '@tollpad/station-api';
import type { PaymentRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { Executor } from '../../repositories/executor';
import { attemptOf, type PaymentsRepository } from '../../repositories/payments.repository';

export interface PaymentWorkerDeps {
  repo: PaymentsRepository;
  /** The platform; undefined when none is configured (QR is refused, cash remains). */
  port: PaymentPort | undefined;
  now: () => Date;
  schedule?: PollSchedule;
  /** [P] An attempt left pending (no answer) runs again after this long, until it resolves. */
  retryPendingMs?: number;
  cancelBackoffMs?: number;
}

/** What a new attempt is: the driver's code (被扫) or a code shown to the driver (主扫). */
export type AttemptRequest = { mode: 'code'; authCode: string } | { mode: 'dynamic' };

/**
 * The payment outbox's worker (issue #21): every platform payment attempt is a `payments` row written before
 * its first request and rewritten by @tollpad/payment's runner before every request after it. `start()`
 * resumes every attempt not final (a submitted one is queried before anything else: the runner's rule), and
 * an attempt left pending runs again later. Collectors follow an attempt by long poll (`wait`).
 */
export class PaymentWorker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly stops = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleeps = new Set<() => void>();
  private readonly changes = new EventEmitter();
  private closed = false;

  constructor(private readonly d: PaymentWorkerDeps) {
    this.changes.setMaxListeners(0);
  }

  get configured(): boolean {
    return this.d.port !== undefined;
  }

  /** Resumes every payment in flight; called on start, before the station takes requests. */
  async start(): Promise<number> {
    const rows = await this.d.repo.inFlight();
    for (const row of rows) this.launch(row.out_trade_no);
    return rows.length;
  }

  /** The channel of a scanned code, or STN_ERR_PAY_CODE_INVALID (garbled, foreign, wrong length). */
  channelOf(request: AttemptRequest): QrChannel {
    if (request.mode === 'dynamic') return 'OTHER_QR';
    const c = classifyAuthCode(request.authCode);
    if (!c.ok) throw new StationError('STN_ERR_PAY_CODE_INVALID', c.error.message);
    return c.value.channel;
  }

  /**
   * The first attempt of an exit's payment: its pay ID minted from the exit trade ID, the amount fixed, the
   * row written in the caller's transaction (the debit intent's) before anything is sent.
   */
  async open(
    input: { txnId: string; tradeId: string; laneHex: string; amountFen: number; subject: string },
    request: AttemptRequest,
    x: Executor,
  ): Promise<AttemptRecord> {
    if (!this.d.port) throw new StationError('STN_ERR_PAY_UNAVAILABLE');
    const now = this.d.now();
    const intent = createIntent({
      laneHex: input.laneHex,
      exitTradeId: input.tradeId,
      amountFen: input.amountFen,
      now,
    });
    if (!intent.ok) throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', intent.error.message);
    return this.insert(intent.value, 1, input, request, x);
  }

  /** Another attempt under the same pay ID and amount, after the last ended not paid (this trade's only). */
  async another(
    txnId: string,
    tradeId: string,
    request: AttemptRequest,
    /** The transaction holding the exit row's lock (see ExitService.underDebitPending); launched after it. */
    within: <R>(work: (x: Executor) => Promise<R>) => Promise<R>,
  ): Promise<AttemptRecord> {
    const r = await within((x) => this.insertAnother(txnId, tradeId, request, x));
    // The collector's earlier "stop waiting" was for the attempt that ended; the new code is waited for.
    this.stops.delete(txnId);
    this.launch(r.outTradeNo);
    return r;
  }

  private async insertAnother(
    txnId: string,
    tradeId: string,
    request: AttemptRequest,
    x: Executor,
  ): Promise<AttemptRecord> {
    const rows = (await this.d.repo.ofTxn(txnId, x)).filter((r) => r.trade_id === tradeId);
    const last = rows[0];
    if (!last) throw new StationError('STN_ERR_PAY_NOT_FOUND');
    const attempts = rows.map(attemptOf);
    const n = nextAttempt(attempts[0]!.intent, attempts);
    if (!n.ok) {
      throw new StationError(
        n.error.code === 'PAY_ALREADY_PAID' ? 'STN_ERR_PAY_ALREADY_PAID' : 'STN_ERR_PAY_IN_FLIGHT',
        n.error.message,
      );
    }
    const first = attempts[0]!;
    return this.insert(
      first.intent,
      n.value,
      { txnId, tradeId: last.trade_id, subject: first.subject },
      request,
      x,
    );
  }

  private async insert(
    intent: AttemptRecord['intent'],
    attempt: number,
    input: { txnId: string; tradeId: string; subject: string },
    request: AttemptRequest,
    x: Executor | undefined,
  ): Promise<AttemptRecord> {
    const opened = openAttempt({
      intent,
      attempt,
      amountFen: intent.amountFen,
      mode: request.mode,
      channel: this.channelOf(request),
      ...(request.mode === 'code' ? { authCode: request.authCode } : {}),
      subject: input.subject,
    });
    if (!opened.ok) throw new StationError('STN_ERR_PAY_CODE_INVALID', opened.error.message);
    const at = this.d.now().toISOString();
    await this.d.repo.insert(opened.value, { txnId: input.txnId, tradeId: input.tradeId, at }, x);
    return opened.value;
  }

  /** Runs an attempt unless it already runs here; a pending end runs it again after `retryPendingMs`. */
  launch(outTradeNo: string): void {
    if (this.closed || this.running.has(outTradeNo) || !this.d.port) return;
    const run = this.run(outTradeNo, this.d.port).finally(() => this.running.delete(outTradeNo));
    this.running.set(outTradeNo, run);
  }

  private async run(outTradeNo: string, port: PaymentPort): Promise<void> {
    const row = await this.d.repo.find(outTradeNo);
    if (!row || FINAL.includes(attemptOf(row).phase)) return;
    try {
      const outcome = await runPayment(attemptOf(row), {
        port,
        now: this.d.now,
        sleep: (ms) => this.sleep(ms),
        persist: async (r) => {
          // A closed worker (a stopping station) writes nothing more: the next start resumes from the row.
          if (this.closed) throw new Error('payment worker closed');
          await this.d.repo.save(r, this.d.now().toISOString());
          this.changes.emit(row.txn_id);
        },
        stopRequested: () => this.stops.has(row.txn_id),
        ...(this.d.schedule ? { schedule: this.d.schedule } : {}),
        ...(this.d.cancelBackoffMs !== undefined ? { cancelBackoffMs: this.d.cancelBackoffMs } : {}),
      });
      if (outcome.kind === 'pending') this.later(outTradeNo);
    } catch {
      // Closed mid-run, or the database failed: the row holds the last durable state; run it again later.
      this.later(outTradeNo);
    }
  }

  private later(outTradeNo: string): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.launch(outTradeNo);
    }, this.d.retryPendingMs ?? 30_000);
    timer.unref();
    this.timers.add(timer);
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('payment worker closed'));
    return new Promise((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleeps.delete(wake);
        reject(new Error('payment worker closed'));
      };
      const timer = setTimeout(
        () => {
          this.sleeps.delete(wake);
          resolve();
        },
        Math.max(0, ms),
      );
      this.sleeps.add(wake);
    });
  }

  /** The collector stops waiting for the payer: the runner queries, then cancels (never blindly). */
  stop(txnId: string): void {
    this.stops.add(txnId);
  }

  /** The latest attempt of the exit's payment under `tradeId` (an intent undone by recovery is another trade). */
  async status(txnId: string, tradeId?: string): Promise<PaymentStatus | null> {
    const row = (await this.d.repo.ofTxn(txnId)).find((r) => tradeId === undefined || r.trade_id === tradeId);
    return row ? this.statusOf(row) : null;
  }

  /** Answers when the latest attempt's version passes `since`, or after `waitMs`. */
  async wait(
    txnId: string,
    since: number,
    waitMs: number,
    signal?: AbortSignal,
    tradeId?: string,
  ): Promise<PaymentStatus | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Listening before the read: a change persisted while the status is read still wakes this wait
      // (listening after it, such a change was missed and the collector waited out the whole waitMs).
      let changed = false;
      let wake = () => {};
      const onChange = () => {
        changed = true;
        wake();
      };
      this.changes.on(txnId, onChange);
      try {
        const s = await this.status(txnId, tradeId);
        const left = deadline - Date.now();
        if (!s || s.version > since || left <= 0 || signal?.aborted) return s;
        if (changed) continue;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, left);
          wake = done;
          signal?.addEventListener('abort', done);
        });
      } finally {
        this.changes.off(txnId, onChange);
      }
    }
  }

  /** The exit's captured attempt, if any (what the commit binds to the record). */
  async captured(txnId: string, x?: Executor): Promise<{ row: PaymentRow; record: AttemptRecord } | null> {
    const rows = await this.d.repo.ofTxn(txnId, x);
    const row = rows.find((r) => r.phase === 'succeeded');
    return row ? { row, record: attemptOf(row) } : null;
  }

  /** Binds the captured attempt to its record in the commit's transaction (false: not captured, or recorded). */
  bindRecord(outTradeNo: string, tradeId: string, x: Executor): Promise<boolean> {
    return this.d.repo.bindRecord(outTradeNo, tradeId, x);
  }

  /** Whether the exit's payment may still take money (an attempt not final). */
  async inFlight(txnId: string, x?: Executor): Promise<boolean> {
    return (await this.d.repo.ofTxn(txnId, x)).some((r) => !FINAL.includes(attemptOf(r).phase));
  }

  statusOf(row: PaymentRow): PaymentStatus {
    const r = attemptOf(row);
    const final = FINAL.includes(r.phase);
    return {
      payId: r.intent.payId,
      method: 'qr',
      mode: r.mode,
      channel: r.paid?.channel ?? (r.mode === 'code' ? r.channel : null),
      attempt: r.attempt,
      outTradeNo: r.outTradeNo,
      amount: r.intent.amountFen,
      phase: r.phase,
      final,
      pending: !final && !this.running.has(row.out_trade_no),
      message: progressMessage(r.phase, r.mode),
      codeUrl: r.codeUrl,
      reason: r.reason,
      cash: null,
      platformOrderNo: r.paid?.platformOrderNo ?? null,
      version: row.version,
      updatedAt: row.updated_at,
    };
  }

  /** Stops taking work: sleeping runs end, nothing more is written; the next start resumes from the rows. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const wake of [...this.sleeps]) wake();
    await Promise.allSettled([...this.running.values()]);
  }
}
