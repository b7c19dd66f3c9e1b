import { SPECIAL } from '@tollpad/domain';
import { sql } from 'kysely';
import type { ShiftRow } from '../db/schema';
import type { Executor } from './executor';
import { PreparedQueries } from './prepared';
import { ReadThroughCache } from './read-through-cache';

/** A committed payback of a shift (kind arrears-payback) with its transaction's payment (cash: tendered, change). */
export interface ShiftPaybackRow {
  fee: number;
  record_json: string;
  debit_json: string | null;
}

export interface GroupRow {
  key: number;
  vehicles: number;
  amount: number;
}

/** How many accounts' open shifts stay in memory (a station has tens of collectors). */
const MAX_OPEN_SHIFTS = 1024;

export class ShiftsRepository {
  // Read on every step of every exit (the ownership check): compiled once (see prepared.ts).
  private readonly openQuery = new PreparedQueries((x, p: { accountId: string }) =>
    x.selectFrom('shifts').selectAll().where('account_id', '=', p.accountId).where('closed_at', 'is', null),
  );

  /**
   * Open shifts by account, as this process last read them: on PostgreSQL each read is a round trip on the
   * station's one thread, five per exit. A shift ends only through {@link closing}, which forgets them once
   * its transaction has ended: a closed shift is never answered from memory.
   */
  private readonly openByAccount = new ReadThroughCache<string, ShiftRow>(MAX_OPEN_SHIFTS);

  constructor(private readonly db: Executor) {}

  async insert(row: ShiftRow, x: Executor = this.db): Promise<void> {
    await x.insertInto('shifts').values(row).execute();
  }

