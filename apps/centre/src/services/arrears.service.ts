import {
  ARREARS_LIST_TYPE,
  type ArrearsEntry,
  type ArrearsPaybackRecord,
  ArrearsPaybackRecordSchema,
} from '@tollpad/domain';
import type { Kysely, Selectable } from 'kysely';
import { Compile } from 'typebox/compile';
import type { DialectOps } from '../db/dialect/types';
import type { ArrearsEntriesTable, Database } from '../db/schema';
import { CentreError, type ErrorCode } from '../errors';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import { recordDigest } from './digest';

/** An entry as the book takes it (the publisher's feed or the seed); it is open when added. */
export type ArrearsEntryInput = Omit<ArrearsEntry, 'status'>;

/** The book's row for a new, open entry. */
export function openEntryRow(e: ArrearsEntryInput): Database['arrears_entries'] {
  return {
    id: e.id,
    vehicle_id: e.vehicleId,
    pass_id: e.passId,
    real_en_station_id: e.realEnStationId,
    real_ex_station_id: e.realExStationId,
    escape_type: e.confirmedEscapeTypeName,
    reason: e.reason,
    owe_fee: e.oweFee,
    evasion_count: e.evasionCount,
    is_pre_black: e.isPreBlack ? 1 : 0,
    status: 'open',
    creation_time: e.creationTime,
    cleared_by: null,
    cleared_at: null,
  };
}

/** What the centre answers for an accepted payback, identical on every replay. */
export interface PaybackAck {
  tradeId: string;
  digest: string;
  cleared: string[];
  receivedAt: string;
}

const checkPayback = Compile(ArrearsPaybackRecordSchema);

function entryOf(r: Selectable<ArrearsEntriesTable>): ArrearsEntry {
  return {
    id: r.id,
    vehicleId: r.vehicle_id,
    passId: r.pass_id,
    realEnStationId: r.real_en_station_id,
    realExStationId: r.real_ex_station_id,
    confirmedEscapeTypeName: r.escape_type,
    reason: r.reason,
    oweFee: Number(r.owe_fee),
    evasionCount: Number(r.evasion_count),
    isPreBlack: Number(r.is_pre_black) === 1,
    status: r.status === 'cleared' ? 'cleared' : 'open',
    creationTime: r.creation_time,
  };
}

/** A refusal to keep: its code, what was wrong, and the trade ID it names. */
class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * The arrears book (追缴, payments.md §9): entries per plate_colour, open until one payback clears them. The
 * `vehicle-chase` list follows the open entries: a vehicle with an open black entry is on it as 1 (追缴,
 * special 118), one with only pre-black entries as 2 (预追缴, 127), one with none leaves it. Each change is
 * queued in the same transaction as the entries it follows, and published with the next delta.
 */
