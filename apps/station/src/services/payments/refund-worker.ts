import type { PaymentPort, RefundAnswer } from '@tollpad/payment';
import type { RefundRow } from '../../db/schema';
import type { Executor } from '../../repositories/executor';
import {
  REFUND_OPEN_STATES,
  type RefundOutcome,
  type RefundsRepository,
} from '../../repositories/refunds.repository';
import type { AuditService } from '../audit.service';

export interface RefundWorkerDeps {
  db: Executor;
  repo: RefundsRepository;
  /** The platform; undefined when none is configured (a refund is then refused before it is written). */
  port: PaymentPort | undefined;
  audit: AuditService;
  now: () => Date;
  /** [P] A refund without a clear answer is asked again after this long (under the same number), until it ends. */
  retryMs?: number;
}

/** Who the audit names for what the platform answered (no person decides it). */
export const REFUND_WORKER_ACTOR = 'system:refund-worker';

/**
 * Sends each refund a monitor asked for (refund.service.ts), from its row: the row and its platform refund
 * number were committed before the first send, so every send — the first, a retry after a lost or unclear
 * answer, a resend after a restart — carries the same number, which the platform answers as the one refund it
 * made (WeChat out_refund_no, payments.md §5). `start()` resumes every refund not ended, before requests.
 */
export class RefundWorker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly d: RefundWorkerDeps) {}

  get configured(): boolean {
    return this.d.port !== undefined;
  }

  /** Resumes every refund whose outcome is not known; called on start. */
  async start(): Promise<number> {
    const rows = await this.d.repo.open();
    for (const row of rows) void this.launch(row.refund_no);
    return rows.length;
  }

  /** Sends the refund unless it is being sent here already; resolves when this send has its answer. */
  launch(refundNo: string): Promise<void> {
    const running = this.running.get(refundNo);
    if (running) return running;
    const port = this.d.port;
    if (this.closed || !port) return Promise.resolve();
    const run = this.run(refundNo, port)
      .catch(() => this.later(refundNo)) // the database failed: the row holds the state; ask again later
      .finally(() => this.running.delete(refundNo));
    this.running.set(refundNo, run);
    return run;
  }

  private async run(refundNo: string, port: PaymentPort): Promise<void> {
    const row = await this.d.repo.find(refundNo);
    if (!row || !(REFUND_OPEN_STATES as readonly string[]).includes(row.state)) return;
    await this.d.repo.tried(refundNo, this.iso());
    const answer = await port.refund({
      outTradeNo: row.out_trade_no,
      refundNo: row.refund_no,
      amountFen: row.amount,
      reason: row.reason,
    });
    // A stopping station writes nothing more: the next start asks again under the same number.
    if (this.closed) return;
    const { platformAmountFen, ...to } = outcomeOf(row, answer);
    await this.d.db.transaction().execute(async (x) => {
      const moved = await this.d.repo.settle(refundNo, to, this.iso(), x);
      if (moved && to.state !== 'unknown') {
        await this.d.audit.record(
          {
            actor: REFUND_WORKER_ACTOR,
            // A conflict has its own action: it is the one outcome a person must act on.
            action: to.state === 'conflict' ? 'payment.refund.conflict' : 'payment.refund.outcome',
            target: row.pay_id,
            detail: {
              refundNo,
              outTradeNo: row.out_trade_no,
              amountFen: row.amount,
              ...to,
              ...(platformAmountFen === undefined ? {} : { platformAmountFen }),
            },
          },
          x,
        );
      }
    });
    if (to.state === 'unknown') this.later(refundNo);
  }

  private later(refundNo: string): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.launch(refundNo);
    }, this.d.retryMs ?? 30_000);
    timer.unref();
    this.timers.add(timer);
  }

  /** Stops sending: running sends finish (their answers are not written); the next start resumes from the rows. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled([...this.running.values()]);
  }

  private iso(): string {
    return this.d.now().toISOString();
  }
}

/**
 * What an answer settles. An answer for another refund number is not this refund's: unknown, asked again.
 * An answer for this number that contradicts it — refunded for another amount, or the number already used
 * for another refund — is final and will not change if asked again (the platform keeps what it made under the
 * number): conflict, never retried, for a person to check with the platform. Its amount stays held.
 */
function outcomeOf(row: RefundRow, a: RefundAnswer): RefundOutcome & { platformAmountFen?: number } {
  if (a.kind === 'unknown' || a.refundNo !== row.refund_no) return { state: 'unknown' };
  switch (a.kind) {
    case 'refunded':
      return a.amountFen === row.amount
        ? { state: 'refunded', refundedAt: a.at }
        : { state: 'conflict', refusal: 'amount-differs', platformAmountFen: a.amountFen };
    case 'refused':
      return { state: 'refused', refusal: a.reason };
    case 'number-used':
      return { state: 'conflict', refusal: 'number-used' };
  }
}
