import type { Selectable } from 'kysely';
import type { PaymentRow, ShiftHandoversTable } from '../db/schema';
import type { Executor } from './executor';

export type HandoverRow = Selectable<ShiftHandoversTable>;

/** A committed exit of a shift with what the hand-over needs of it. */
export interface ShiftExitRow {
  trade_id: string;
  fee: number;
  record_json: string;
  /** The exit transaction's payment (cash: tendered and change). */
  debit_json: string | null;
}

/** Reads and the one write of the shift hand-over (shift_handovers). */
export class HandoverRepository {
  constructor(private readonly db: Executor) {}

  find(shiftId: string, x: Executor = this.db): Promise<HandoverRow | undefined> {
    return x.selectFrom('shift_handovers').selectAll().where('shift_id', '=', shiftId).executeTakeFirst();
  }

  /**
   * Holds the shift's row lock until `x` ends (a no-op UPDATE: a row lock on PostgreSQL, valid SQL on SQLite,
   * whose writers run one at a time): two hand-overs of one shift run one after the other, so the second finds
   * the first's row (STN_ERR_HANDOVER_ALREADY_DONE) instead of failing on the key.
   */
  async lockShift(shiftId: string, x: Executor): Promise<void> {
    await x
      .updateTable('shifts')
      .set((eb) => ({ closed_at: eb.ref('closed_at') }))
      .where('id', '=', shiftId)
      .execute();
  }

  async insert(row: HandoverRow, x: Executor): Promise<void> {
    await x.insertInto('shift_handovers').values(row).execute();
  }

  /** The shift's exits (not corrections: a correction copies the money of the exit it corrects). */
  exitsOfShift(shiftId: string): Promise<ShiftExitRow[]> {
    return this.db
      .selectFrom('exit_records as r')
      .leftJoin('exit_txns as t', 't.id', 'r.txn_id')
      .select(['r.trade_id', 'r.fee', 'r.record_json', 't.debit_json'])
      .where('r.shift_id', '=', shiftId)
      .where('r.kind', '=', 'exit')
      .orderBy('r.trade_id')
      .execute();
  }

  /** Every platform payment attempt of the shift's exit transactions. */
  paymentsOfShift(shiftId: string): Promise<PaymentRow[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('txn_id', 'in', (eb) => eb.selectFrom('exit_txns').select('id').where('shift_id', '=', shiftId))
      .orderBy('created_at')
      .orderBy('out_trade_no')
      .execute();
  }
}
