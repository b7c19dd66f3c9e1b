import { type GreenInspectionUpload, GreenInspectionUploadSchema, greenCargoItem } from '@tollpad/domain';
import type { Kysely } from 'kysely';
import { Value } from 'typebox/value';
import type { Database } from '../db/schema';
import { CentreError, type ErrorCode } from '../errors';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import { recordDigest } from './digest';

/** The outbox key a station sends an inspection under: its record's trade ID and this suffix. */
export const GREEN_INSPECTION_KEY_SUFFIX = '-G';

export interface GreenInspectionAck {
  key: string;
  id: string;
  tradeId: string;
  digest: string;
  /** Whether the record it belongs to is already held here (it is uploaded first; it may be quarantined). */
  recordHeld: boolean;
  receivedAt: string;
}

/** A green-channel pass (special 128, kind 21, fee 0) with no passed inspection held for it. */
export interface UninspectedPass {
  tradeId: string;
  exStationId: string;
  exTime: string;
  vehicleId: string;
}

/**
 * 绿通查验 at the centre (issue #22): each station uploads the inspection of a record beside it; kept once per
 * record (idempotent; a different inspection for the same record is refused and kept), linked by trade ID. The
 * plaza day asks which green-channel passes have no passed inspection.
 */
export class GreenInspectionsService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly rejections: RejectionsRepository,
    private readonly now: () => Date,
  ) {}

  async ingest(
    body: unknown,
    key: string | undefined,
    from: { stationId: string },
  ): Promise<{ ack: GreenInspectionAck; created: boolean }> {
    const ref = typeof key === 'string' ? key.slice(0, 64) : null;
    if (!Value.Check(GreenInspectionUploadSchema, body)) {
      const first = [...Value.Errors(GreenInspectionUploadSchema, body)][0];
      throw await this.refuse(
        'CTR_ERR_GREEN_INVALID',
        ref,
        `${first?.instancePath ?? ''} ${first?.message ?? ''}`,
        body,
      );
    }
    const u: GreenInspectionUpload = body;
    if (key !== `${u.tradeId}${GREEN_INSPECTION_KEY_SUFFIX}`)
      throw await this.refuse('CTR_ERR_GREEN_INVALID', ref, 'Idempotency-Key must be tradeId + -G', body);
    const unknown = u.cargo.find((c) => greenCargoItem(c) === undefined);
    if (unknown !== undefined)
      throw await this.refuse('CTR_ERR_GREEN_INVALID', ref, `cargo ${unknown} not in the catalogue`, body);
    if (u.passed && (u.result === 'fail' || u.ban !== null))
      throw await this.refuse('CTR_ERR_GREEN_INVALID', ref, 'passed contradicts the result or the ban', body);
    // The trade ID names the exit lane (station ID first), as a record's must: another station can neither
    // inspect this station's record nor pre-empt its inspection (one per trade ID).
    if (u.exTollStationId !== from.stationId || !u.tradeId.startsWith(from.stationId))
      throw await this.refuse(
        'CTR_ERR_GREEN_WRONG_STATION',
        ref,
        `certificate station ${from.stationId}, station ${u.exTollStationId}, trade ID ${u.tradeId}`,
        body,
      );
    const digest = recordDigest(u);
    const existing = await this.db
      .selectFrom('green_inspections')
      .select(['id', 'digest', 'received_at'])
      .where('trade_id', '=', u.tradeId)
      .executeTakeFirst();
    if (existing) {
      if (existing.digest !== digest || existing.id !== u.id)
        throw await this.refuse('CTR_ERR_GREEN_CONFLICT', ref, `${u.tradeId} holds ${existing.id}`, body);
      return { ack: await this.ack(u, digest, existing.received_at), created: false };
    }
    const receivedAt = this.now().toISOString();
    await this.db
      .insertInto('green_inspections')
      .values({
        id: u.id,
        trade_id: u.tradeId,
        station_id: from.stationId,
        vehicle_id: u.vehicleId,
        result: u.result,
        passed: u.passed ? 1 : 0,
        digest,
        payload: JSON.stringify(u),
        received_at: receivedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    // A concurrent identical upload may have won: answer from what is stored.
    const stored = await this.db
      .selectFrom('green_inspections')
      .select(['digest', 'received_at'])
      .where('trade_id', '=', u.tradeId)
      .executeTakeFirstOrThrow();
    if (stored.digest !== digest)
      throw await this.refuse('CTR_ERR_GREEN_CONFLICT', ref, `${u.tradeId} holds another`, body);
    return { ack: await this.ack(u, digest, stored.received_at), created: stored.received_at === receivedAt };
  }

  /** The inspection of a record, or null. */
  async ofRecord(tradeId: string): Promise<GreenInspectionUpload | null> {
    const r = await this.db
      .selectFrom('green_inspections')
      .select('payload')
      .where('trade_id', '=', tradeId)
      .executeTakeFirst();
    return r ? (JSON.parse(r.payload) as GreenInspectionUpload) : null;
  }

  /**
   * Green-channel passes of exit days [fromDay, toDay] (YYYYMMDD, Beijing) with no passed inspection held: a
   * record of kind 21 and fee 0 whose inspection is missing or did not pass. Empty = every pass has one.
   */
  async uninspectedPasses(fromDay: string, toDay: string, limit: number): Promise<UninspectedPass[]> {
    const rows = await this.db
      .selectFrom('exit_records as r')
      .leftJoin('green_inspections as g', 'g.trade_id', 'r.trade_id')
      .select(['r.trade_id', 'r.ex_station_id', 'r.ex_time', 'r.record_json', 'g.passed'])
      .where('r.exit_day', '>=', fromDay)
      .where('r.exit_day', '<=', toDay)
      .where('r.fee', '=', 0)
      // Kind 21 narrows the free records (holiday free days are many) before they are read; a pass always
      // names it (the station prices a passed inspection as kind 21).
      .where('r.record_json', 'like', '%"vehicleClass":21,%')
      .where((eb) => eb.or([eb('g.passed', 'is', null), eb('g.passed', '=', 0)]))
      .orderBy('r.trade_id')
      .limit(limit)
      .execute();
    const out: UninspectedPass[] = [];
    for (const r of rows) {
      // The LIKE above is a narrowing only: the record's own kind decides.
      const rec = JSON.parse(r.record_json) as { vehicleClass?: number; vehicleId?: string };
      if (rec.vehicleClass !== 21) continue;
      out.push({
        tradeId: r.trade_id,
        exStationId: r.ex_station_id,
        exTime: r.ex_time,
        vehicleId: rec.vehicleId ?? '',
      });
    }
    return out;
  }

  private async ack(
    u: GreenInspectionUpload,
    digest: string,
    receivedAt: string,
  ): Promise<GreenInspectionAck> {
    const record = await this.db
      .selectFrom('exit_records')
      .select('trade_id')
      .where('trade_id', '=', u.tradeId)
      .executeTakeFirst();
    return {
      key: `${u.tradeId}${GREEN_INSPECTION_KEY_SUFFIX}`,
      id: u.id,
      tradeId: u.tradeId,
      digest,
      recordHeld: record !== undefined,
      receivedAt,
    };
  }

  private async refuse(code: ErrorCode, ref: string | null, detail: string, body: unknown) {
    const id = await this.rejections.keep({ kind: 'green-inspection', code, ref, detail, body }, this.now());
    return new CentreError(code, detail, { rejectionId: id });
  }
}
