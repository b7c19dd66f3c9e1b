import type { Selectable } from 'kysely';
import type { ReceiptPrintsTable } from '../db/schema';
import type { Executor } from './executor';

export type ReceiptPrintRow = Selectable<ReceiptPrintsTable>;

/** The receipt print log (receipt_prints, append-only). */
export class ReceiptsRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: ReceiptPrintRow, x: Executor = this.db): Promise<void> {
    await x.insertInto('receipt_prints').values(row).execute();
  }

  ofShift(shiftId: string): Promise<ReceiptPrintRow[]> {
    return this.db
      .selectFrom('receipt_prints')
      .selectAll()
      .where('shift_id', '=', shiftId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }
}
