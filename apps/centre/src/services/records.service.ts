import { type AnyExitRecord, checkExitRecord, isOtherPaymentRecord, parseExitTradeId } from '@tollpad/domain';
import type { Kysely } from 'kysely';
import type { DialectOps } from '../db/dialect/types';
import type { Database } from '../db/schema';
import { CentreError, type ErrorCode } from '../errors';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import { cardTradeKeyOf } from './card-trade-key';
import { recordDigest } from './digest';
import { cpcCardTrade, type TacStatus, type TacVerifier } from './tac';
import type { TariffService } from './tariff.service';

/** What the centre answers for an accepted record, identical on every replay of the same record. */
export interface RecordAck {
  tradeId: string;
  exitDay: string;
  /** sha256 of the canonical JSON of the record (services/digest.ts). */
  digest: string;
  /** 'quarantined': the issuer's keys are not held here; kept and listed, not cleared. */
  tacStatus: 'verified' | 'quarantined';
  receivedAt: string;
}

export interface IngestOutcome {
  ack: RecordAck;
  /** false on an idempotent replay. */
  created: boolean;
}

/** Who uploads: the station named by the client certificate the centre verified. */
export interface Uploader {
  stationId: string;
}

export interface IngestPolicy {
  /**
   * [P] A card network whose keys this centre does not hold (e.g. another province's issuer): keep the record
   * in quarantine (listed, not cleared, until the issuer's keys are held or the issuer vouches) or refuse it.
   * Default quarantine.
   */
  unknownIssuer: 'quarantine' | 'reject';
}

export interface IngestMetrics {
  onOutcome(outcome: 'created' | 'replayed' | ErrorCode): void;
}

/** The exit day of a record: the Beijing date of its trade-ID batch (a pure function of the key). */
export function exitDayOf(tradeId: string): string {
  return tradeId.slice(21, 29);
}

/**
 * Record ingest: idempotent on the exit trade ID, schema-checked, TAC-verified. Every refusal is kept in
 * rejected_records with its stable code; an accepted record is never overwritten.
 */
