import type { PaymentRow } from '../db/schema';
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
    const rows: PaymentRow[] = [];
    // In chunks: a day's file can name more attempts than an engine takes parameters in one statement.
    for (let i = 0; i < outTradeNos.length; i += 500) {
      const chunk = outTradeNos.slice(i, i + 500);
      rows.push(
        ...(await this.db.selectFrom('payments').selectAll().where('out_trade_no', 'in', chunk).execute()),
      );
    }
    return rows;
  }
}
