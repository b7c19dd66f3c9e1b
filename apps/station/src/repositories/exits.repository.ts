import type { Updateable } from 'kysely';
import type { ExitTxnRow, ExitTxnsTable, NewExitTxn } from '../db/schema';
import type { Executor } from './executor';

export class ExitsRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: NewExitTxn, x: Executor = this.db): Promise<void> {
    await x.insertInto('exit_txns').values(row).execute();
  }

  find(id: string, x: Executor = this.db): Promise<ExitTxnRow | undefined> {
    return x.selectFrom('exit_txns').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByTradeId(tradeId: string, x: Executor = this.db): Promise<ExitTxnRow | undefined> {
    return x.selectFrom('exit_txns').selectAll().where('trade_id', '=', tradeId).executeTakeFirst();
  }

  /**
   * Compare-and-set on the state: the update applies only if the row is still in one of `from`.
   * Returns whether it applied, so two racing requests cannot both move a transaction.
   */
  async transition(
    id: string,
    from: readonly string[],
    set: Updateable<ExitTxnsTable>,
    x: Executor = this.db,
  ): Promise<boolean> {
    const r = await x
      .updateTable('exit_txns')
      .set(set)
      .where('id', '=', id)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  list(filter: {
    state?: string;
    laneId?: string;
    authStatus?: string;
    limit: number;
  }): Promise<ExitTxnRow[]> {
    let q = this.db.selectFrom('exit_txns').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.laneId) q = q.where('lane_id', '=', filter.laneId);
    if (filter.authStatus) q = q.where('auth_status', '=', filter.authStatus);
    return q.orderBy('created_at', 'desc').limit(filter.limit).execute();
  }

  /** Next in-batch serial for the lane (upsert + increment, atomic on both engines). */
  async nextSerial(laneId: string, batch: string, x: Executor = this.db): Promise<number> {
    const r = await x
      .insertInto('trade_serials')
      .values({ lane_id: laneId, batch, next_serial: 1 })
      .onConflict((oc) =>
        oc
          .columns(['lane_id', 'batch'])
          .doUpdateSet((eb) => ({ next_serial: eb('trade_serials.next_serial', '+', 1) })),
      )
      .returning('next_serial')
      .executeTakeFirstOrThrow();
    return Number(r.next_serial);
  }
}
