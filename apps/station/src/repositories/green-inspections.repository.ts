import type { GreenInspectionRow } from '../db/schema';
import type { Executor } from './executor';

/** 绿通查验 rows: written once, never changed; an exit's latest inspection is the one in force. */
export class GreenInspectionsRepository {
  /**
   * The exits inspected since this station started: every inspection is written through here (one station
   * process per database), so an exit opened since then that is not in this set has none, and 【算费】 need not
   * ask the database (the exit path's statement budget, exit/round-trips.test.ts). Few: only green trucks.
   */
  private readonly inspected = new Set<string>();
  private readonly startedAt: string;

  constructor(
    private readonly db: Executor,
    now: () => Date,
  ) {
    this.startedAt = now().toISOString();
  }

  async insert(row: GreenInspectionRow, x: Executor = this.db): Promise<void> {
    await x.insertInto('green_inspections').values(row).execute();
    this.inspected.add(row.txn_id);
  }

  /** Whether the exit may have an inspection: inspected here, or opened before this station started. */
  mayHave(txnId: string, txnCreatedAt: string): boolean {
    return this.inspected.has(txnId) || txnCreatedAt < this.startedAt;
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
