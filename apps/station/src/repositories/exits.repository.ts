import type { Updateable } from 'kysely';
import type { ExitTxnRow, ExitTxnsTable, NewExitTxn } from '../db/schema';
import type { Executor } from './executor';
import { PreparedQueries, shapeOf } from './prepared';

/** What the monitor's transaction list can be narrowed by. */
export interface ExitListFilter {
  state?: string;
  laneId?: string;
  authStatus?: string;
  limit: number;
}

export class ExitsRepository {
  // The exit path's statements, compiled once per shape (see prepared.ts).
  private readonly q = {
    insert: new PreparedQueries((x, row: NewExitTxn) => x.insertInto('exit_txns').values(row)),
    find: new PreparedQueries((x, p: { id: string }) =>
      x.selectFrom('exit_txns').selectAll().where('id', '=', p.id),
    ),
    transition: new PreparedQueries(
      (x, p: { id: string; from: readonly string[]; set: Updateable<ExitTxnsTable> }) =>
        x
          .updateTable('exit_txns')
          .set(p.set)
          .where('id', '=', p.id)
          .where('state', 'in', [...p.from]),
    ),
    nextSerial: new PreparedQueries((x, p: { laneId: string; batch: string }) =>
      x
        .insertInto('trade_serials')
        .values({ lane_id: p.laneId, batch: p.batch, next_serial: 1 })
        .onConflict((oc) =>
          oc
            .columns(['lane_id', 'batch'])
            .doUpdateSet((eb) => ({ next_serial: eb('trade_serials.next_serial', '+', 1) })),
        )
        .returning('next_serial'),
    ),
  };

  constructor(private readonly db: Executor) {}

  async insert(row: NewExitTxn, x: Executor = this.db): Promise<void> {
    await this.q.insert.execute(x, row, shapeOf(row));
  }

  find(id: string, x: Executor = this.db): Promise<ExitTxnRow | undefined> {
    return this.q.find.first(x, { id });
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
    const r = await this.q.transition.execute(x, { id, from, set }, `${from.length}:${shapeOf(set)}`);
    return Number(r.numAffectedRows) === 1;
  }

  list(filter: ExitListFilter): Promise<ExitTxnRow[]> {
    let q = this.db.selectFrom('exit_txns').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.laneId) q = q.where('lane_id', '=', filter.laneId);
    if (filter.authStatus) q = q.where('auth_status', '=', filter.authStatus);
    return q.orderBy('created_at', 'desc').limit(filter.limit).execute();
  }

  /** Next in-batch serial for the lane (upsert + increment, atomic on both engines). */
  async nextSerial(laneId: string, batch: string, x: Executor = this.db): Promise<number> {
    const r = await this.q.nextSerial.first(x, { laneId, batch });
    if (!r) throw new Error('trade_serials upsert returned no row');
    return Number(r.next_serial);
  }
}
