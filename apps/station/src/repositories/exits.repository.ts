import type { Updateable } from 'kysely';
import type { ExitTxnRow, ExitTxnsTable, NewExitTxn } from '../db/schema';
import type { Executor } from './executor';
import { PreparedQueries, shapeOf } from './prepared';
import { RecentTxns, type WriteTicket } from './recent-txns';

/** No fee and no authorisation: a new transaction's, and what a new image step resets (the fee is void). */
export const NO_FEE_YET = {
  fee_json: null,
  amount: null,
  auth_status: 'none',
  auth_by: null,
  auth_reason: null,
  auth_at: null,
} as const satisfies Partial<ExitTxnRow>;

/** The columns of a transaction just opened by 【读卡】: no image, fee, authorisation, debit or cancel yet. */
export const NOTHING_YET = {
  plate: null,
  plate_colour: null,
  photo_sha256: null,
  vehicle_class: null,
  vehicle_kind: null,
  ...NO_FEE_YET,
  trade_id: null,
  debit_json: null,
  cancel_reason: null,
} as const satisfies Partial<ExitTxnRow>;

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

  /** Acknowledged rows, so the exit path's steps need not read their row back (see recent-txns.ts). */
  private readonly recent = new RecentTxns();
  /** The rows each open {@link inTransaction} moved, to remember once it committed. */
  private readonly moved = new WeakMap<Executor, Moved[]>();

  constructor(private readonly db: Executor) {}

  /**
   * Runs `work` in one database transaction; the rows its transitions moved are remembered once it
   * committed (then durable), so the next step does not read them back.
   */
  async inTransaction<R>(work: (trx: Executor) => Promise<R>): Promise<R> {
    const moved: Moved[] = [];
    try {
      const r = await this.db.transaction().execute(async (trx) => {
        this.moved.set(trx, moved);
        return work(trx);
      });
      for (const m of moved) this.recent.done(m.ticket, m.row);
      return r;
    } catch (e) {
      for (const m of moved) this.recent.abandon(m.ticket);
      throw e;
    }
  }

  /** Inserts a transaction; outside a transaction, a complete row is remembered once acknowledged. */
  async insert(row: NewExitTxn, x: Executor = this.db): Promise<void> {
    const ticket = this.recent.begin(row.id);
    try {
      await this.q.insert.execute(x, row, shapeOf(row));
    } catch (e) {
      this.recent.abandon(ticket);
      throw e;
    }
    if (x === this.db) this.recent.done(ticket, isComplete(row) ? row : undefined);
  }

  /**
   * Re-reads the row in transaction `x` holding its lock until `x` ends: a no-op UPDATE takes the row lock on
   * PostgreSQL (where SELECT … FOR UPDATE would too) and is valid SQL on SQLite, whose writers run one at a time.
   */
  async lock(id: string, x: Executor): Promise<ExitTxnRow | undefined> {
    await x
      .updateTable('exit_txns')
      .set((eb) => ({ state: eb.ref('state') }))
      .where('id', '=', id)
      .execute();
    return this.q.find.first(x, { id });
  }

  /** Outside a transaction, an acknowledged row comes from memory when this process wrote it last. */
  async find(id: string, x: Executor = this.db): Promise<ExitTxnRow | undefined> {
    if (x === this.db) {
      const cached = this.recent.get(id);
      if (cached) return cached;
    }
    return this.q.find.first(x, { id });
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
    const ticket = this.recent.begin(id);
    let applied = false;
    try {
      const r = await this.q.transition.execute(x, { id, from, set }, `${from.length}:${shapeOf(set)}`);
      applied = Number(r.numAffectedRows) === 1;
    } catch (e) {
      this.recent.abandon(ticket);
      throw e;
    }
    // The row before was the acknowledged one and no other write ran since: the update made it this.
    const after = applied && ticket.before && isPlainValues(set) ? applySet(ticket.before, set) : undefined;
    if (x === this.db) {
      if (after) this.recent.done(ticket, after);
      else this.recent.abandon(ticket);
    } else if (after) this.moved.get(x)?.push({ ticket, row: after });
    return applied;
  }

  list(filter: ExitListFilter): Promise<ExitTxnRow[]> {
    let q = this.db.selectFrom('exit_txns').selectAll();
    if (filter.state) q = q.where('state', '=', filter.state);
    if (filter.laneId) q = q.where('lane_id', '=', filter.laneId);
    if (filter.authStatus) q = q.where('auth_status', '=', filter.authStatus);
    return q.orderBy('created_at', 'desc').limit(filter.limit).execute();
  }

  /** Claims a trip's one payment for a transaction; a trip already claimed is the engine's unique violation. */
  async claimPass(passId: string, txnId: string, at: string, x: Executor): Promise<void> {
    await x
      .insertInto('exit_pass_claims')
      .values({ pass_id: passId, txn_id: txnId, created_at: at })
      .execute();
  }

  /**
   * Claims a key for a holder in one statement (the exit path counts them): true when this call claimed it,
   * false when it was already claimed (by anyone; the caller reads the holder only then).
   */
  async claimOnce(key: string, holder: string, at: string, x: Executor): Promise<boolean> {
    const rows = await x
      .insertInto('exit_pass_claims')
      .values({ pass_id: key, txn_id: holder, created_at: at })
      .onConflict((oc) => oc.column('pass_id').doNothing())
      .returning('pass_id')
      .execute();
    return rows.length === 1;
  }

  /** The transaction holding the trip's one payment, if one does (the claim's primary key). */
  async passClaimOf(passId: string, x: Executor = this.db): Promise<string | undefined> {
    const r = await x
      .selectFrom('exit_pass_claims')
      .select('txn_id')
      .where('pass_id', '=', passId)
      .executeTakeFirst();
    return r?.txn_id;
  }

  /**
   * Hands a claimed key from a stale holder to another transaction (compare-and-set on the holder): false when
   * the holder changed meanwhile.
   */
  async moveClaim(key: string, from: string, to: string, at: string, x: Executor): Promise<boolean> {
    const r = await x
      .updateTable('exit_pass_claims')
      .set({ txn_id: to, created_at: at })
      .where('pass_id', '=', key)
      .where('txn_id', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Gives the trip back when the transaction's payment intent is undone (the money did not move). */
  async releasePass(txnId: string, x: Executor): Promise<void> {
    await x.deleteFrom('exit_pass_claims').where('txn_id', '=', txnId).execute();
  }

  /** Next in-batch serial for the lane (upsert + increment, atomic on both engines). */
  async nextSerial(laneId: string, batch: string, x: Executor = this.db): Promise<number> {
    const r = await this.q.nextSerial.first(x, { laneId, batch });
    if (!r) throw new Error('trade_serials upsert returned no row');
    return Number(r.next_serial);
  }
}

/** A transition inside a transaction: the row it leaves once the transaction commits. */
interface Moved {
  ticket: WriteTicket;
  row: ExitTxnRow;
}

/** SET values that are data, not SQL expressions: merged into the cached row they give the new row. */
function isPlainValues(set: object): boolean {
  return Object.values(set).every((v) => v === null || typeof v !== 'object');
}

/** The row after an UPDATE … SET: undefined values are left out of the statement, so they change nothing. */
function applySet(before: ExitTxnRow, set: object): ExitTxnRow {
  const after: Record<string, unknown> = { ...before };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) after[k] = v;
  return after as unknown as ExitTxnRow;
}

/** Whether an inserted row names every column (no database default filled in): then it is the row. */
function isComplete(row: NewExitTxn): row is ExitTxnRow {
  const r = row as Record<string, unknown>;
  return EXIT_TXN_COLUMNS.every((c) => r[c] !== undefined);
}

// A record over every column, so the compiler says when a column is added and not listed here.
const COLUMN_SET: Record<keyof ExitTxnRow, true> = {
  id: true,
  state: true,
  lane_id: true,
  terminal_id: true,
  shift_id: true,
  collector_id: true,
  medium: true,
  card_no: true,
  read_json: true,
  checks_json: true,
  plate: true,
  plate_colour: true,
  photo_sha256: true,
  vehicle_class: true,
  vehicle_kind: true,
  fee_json: true,
  amount: true,
  auth_status: true,
  auth_by: true,
  auth_reason: true,
  auth_at: true,
  trade_id: true,
  debit_json: true,
  cancel_reason: true,
  created_at: true,
  updated_at: true,
};
const EXIT_TXN_COLUMNS = Object.keys(COLUMN_SET);
