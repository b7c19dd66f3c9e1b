import type { GreenInspectionRow } from '../db/schema';
import type { Executor } from './executor';

/** 绿通查验 rows: written once, never changed; an exit's latest inspection is the one in force. */
export class GreenInspectionsRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: GreenInspectionRow, x: Executor = this.db): Promise<void> {
    await x.insertInto('green_inspections').values(row).execute();
  }

  find(id: string, x: Executor = this.db): Promise<GreenInspectionRow | undefined> {
    return x.selectFrom('green_inspections').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The exit's latest inspection (IDs are time-ordered: the greatest is the latest). */
  latestOf(txnId: string, x: Executor = this.db): Promise<GreenInspectionRow | undefined> {
    return x
      .selectFrom('green_inspections')
      .selectAll()
      .where('txn_id', '=', txnId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