export class ArrearsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
    private readonly rejections: RejectionsRepository,
    private readonly now: () => Date,
  ) {}

  /** Adds entries (an entry already in the book is left as it is); their vehicles enter the list. */
  async add(entries: readonly ArrearsEntryInput[]): Promise<{ added: number }> {
    if (entries.length === 0) return { added: 0 };
    return this.db.transaction().execute(async (trx) => {
      const entered = new Set<string>();
      let added = 0;
      for (const e of entries) {
        const r = await trx
          .insertInto('arrears_entries')
          .values(openEntryRow(e))
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!r) continue;
        added++;
        entered.add(e.vehicleId);
      }
      // Only vehicles whose book changed: a restart re-adding the seed queues nothing.
      await this.queueListChanges(trx, [...entered]);
      return { added };
    });
  }

  /** The open entries of a vehicle (plate_colour), oldest first. */
  async openOf(vehicleId: string): Promise<ArrearsEntry[]> {
    const rows = await this.db
      .selectFrom('arrears_entries')
      .selectAll()
      .where('vehicle_id', '=', vehicleId)
      .where('status', '=', 'open')
      .orderBy('creation_time')
      .orderBy('id')
      .execute();
    return rows.map(entryOf);
  }

  /** One entry whatever its status (tests, the plaza day's reconciliation). */
  async entry(id: string): Promise<(ArrearsEntry & { clearedBy: string | null }) | undefined> {
    const r = await this.db.selectFrom('arrears_entries').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { ...entryOf(r), clearedBy: r.cleared_by } : undefined;
  }

  /**
   * A payback record from the station that took the money: checked, then the entries it names cleared
   * once, in one transaction with the record. Idempotent on the trade ID (the same record answers the same
   * ack); a refusal is kept with its stable code. A second payback naming a cleared entry is refused with
   * CTR_ERR_ARREARS_ALREADY_CLEARED: its money was taken, so the station parks it for a person.
   */
  async payback(
    body: unknown,
    key: string | undefined,
    uploader: { stationId: string },
  ): Promise<{ ack: PaybackAck; created: boolean }> {
    const ref = typeof (body as { id?: unknown })?.id === 'string' ? (body as { id: string }).id : null;
    try {
      const rec = this.checked(body, key, uploader);
      return await this.apply(rec);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      const id = await this.rejections.keep(
        { kind: 'arrears', code: e.code, ref: ref?.slice(0, 64) ?? null, detail: e.detail, body },
        this.now(),
      );
      throw new CentreError(e.code, e.detail, { rejectionId: id });
    }
  }

  private checked(body: unknown, key: string | undefined, uploader: { stationId: string }) {
    if (!checkPayback.Check(body)) {
      const first = checkPayback.Errors(body)[0];
      throw new Refusal('CTR_ERR_ARREARS_INVALID', `${first?.instancePath ?? ''} ${first?.message ?? ''}`);
    }
    const rec: ArrearsPaybackRecord = body;
    if (key !== rec.id) throw new Refusal('CTR_ERR_ARREARS_INVALID', 'Idempotency-Key ≠ id');
    if (new Set(rec.entryIds).size !== rec.entryIds.length)
      throw new Refusal('CTR_ERR_ARREARS_INVALID', 'an entry named twice');
    // The trade ID is the lane's (lane ID first), as an exit record's: another station can neither take this
    // station's IDs nor make its real payback a conflict.
    if (
      rec.exTollStationId !== uploader.stationId ||
      !rec.laneId.startsWith(rec.exTollStationId) ||
      !rec.id.startsWith(rec.laneId)
    )
      throw new Refusal(
        'CTR_ERR_ARREARS_WRONG_STATION',
        `certificate station ${uploader.stationId}, station ${rec.exTollStationId}, lane ${rec.laneId}, trade ID ${rec.id}`,
      );
    return rec;
  }

  private async apply(rec: ArrearsPaybackRecord): Promise<{ ack: PaybackAck; created: boolean }> {
    const digest = recordDigest(rec);
    const replay = await this.replayOf(rec.id, digest);
    if (replay) return { ack: replay, created: false };
    const receivedAt = this.now().toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        await this.lockBook(trx, [rec.vehicleId]);
        const rows = await trx
          .selectFrom('arrears_entries')
          .selectAll()
          .where('id', 'in', rec.entryIds)
          .execute();
        const mine = rows.filter((r) => r.vehicle_id === rec.vehicleId);
        if (mine.length !== rec.entryIds.length) {
          const missing = rec.entryIds.filter((id) => !mine.some((r) => r.id === id));
          throw new Refusal('CTR_ERR_ARREARS_ENTRY_UNKNOWN', `${rec.vehicleId}: ${missing.join(',')}`);
        }
        const owed = mine.reduce((s, r) => s + Number(r.owe_fee), 0);
        if (owed !== rec.paybackFee)
          throw new Refusal('CTR_ERR_ARREARS_AMOUNT_MISMATCH', `${rec.paybackFee} ≠ ${owed}`);
        const cleared = mine.filter((r) => r.status !== 'open');
        if (cleared.length > 0)
          throw new Refusal(
            'CTR_ERR_ARREARS_ALREADY_CLEARED',
            cleared.map((r) => `${r.id} by ${r.cleared_by}`).join(', '),
          );
        // Compare-and-set: a concurrent payback of the same entries updates none of them here.
        const u = await trx
          .updateTable('arrears_entries')
          .set({ status: 'cleared', cleared_by: rec.id, cleared_at: receivedAt })
          .where('id', 'in', rec.entryIds)
          .where('status', '=', 'open')
          .executeTakeFirst();
        if (Number(u.numUpdatedRows) !== rec.entryIds.length)
          throw new Refusal('CTR_ERR_ARREARS_ALREADY_CLEARED', `${rec.entryIds.join(',')} cleared meanwhile`);
        await trx
          .insertInto('arrears_paybacks')
          .values({
            trade_id: rec.id,
            station_id: rec.exTollStationId,
            vehicle_id: rec.vehicleId,
            payback_fee: rec.paybackFee,
            pay_type: rec.payType,
            digest,
            record_json: JSON.stringify(rec),
            received_at: receivedAt,
          })
          .execute();
        await this.queueListChanges(trx, [rec.vehicleId]);
      });
    } catch (e) {
      // The same trade ID stored by a concurrent upload: answer with it (or refuse different content).
      if (this.ops.isUniqueViolation(e)) {
        const winner = await this.replayOf(rec.id, digest);
        if (winner) return { ack: winner, created: false };
      }
      // A concurrent payback of the same trade ID cleared the entries first: its replay, not a refusal.
      if (e instanceof Refusal && e.code === 'CTR_ERR_ARREARS_ALREADY_CLEARED') {
        const winner = await this.replayOf(rec.id, digest);
        if (winner) return { ack: winner, created: false };
      }
      throw e;
    }
    return { ack: { tradeId: rec.id, digest, cleared: [...rec.entryIds], receivedAt }, created: true };
  }

  /** The stored payback's ack, if this trade ID is stored with this digest; refused if with another. */
  private async replayOf(tradeId: string, digest: string): Promise<PaybackAck | undefined> {
    const row = await this.db
      .selectFrom('arrears_paybacks')
      .select(['digest', 'record_json', 'received_at'])
      .where('trade_id', '=', tradeId)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.digest !== digest) throw new Refusal('CTR_ERR_ARREARS_CONFLICT', tradeId);
    const rec = JSON.parse(row.record_json) as ArrearsPaybackRecord;
    return { tradeId, digest, cleared: rec.entryIds, receivedAt: row.received_at };
  }

  /**
   * Locks the vehicles' entries until the caller's transaction ends (a no-op write; in a fixed order). Without
   * it two transactions of one vehicle (a payback and a new entry) each read the other's change as not made and
   * queue their list change apart: the later queued one wins, and a vehicle with an open entry could leave the
   * chase list (PostgreSQL; SQLite has one writer). With it the second reads the first's committed book.
   */
  private async lockBook(trx: Kysely<Database>, vehicleIds: readonly string[]): Promise<void> {
    for (const vehicleId of [...new Set(vehicleIds)].sort()) {
      await trx
        .updateTable('arrears_entries')
        .set((eb) => ({ vehicle_id: eb.ref('vehicle_id') }))
        .where('vehicle_id', '=', vehicleId)
        .execute();
    }
  }

  /**
   * Queues each vehicle's `vehicle-chase` change from its open entries (in the caller's transaction, so
   * the list never disagrees with the book): 1 while any open entry is black, 2 while only pre-black ones
   * are open, a leave when none is.
   */
  private async queueListChanges(trx: Kysely<Database>, vehicleIds: readonly string[]): Promise<void> {
    const at = this.now().toISOString();
    await this.lockBook(trx, vehicleIds);
    for (const vehicleId of vehicleIds) {
      const open = await trx
        .selectFrom('arrears_entries')
        .select('is_pre_black')
        .where('vehicle_id', '=', vehicleId)
        .where('status', '=', 'open')
        .execute();
      const type =
        open.length === 0
          ? 0
          : open.some((r) => Number(r.is_pre_black) !== 1)
            ? ARREARS_LIST_TYPE.black
            : ARREARS_LIST_TYPE.grey;
      await trx
        .insertInto('list_pending')
        .values({
          list_kind: 'vehicle-chase',
          entry_key: vehicleId,
          status_type: type,
          issuer: 'arrears',
          action: type === 0 ? 'remove' : 'add',
          submitted_at: at,
        })
        .execute();
    }
  }
}
