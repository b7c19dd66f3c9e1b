import type { ExitRecordRow } from '../db/schema';
import type { Executor } from './executor';
import { PreparedQueries, shapeOf } from './prepared';

interface OutboxInsert {
  id: string;
  topic: string;
  idempotency_key: string;
  payload: string;
  created_at: string;
}

export interface RecordFilter {
  from?: string;
  to?: string;
  laneId?: string;
  cardNo?: string;
  vehicleId?: string;
  special?: number;
  shiftId?: string;
  limit: number;
}

/** Exit records (immutable: no update method exists) and the outbox rows written with them. */
export class RecordsRepository {
  // The commit's statements, compiled once (see prepared.ts).
  private readonly q = {
    find: new PreparedQueries((x, p: { tradeId: string }) =>
      x.selectFrom('exit_records').selectAll().where('trade_id', '=', p.tradeId),
    ),
    insert: new PreparedQueries((x, row: ExitRecordRow) => x.insertInto('exit_records').values(row)),
    insertOutbox: new PreparedQueries((x, row: OutboxInsert) =>
      x.insertInto('outbox').values({ ...row, attempts: 0, next_attempt_at: row.created_at, acked_at: null }),
    ),
  };

  constructor(private readonly db: Executor) {}

  find(tradeId: string, x: Executor = this.db): Promise<ExitRecordRow | undefined> {
    return this.q.find.first(x, { tradeId });
  }

  async insert(row: ExitRecordRow, x: Executor = this.db): Promise<void> {
    await this.q.insert.execute(x, row, shapeOf(row));
  }

  async insertOutbox(row: OutboxInsert, x: Executor = this.db): Promise<void> {
    await this.q.insertOutbox.execute(x, row, shapeOf(row));
  }

  /**
   * The latest exit of this medium number at or after `since` (ISO), if any: the card_no index narrows it to
   * the card's own few records.
   */
  async latestExitOf(
    medium: string,
    cardNo: string,
    since: string,
    x: Executor = this.db,
  ): Promise<{ tradeId: string; exTime: string; passId: string } | undefined> {
    const r = await x
      .selectFrom('exit_records')
      .select(['trade_id', 'ex_time', 'pass_id'])
      .where('card_no', '=', cardNo)
      .where('medium', '=', medium)
      .where('ex_time', '>=', since)
      .orderBy('ex_time', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r && { tradeId: r.trade_id, exTime: r.ex_time, passId: r.pass_id };
  }

  search(f: RecordFilter): Promise<ExitRecordRow[]> {
    let q = this.db.selectFrom('exit_records').selectAll();
    if (f.from) q = q.where('ex_time', '>=', f.from);
    if (f.to) q = q.where('ex_time', '<', f.to);
    if (f.laneId) q = q.where('lane_id', '=', f.laneId);
    if (f.cardNo) q = q.where('card_no', '=', f.cardNo);
    if (f.vehicleId) q = q.where('vehicle_id', '=', f.vehicleId);
    if (f.shiftId) q = q.where('shift_id', '=', f.shiftId);
    if (f.special !== undefined) q = q.where('special_types', 'like', `%|${f.special}|%`);
    return q.orderBy('ex_time', 'desc').orderBy('trade_id').limit(f.limit).execute();
  }
}
