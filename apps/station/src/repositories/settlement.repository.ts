import type { PaymentRow, RefundRow } from '../db/schema';
import type { Executor } from './executor';

/** The station's side of a settlement: its payment attempts that moved money. */
export class SettlementRepository {
  constructor(private readonly db: Executor) {}

  /** Attempts that captured (or captured and were reversed), created in [from, to). */
  moneyMovedBetween(from: string, to: string): Promise<PaymentRow[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('phase', 'in', ['succeeded', 'reversed'])
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .orderBy('created_at')
      .execute();
  }

  /** Attempts by out-trade-no (the platform's lines name them). */
  async byOutTradeNo(outTradeNos: readonly string[]): Promise<PaymentRow[]> {
    return this.chunked(outTradeNos, (chunk) =>
      this.db.selectFrom('payments').selectAll().where('out_trade_no', 'in', chunk).execute(),
    );
  }

  /** Refunds asked for, or answered by the platform, in [from, to). */
  refundsBetween(from: string, to: string): Promise<RefundRow[]> {
    return this.db
      .selectFrom('refunds')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('created_at', '>=', from), eb('created_at', '<', to)]),
          eb.and([eb('refunded_at', '>=', from), eb('refunded_at', '<', to)]),
        ]),
      )
      .orderBy('created_at')
      .execute();
  }

  /** Every refund the station asked for of these attempts (the refunds area's rows), whatever its state. */
  refundsOf(outTradeNos: readonly string[]): Promise<RefundRow[]> {
    return this.chunked(outTradeNos, (chunk) =>
      this.db.selectFrom('refunds').selectAll().where('out_trade_no', 'in', chunk).execute(),
    );
  }

  private async chunked<T>(keys: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
    const rows: T[] = [];
    // In chunks: a day's file can name more attempts than an engine takes parameters in one statement.
    for (let i = 0; i < keys.length; i += 500) {
      rows.push(...(await read(keys.slice(i, i + 500))));
    }
    return rows;
  }
}
