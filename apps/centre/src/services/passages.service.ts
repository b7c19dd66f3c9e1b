import { parsePassId } from '@tollpad/domain';
import { type FitOptions, type FittedGantry, fitPath, type GantryPass } from '@tollpad/tariff';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import type { TariffService } from './tariff.service';

export interface PassageInput {
  passId: string;
  /** 19-char gantry ID or 6-char gantry hex. */
  gantry: string;
  /** ISO-8601. */
  time: string;
  vehicleClass?: number;
}

export interface OnlineFeeInput {
  passId: string;
  entryStation: string;
  exitStation: string;
  vehicleClass: number;
  exitTime?: string;
  /** Gantries the station read from the OBU (EF04), merged with the passages the centre holds. */
  gantries?: readonly { gantry: string; time?: string }[];
}

export type OnlineFeeAnswer =
  | {
      ok: true;
      level: 'province';
      exitFeeType: 4;
      fee: number;
      fee95: number;
      mileageM: number;
      intervals: string[];
      intervalFees: number[];
      intervalFees95: number[];
      gantries: FittedGantry[];
      fittedCount: number;
      passagesUsed: number;
      version: string;
    }
  | {
      ok: false;
      level: 'province';
      special: 66 | 67 | 68;
      reason: string;
      passagesUsed: number;
      version: string;
    };

/** Gantry passage intake (the demo's simulated trips post them) and the online fee over them. */
export class PassagesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tariffs: TariffService,
    private readonly rejections: RejectionsRepository,
    private readonly now: () => Date,
    private readonly fitOptions: FitOptions = {},
  ) {}

  /** Stores passages; idempotent on (passId, time, gantry). Any unknown gantry refuses the whole batch. */
  async intake(batch: readonly PassageInput[]): Promise<{ accepted: number; duplicates: number }> {
    const rows: Database['gantry_passages'][] = [];
    const receivedAt = this.now().toISOString();
    for (const [i, p] of batch.entries()) {
      const g = this.tariffs.gantry(p.gantry);
      const time = new Date(p.time);
      const pass = parsePassId(p.passId);
      let problem: string | undefined;
      if (!pass.ok) problem = `passages[${i}].passId: ${pass.error.reason}`;
      else if (Number.isNaN(time.getTime())) problem = `passages[${i}].time: not a date`;
      else if (!g) problem = `passages[${i}].gantry: ${p.gantry} 不在路网中`;
      if (problem !== undefined || !g) {
        const id = await this.rejections.keep(
          {
            kind: 'gantry',
            code: 'CTR_ERR_GANTRY_UNKNOWN',
            ref: p.passId,
            detail: problem ?? '',
            body: batch,
          },
          this.now(),
        );
        throw new CentreError('CTR_ERR_GANTRY_UNKNOWN', problem, { rejectionId: id });
      }
      rows.push({
        pass_id: p.passId,
        gantry_id: g.id,
        gantry_hex: g.hex,
        pass_time: time.toISOString(),
        vehicle_class: p.vehicleClass ?? null,
        received_at: receivedAt,
      });
    }
    if (rows.length === 0) return { accepted: 0, duplicates: 0 };
    const inserted = await this.db
      .insertInto('gantry_passages')
      .values(rows)
      .onConflict((oc) => oc.columns(['pass_id', 'pass_time', 'gantry_id']).doNothing())
      .returning('pass_id')
      .execute();
    return { accepted: inserted.length, duplicates: rows.length - inserted.length };
  }

  async passagesOf(passId: string): Promise<{ gantry: string; gantryHex: string; time: string }[]> {
    const rows = await this.db
      .selectFrom('gantry_passages')
      .select(['gantry_id', 'gantry_hex', 'pass_time'])
      .where('pass_id', '=', passId)
      .orderBy('pass_time')
      .orderBy('gantry_id')
      .execute();
    return rows.map((r) => ({ gantry: r.gantry_id, gantryHex: r.gantry_hex, time: r.pass_time }));
  }

  /**
   * 省中心在线计费 (exitFeeType 4): path fitting (packages/tariff `fitPath`) over the passages held for
   * the PassID, merged with any the station sent, in time order, under the tariff in force at exit.
   */
  async onlineFee(req: OnlineFeeInput): Promise<OnlineFeeAnswer> {
    const exitTime = req.exitTime === undefined ? this.now() : new Date(req.exitTime);
    if (Number.isNaN(exitTime.getTime())) throw new CentreError('CTR_ERR_REQ_INVALID', 'exitTime');
    const tariff = await this.tariffs.activeAt(exitTime);
    const held = await this.passagesOf(req.passId);
    const merged = new Map<string, GantryPass & { at: number }>();
    for (const p of held)
      merged.set(`${p.time}|${p.gantry}`, {
        gantry: p.gantry,
        time: new Date(p.time),
        at: Date.parse(p.time),
      });
    for (const g of req.gantries ?? []) {
      const known = this.tariffs.gantry(g.gantry);
      const id = known?.id ?? g.gantry;
      const at = g.time === undefined ? Number.NaN : Date.parse(g.time);
      const key = `${Number.isNaN(at) ? '' : new Date(at).toISOString()}|${id}`;
      if (!merged.has(key)) {
        merged.set(
          key,
          Number.isNaN(at)
            ? { gantry: id, at: Number.POSITIVE_INFINITY }
            : { gantry: id, time: new Date(at), at },
        );
      }
    }
    const gantries = [...merged.values()].sort((a, b) => a.at - b.at).map(({ at: _at, ...g }) => g);
    const r = fitPath(
      tariff.tables,
      {
        entryStation: req.entryStation,
        exitStation: req.exitStation,
        vehicleClass: req.vehicleClass,
        gantries,
      },
      this.fitOptions,
    );
    if (!r.ok) {
      return {
        ok: false,
        level: 'province',
        special: r.special,
        reason: r.reason,
        passagesUsed: gantries.length,
        version: tariff.version,
      };
    }
    return {
      ok: true,
      level: 'province',
      exitFeeType: 4,
      fee: r.fee,
      fee95: r.fee95,
      mileageM: r.mileageM,
      intervals: [...r.intervals],
      intervalFees: [...r.intervalFees],
      intervalFees95: [...r.intervalFees95],
      gantries: r.gantries.map((g) => ({ ...g })),
      fittedCount: r.fittedCount,
      passagesUsed: gantries.length,
      version: r.version,
    };
  }
}