  find(id: string, x: Executor = this.db): Promise<ShiftRow | undefined> {
    return x.selectFrom('shifts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The account's open shift; outside a transaction from memory when this process read it already. */
  async findOpen(accountId: string, x: Executor = this.db): Promise<ShiftRow | undefined> {
    if (x !== this.db) return this.openQuery.first(x, { accountId });
    // Only an open shift is kept (the query reads no other): a shift opened later is simply read.
    return this.openByAccount.read(accountId, async () => {
      const row = await this.openQuery.first(x, { accountId });
      return row && Object.freeze({ ...row });
    });
  }

  /** Runs the transaction that closes a shift (交班); the remembered open shifts are dropped once it ended. */
  async closing<R>(run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } finally {
      this.openByAccount.forget();
    }
  }

  /** Marks the shift closed; inside a transaction, call it within {@link closing}. */
  async close(id: string, at: string, x: Executor = this.db): Promise<void> {
    await x.updateTable('shifts').set({ closed_at: at }).where('id', '=', id).execute();
    this.openByAccount.forget();
  }

  list(limit: number): Promise<ShiftRow[]> {
    return this.db.selectFrom('shifts').selectAll().orderBy('opened_at', 'desc').limit(limit).execute();
  }

  async groupBy(
    shiftId: string,
    column: 'vehicle_kind' | 'exit_fee_type' | 'vehicle_class',
  ): Promise<GroupRow[]> {
    const rows = await this.db
      .selectFrom('exit_records')
      .select((eb) => [
        eb.ref(column).as('key'),
        eb.fn.countAll<number>().as('vehicles'),
        eb.fn.sum<number>('fee').as('amount'),
      ])
      .where('shift_id', '=', shiftId)
      .where('kind', '=', 'exit')
      .groupBy(column)
      .orderBy(column)
      .execute();
    return rows.map((r) => ({
      key: Number(r.key),
      vehicles: Number(r.vehicles),
      amount: Number(r.amount ?? 0),
    }));
  }

  /** Special codes are stored joined (`|14|51|`); they are split here, which is fine at shift scale. */
  recordsForSpecials(shiftId: string): Promise<{ special_types: string; fee: number }[]> {
    return this.db
      .selectFrom('exit_records')
      .select(['special_types', 'fee'])
      .where('shift_id', '=', shiftId)
      .where('kind', '=', 'exit')
      .where('special_types', '!=', '||')
      .execute();
  }

  async totals(shiftId: string): Promise<{ vehicles: number; amount: number; authorised: number }> {
    const r = await this.db
      .selectFrom('exit_records')
      .select((eb) => [
        eb.fn.countAll<number>().as('vehicles'),
        eb.fn.sum<number>('fee').as('amount'),
        eb.fn.count<number>('auth_by').as('authorised'),
      ])
      .where('shift_id', '=', shiftId)
      .where('kind', '=', 'exit')
      .executeTakeFirstOrThrow();
    return { vehicles: Number(r.vehicles), amount: Number(r.amount ?? 0), authorised: Number(r.authorised) };
  }

  /**
   * The CPCs collected in a shift: one per committed CPC exit record (a replayed commit adds no record, a
   * correction is not an exit), of which those whose record notes the failed write or the low battery.
   */
  async cpcStock(
    shiftId: string,
    writeFailedSpecial: number,
  ): Promise<{ collected: number; writeFailed: number; lowBattery: number }> {
    const flagged = (code: number) =>
      sql<number>`sum(case when special_types like ${`%|${code}|%`} then 1 else 0 end)`;
    const r = await this.db
      .selectFrom('exit_records')
      .select((eb) => [
        eb.fn.countAll<number>().as('collected'),
        flagged(writeFailedSpecial).as('writeFailed'),
        flagged(SPECIAL.CPC_BATTERY_LOW).as('lowBattery'),
      ])
      .where('shift_id', '=', shiftId)
      .where('kind', '=', 'exit')
      .where('medium', '=', 'cpc')
      .executeTakeFirstOrThrow();
    return {
      collected: Number(r.collected),
      writeFailed: Number(r.writeFailed ?? 0),
      lowBattery: Number(r.lowBattery ?? 0),
    };
  }

  /**
   * The no-card exits of a shift by reason (from the committed records), and the card cost they took. A
   * damaged CPC is collected and kept apart from the good cards [P].
   */
  async noCardStock(
    shiftId: string,
  ): Promise<{ exits: number; noCard: number; lost: number; damaged: number; cardCost: number }> {
    const rows = await this.db
      .selectFrom('exit_records')
      .select('record_json')
      .where('shift_id', '=', shiftId)
      .where('kind', '=', 'exit')
      .where('medium', '=', 'none')
      .execute();
    const out = { exits: 0, noCard: 0, lost: 0, damaged: 0, cardCost: 0 };
    for (const r of rows) {
      const rec = JSON.parse(r.record_json) as { noCardReason?: string; cardCost?: number };
      out.exits++;
      if (rec.noCardReason === 'lost') out.lost++;
      else if (rec.noCardReason === 'damaged') out.damaged++;
      else out.noCard++;
      out.cardCost += rec.cardCost ?? 0;
    }
    return out;
  }

  /** The shift's committed arrears paybacks (补缴, kind `arrears-payback`: never among its tolls). */
  paybacksOf(shiftId: string): Promise<ShiftPaybackRow[]> {
    return this.db
      .selectFrom('exit_records as r')
      .leftJoin('exit_txns as t', 't.id', 'r.txn_id')
      .select(['r.fee', 'r.record_json', 't.debit_json'])
      .where('r.shift_id', '=', shiftId)
      .where('r.kind', '=', 'arrears-payback')
      .orderBy('r.trade_id')
      .execute();
  }

  async cancelled(
    shiftId: string,
  ): Promise<{ id: string; card_no: string; cancel_reason: string | null; updated_at: string }[]> {
    return this.db
      .selectFrom('exit_txns')
      .select(['id', 'card_no', 'cancel_reason', 'updated_at'])
      .where('shift_id', '=', shiftId)
      .where('state', '=', 'cancelled')
      .orderBy('updated_at')
      .execute();
  }

  async authorisedCases(
    shiftId: string,
  ): Promise<
    { id: string; auth_status: string; auth_by: string | null; auth_reason: string | null; state: string }[]
  > {
    return this.db
      .selectFrom('exit_txns')
      .select(['id', 'auth_status', 'auth_by', 'auth_reason', 'state'])
      .where('shift_id', '=', shiftId)
      .where('auth_status', 'in', ['approved', 'refused'])
      .orderBy('updated_at')
      .execute();
  }
}
