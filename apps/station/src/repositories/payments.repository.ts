import { type AttemptRecord, FINAL } from '@tollpad/payment';
import type { PaymentRow } from '../db/schema';
import type { Executor } from './executor';

/** The payment outbox's rows (db/schema.ts PaymentsTable): one per attempt, its record as the runner left it. */
export class PaymentsRepository {
  constructor(private readonly db: Executor) {}

  /** The attempt before its first request (the pay ID and amount fixed in its intent). */
  async insert(
    r: AttemptRecord,
    link: { txnId: string; tradeId: string; at: string },
    x: Executor = this.db,
  ): Promise<void> {
    await x
      .insertInto('payments')
      .values({
        out_trade_no: r.outTradeNo,
        pay_id: r.intent.payId,
        txn_id: link.txnId,
        trade_id: link.tradeId,
        attempt: r.attempt,
        phase: r.phase,
        amount: r.intent.amountFen,
        record_json: JSON.stringify(r),
        version: 1,
        recorded_trade_id: null,
        created_at: link.at,
        updated_at: link.at,
      })
      .execute();
  }

  /** The runner's durable write; the amount and pay ID never change (they are the row's key and intent). */
  async save(r: AttemptRecord, at: string, x: Executor = this.db): Promise<void> {
    const res = await x
      .updateTable('payments')
      .set((eb) => ({
        phase: r.phase,
        record_json: JSON.stringify(r),
        version: eb('version', '+', 1),
        updated_at: at,
      }))
      .where('out_trade_no', '=', r.outTradeNo)
      .where('amount', '=', r.intent.amountFen)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new Error(`payments: no attempt ${r.outTradeNo}`);
  }

  async find(outTradeNo: string, x: Executor = this.db): Promise<PaymentRow | undefined> {
    return x.selectFrom('payments').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
  }

  /** Every attempt of a transaction, the latest first. */
  async ofTxn(txnId: string, x: Executor = this.db): Promise<PaymentRow[]> {
    return x
      .selectFrom('payments')
      .selectAll()
      .where('txn_id', '=', txnId)
      .orderBy('attempt', 'desc')
      .execute();
  }

  /** Every attempt not final: what a restarted station resumes before anything else. */
  async inFlight(x: Executor = this.db): Promise<PaymentRow[]> {
    return x
      .selectFrom('payments')
      .selectAll()
      .where('phase', 'not in', [...FINAL])
      .orderBy('created_at')
      .execute();
  }

  /**
   * Binds a captured attempt to its exit record, in the commit's DB transaction: false unless the attempt
   * succeeded and no record holds it yet (one record per captured payment).
   */
  async bindRecord(outTradeNo: string, tradeId: string, x: Executor): Promise<boolean> {
    const res = await x
      .updateTable('payments')
      .set({ recorded_trade_id: tradeId })
      .where('out_trade_no', '=', outTradeNo)
      .where('phase', '=', 'succeeded')
      .where('recorded_trade_id', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}

export const attemptOf = (row: PaymentRow): AttemptRecord => JSON.parse(row.record_json) as AttemptRecord;
