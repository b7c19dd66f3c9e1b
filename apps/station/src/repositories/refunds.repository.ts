import type { PaymentRow, RefundRow } from '../db/schema';
import type { Executor } from './executor';

/** States in which the platform may still move money: the refund worker asks again until they end. */
export const REFUND_OPEN_STATES = ['requested', 'unknown'] as const;

/**
 * Refunds not finished for the people: still asked about, or in conflict — the platform's answer contradicts
 * the refund, never asked again, and only a person checking with the platform ends it (hand-over open items).
 */
export const REFUND_UNFINISHED_STATES = [...REFUND_OPEN_STATES, 'conflict'] as const;

/** Where the platform's answer moves a refund. */
export type RefundOutcome = {
  state: 'unknown' | 'refunded' | 'refused' | 'conflict';
  /** refused: the platform's reason; conflict: what contradicts the refund. */
  refusal?: string;
  refundedAt?: string;
};

/** A captured attempt with what the monitor needs to recognise it (lane, plate of its exit). */
export type CapturedPaymentRow = PaymentRow & { lane_id: string; plate: string | null };

/**
 * The refunds table (db/refunds-migration.ts) and the reads a refund needs of the payment outbox and the
 * exits: the captured attempt a pay ID or trade ID names, and what a trade ID was paid with.
 */
export class RefundsRepository {
  constructor(private readonly db: Executor) {}

  async insert(r: RefundRow, x: Executor = this.db): Promise<void> {
    await x.insertInto('refunds').values(r).execute();
  }

  async byRequest(requestId: string, x: Executor = this.db): Promise<RefundRow | undefined> {
    return x.selectFrom('refunds').selectAll().where('request_id', '=', requestId).executeTakeFirst();
  }

  async find(refundNo: string, x: Executor = this.db): Promise<RefundRow | undefined> {
    return x.selectFrom('refunds').selectAll().where('refund_no', '=', refundNo).executeTakeFirst();
  }

  /** Every refund of a captured attempt, in the order they were asked for. */
  async ofTrade(outTradeNo: string, x: Executor = this.db): Promise<RefundRow[]> {
    return x
      .selectFrom('refunds')
      .selectAll()
      .where('out_trade_no', '=', outTradeNo)
      .orderBy('seq')
      .execute();
  }

  /** Refunds whose outcome is not known: what a started station asks about again, before anything else. */
  async open(x: Executor = this.db): Promise<RefundRow[]> {
    return x
      .selectFrom('refunds')
      .selectAll()
      .where('state', 'in', [...REFUND_OPEN_STATES])
      .orderBy('created_at')
      .execute();
  }

  /** One more try is going out (the count is the worker's backoff and the monitor's "asked n times"). */
  async tried(refundNo: string, at: string, x: Executor = this.db): Promise<void> {
    await x
      .updateTable('refunds')
      .set((eb) => ({ tries: eb('tries', '+', 1), updated_at: at }))
      .where('refund_no', '=', refundNo)
      .execute();
  }

  /**
   * The platform's answer. Only an open refund moves (a late duplicate answer cannot undo a final one);
   * false when it had already ended.
   */
  async settle(refundNo: string, to: RefundOutcome, at: string, x: Executor = this.db): Promise<boolean> {
    const res = await x
      .updateTable('refunds')
      .set({
        state: to.state,
        refusal: to.refusal ?? null,
        refunded_at: to.refundedAt ?? null,
        updated_at: at,
      })
      .where('refund_no', '=', refundNo)
      .where('state', 'in', [...REFUND_OPEN_STATES])
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /**
   * Takes the captured attempt's row lock for the rest of the caller's transaction (a no-op update, as the
   * exits' lock): two refunds of one payment are decided one after the other, never both on the same sum.
   */
  async lockPayment(outTradeNo: string, x: Executor): Promise<void> {
    await x
      .updateTable('payments')
      .set((eb) => ({ phase: eb.ref('phase') }))
      .where('out_trade_no', '=', outTradeNo)
      .execute();
  }

  /**
   * Whether the attempt may be refunded without disagreeing with a record: it is the record's (bound by the
   * commit), or its exit already has its record (bound to another capture, or to none), so the commit can no
   * longer record it. Read after {@link lockPayment}: the commit binds the attempt it records under the same
   * row lock, so a commit of this attempt in flight is waited for, and any other shows no record yet.
   */
  async settledByRecord(outTradeNo: string, txnId: string, x: Executor): Promise<boolean> {
    const attempt = await x
      .selectFrom('payments')
      .select('recorded_trade_id')
      .where('out_trade_no', '=', outTradeNo)
      .executeTakeFirst();
    if (attempt?.recorded_trade_id) return true;
    const record = await x
      .selectFrom('exit_records')
      .select('trade_id')
      .where('txn_id', '=', txnId)
      .where('kind', '=', 'exit')
      .executeTakeFirst();
    return record !== undefined;
  }

  /** The attempts of a pay ID, of a trade (its attempts' trade or its record), or one out-trade-no. */
  async attemptsNamed(ref: string, x: Executor = this.db): Promise<CapturedPaymentRow[]> {
    return x
      .selectFrom('payments')
      .innerJoin('exit_txns', 'exit_txns.id', 'payments.txn_id')
      .selectAll('payments')
      .select(['exit_txns.lane_id', 'exit_txns.plate'])
      .where((eb) =>
        eb.or([
          eb('payments.pay_id', '=', ref),
          eb('payments.out_trade_no', '=', ref),
          eb('payments.recorded_trade_id', '=', ref),
          eb('payments.trade_id', '=', ref),
        ]),
      )
      .orderBy('payments.attempt', 'desc')
      .execute();
  }

  /** Captured attempts whose pay ID, out-trade-no, trade ID or exit's plate is `q`, newest first. */
  async capturedMatching(q: string, limit: number, x: Executor = this.db): Promise<CapturedPaymentRow[]> {
    return x
      .selectFrom('payments')
      .innerJoin('exit_txns', 'exit_txns.id', 'payments.txn_id')
      .selectAll('payments')
      .select(['exit_txns.lane_id', 'exit_txns.plate'])
      .where('payments.phase', '=', 'succeeded')
      .where((eb) =>
        eb.or([
          eb('payments.pay_id', '=', q),
          eb('payments.out_trade_no', '=', q),
          eb('payments.recorded_trade_id', '=', q),
          eb('payments.trade_id', '=', q),
          eb('exit_txns.plate', '=', q),
        ]),
      )
      .orderBy('payments.updated_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** How a trade was paid when it was not by QR: a record's payType, or a pending exit's announced payment. */
  async paidWithout(tradeId: string, x: Executor = this.db): Promise<{ payType: number | null } | undefined> {
    const record = await x
      .selectFrom('exit_records')
      .select('record_json')
      .where('trade_id', '=', tradeId)
      .executeTakeFirst();
    if (record) {
      const r = JSON.parse(record.record_json) as { payType?: unknown };
      return { payType: typeof r.payType === 'number' ? r.payType : null };
    }
    const txn = await x
      .selectFrom('exit_txns')
      .select('debit_json')
      .where('trade_id', '=', tradeId)
      .executeTakeFirst();
    if (!txn?.debit_json) return undefined;
    const d = JSON.parse(txn.debit_json) as { payment?: unknown };
    return { payType: d.payment === 'cash' ? 1 : null };
  }
}