export class RecordsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ops: DialectOps,
    private readonly tariffs: TariffService,
    private readonly tac: TacVerifier,
    private readonly rejections: RejectionsRepository,
    private readonly now: () => Date,
    private readonly policy: IngestPolicy = { unknownIssuer: 'quarantine' },
    private readonly metrics: IngestMetrics = { onOutcome() {} },
  ) {}

  async ingest(body: unknown, idempotencyKey: string | undefined, from: Uploader): Promise<IngestOutcome> {
    try {
      const out = await this.ingestInner(body, idempotencyKey, from);
      this.metrics.onOutcome(out.created ? 'created' : 'replayed');
      return out;
    } catch (e) {
      if (e instanceof CentreError) this.metrics.onOutcome(e.code);
      throw e;
    }
  }

  private async ingestInner(
    body: unknown,
    idempotencyKey: string | undefined,
    from: Uploader,
  ): Promise<IngestOutcome> {
    const bodyId = typeof body === 'object' && body !== null && 'id' in body ? body.id : undefined;
    const ref = typeof bodyId === 'string' ? bodyId.slice(0, 64) : null;
    if (idempotencyKey === undefined || idempotencyKey !== bodyId) {
      return this.refuse(
        'CTR_ERR_RECORD_IDEMPOTENCY_KEY',
        ref,
        `Idempotency-Key ${idempotencyKey ?? '(none)'}`,
        body,
      );
    }
    const checked = checkExitRecord(body);
    if (!checked.ok) {
      return this.refuse(
        'CTR_ERR_RECORD_INVALID',
        ref,
        `${checked.error.field}: ${checked.error.reason}`,
        body,
      );
    }
    // The batch must be a real Beijing hour: it names the day partition the record goes to.
    const tradeId = parseExitTradeId(checked.value.id, 'id');
    if (!tradeId.ok) {
      return this.refuse(
        'CTR_ERR_RECORD_INVALID',
        ref,
        `${tradeId.error.field}: ${tradeId.error.reason}`,
        body,
      );
    }
    const record = checked.value;
    // Only the exit station may upload its records (and so claim its trade IDs); checked before any lookup,
    // so another station learns nothing about a trade ID that is not its own.
    if (record.exTollStationId !== from.stationId || !record.id.startsWith(from.stationId)) {
      return this.refuse(
        'CTR_ERR_RECORD_WRONG_STATION',
        ref,
        `certificate station ${from.stationId}, record station ${record.exTollStationId}, trade ID ${record.id}`,
        body,
      );
    }
    const digest = recordDigest(record);
    const exitDay = exitDayOf(record.id);

    // The common path is a new record: check, then insert-or-nothing, and only look up the stored row on a
    // key conflict or before a refusal (a replay or a conflict takes precedence over a fresh refusal).
    const refuseUnlessStored = async (code: ErrorCode, detail: string): Promise<IngestOutcome> => {
      const existing = await this.find(record.id);
      if (existing) return this.replay(existing, record, digest);
      return this.refuse(code, record.id, detail, record);
    };
    if (!this.tariffs.hasStation(record.exTollStationId)) {
      return refuseUnlessStored('CTR_ERR_RECORD_UNKNOWN_STATION', record.exTollStationId);
    }
    // A CPC record paid by cash or QR carries no ETC card trade: there is no TAC to verify and no issuer to
    // clear with, so it is stored as verified with a zero card trade. One paid by the driver's ETC card
    // (payType 4) carries that card's trade: its TAC is verified like an ETC exit's, under the card's issuer.
    // A no-card record is paid the same ways (no medium of its own to clear with).
    const trade = isOtherPaymentRecord(record) ? cpcCardTrade(record) : record;
    const card = trade
      ? { id: trade.cardId, net: trade.cardNet, transFee: trade.transFee, tac: this.tac.verify(trade) }
      : {
          // A no-card record names no card: its damaged CPC's ID when legible, else its PassID.
          id: isOtherPaymentRecord(record) ? (record.mediaNo ?? record.passId) : record.cardId,
          net: '',
          transFee: 0,
          tac: 'verified' as TacStatus,
        };
    const tac = card.tac;
    if (tac === 'mismatch') return refuseUnlessStored('CTR_ERR_RECORD_TAC_MISMATCH', `tac ${trade?.tac}`);
    if (tac === 'unverified' && this.policy.unknownIssuer === 'reject') {
      return refuseUnlessStored('CTR_ERR_RECORD_UNKNOWN_ISSUER', `cardNet ${card.net}`);
    }
    const ack: RecordAck = {
      tradeId: record.id,
      exitDay,
      digest,
      tacStatus: tac === 'verified' ? 'verified' : 'quarantined',
      receivedAt: this.now().toISOString(),
    };
    await this.ops.ensureDayPartition(this.db, exitDay);
    const tradeKey = cardTradeKeyOf(record);
    // The record and its card trade's claim in one transaction: a trade another record holds undoes both.
    const inserted = await this.db
      .transaction()
      .execute(async (trx) => {
        const rows = await trx
          .insertInto('exit_records')
          .values({
            exit_day: exitDay,
            trade_id: record.id,
            pass_id: record.passId,
            card_id: card.id,
            card_net: card.net,
            ex_station_id: record.exTollStationId,
            ex_time: new Date(record.exTime).toISOString(),
            trans_fee: card.transFee,
            fee: record.fee,
            pay_fee: record.payFee,
            exit_fee_type: record.exitFeeType,
            media_type: record.mediaType,
            pay_type: isOtherPaymentRecord(record) ? record.payType : null,
            tac_status: ack.tacStatus,
            digest,
            record_json: JSON.stringify(record),
            received_at: ack.receivedAt,
          })
          .onConflict((oc) => oc.columns(['exit_day', 'trade_id']).doNothing())
          .returning('trade_id')
          .execute();
        if (rows.length !== 1 || !tradeKey) return rows.length === 1;
        await trx
          .insertInto('card_trades')
          .values({ ...tradeKey, trade_id: record.id })
          .onConflict((oc) => oc.doNothing())
          .execute();
        const holder = await trx
          .selectFrom('card_trades')
          .select('trade_id')
          .where('card_id', '=', tradeKey.card_id)
          .where('terminal_no', '=', tradeKey.terminal_no)
          .where('terminal_trans_no', '=', tradeKey.terminal_trans_no)
          .where('ex_time', '=', tradeKey.ex_time)
          .executeTakeFirst();
        if (holder?.trade_id !== record.id) throw new CardTradeHeld(holder?.trade_id ?? '?');
        return true;
      })
      .catch(async (e: unknown) => {
        if (!(e instanceof CardTradeHeld) || !tradeKey) throw e;
        // An identical record a concurrent upload stored meanwhile is still a replay (refuseUnlessStored).
        const { card_id, terminal_no, terminal_trans_no, ex_time } = tradeKey;
        return refuseUnlessStored(
          'CTR_ERR_RECORD_CARD_TRADE_USED',
          `card ${card_id} terminal ${terminal_no} serial ${terminal_trans_no} exTime ${ex_time} held by ${e.holder}`,
        );
      });
    if (typeof inserted !== 'boolean') return inserted;
    if (inserted) return { ack, created: true };
    // Already stored (a retry, or a concurrent upload of the same trade ID): a replay or a conflict.
    const winner = await this.find(record.id);
    if (!winner) throw new CentreError('CTR_ERR_INTERNAL', 'record vanished after a key conflict');
    return this.replay(winner, record, digest);
  }

  async find(tradeId: string): Promise<(RecordAck & { record: AnyExitRecord }) | undefined> {
    if (!/^.{21}\d{16}$/.test(tradeId)) return undefined;
    const row = await this.db
      .selectFrom('exit_records')
      .selectAll()
      .where('exit_day', '=', exitDayOf(tradeId))
      .where('trade_id', '=', tradeId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      tradeId: row.trade_id,
      exitDay: row.exit_day,
      digest: row.digest,
      tacStatus: row.tac_status === 'verified' ? 'verified' : 'quarantined',
      receivedAt: row.received_at,
      record: JSON.parse(row.record_json) as AnyExitRecord,
    };
  }

  /** Records kept in quarantine (issuer keys not held), newest first. */
  async quarantined(limit: number): Promise<(RecordAck & { record: AnyExitRecord })[]> {
    const rows = await this.db
      .selectFrom('exit_records')
      .selectAll()
      .where('tac_status', '=', 'quarantined')
      .orderBy('received_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      tradeId: row.trade_id,
      exitDay: row.exit_day,
      digest: row.digest,
      tacStatus: 'quarantined' as const,
      receivedAt: row.received_at,
      record: JSON.parse(row.record_json) as AnyExitRecord,
    }));
  }

  private async replay(
    existing: RecordAck & { record: AnyExitRecord },
    record: AnyExitRecord,
    digest: string,
  ): Promise<IngestOutcome> {
    if (existing.digest !== digest) {
      return this.refuse(
        'CTR_ERR_RECORD_CONFLICT',
        record.id,
        `stored digest ${existing.digest}, received ${digest}`,
        record,
      );
    }
    const { record: _r, ...ack } = existing;
    return { ack, created: false };
  }

  private async refuse(code: ErrorCode, ref: string | null, detail: string, body: unknown): Promise<never> {
    const id = await this.rejections.keep({ kind: 'record', code, ref, detail, body }, this.now());
    throw new CentreError(code, detail, { rejectionId: id });
  }
}

/** The record's card trade is already another stored record's: rolls back the record's insert. */
class CardTradeHeld extends Error {
  constructor(readonly holder: string) {
    super(`card trade held by ${holder}`);
  }
}
