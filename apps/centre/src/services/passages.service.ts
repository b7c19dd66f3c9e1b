import { normalisePlate, PLATE_COLOURS, parsePassId, validatePlate } from '@tollpad/domain';
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
  /** The plate the gantry saw, when it reported one. */
  plate?: string;
}

export interface OnlineFeeInput {
  passId: string;
  entryStation: string;
  exitStation: string;
  vehicleClass: number;
  exitTime?: string;
  /** Gantries the station read from the OBU (EF04), merged with the passages the centre holds. */
  gantries?: readonly { gantry: string; time?: string }[];
  /**
   * The actual plate (a CPC's online fee is by plate, cpc-card.md §5.3 step 2): with no gantries sent, the
   * plate's passages before the exit are fitted too.
   */
  plate?: string;
}

export interface PassagesOptions extends FitOptions {
  /**
   * [P] How far before the exit a plate's passages count for its online fee (default 24 h, configurable):
   * the request names no entry time, and a window bounds the trip to the recent ones.
   */
  plateWindowHours?: number;
}

/** A plate in one of the national forms (of any colour), normalised; undefined when it is none. */
export function plateOf(raw: string): string | undefined {
  const plate = normalisePlate(raw);
  return [...PLATE_COLOURS.keys()].some((c) => validatePlate(plate, c).ok) ? plate : undefined;
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
    private readonly options: PassagesOptions = {},
  ) {}

  /** Stores passages; idempotent on (passId, time, gantry). Any unknown gantry refuses the whole batch. */
  async intake(batch: readonly PassageInput[]): Promise<{ accepted: number; duplicates: number }> {
    const rows: Database['gantry_passages'][] = [];
    const receivedAt = this.now().toISOString();
    for (const [i, p] of batch.entries()) {
      // A malformed plate is a malformed request (not a passage to keep for inquiry).
      if (p.plate !== undefined && plateOf(p.plate) === undefined)
        throw new CentreError('CTR_ERR_REQ_INVALID', `passages[${i}].plate: ${p.plate} 不是有效车牌`);
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
        plate: p.plate === undefined ? null : (plateOf(p.plate) ?? null),
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

  /** The passages reported with this plate in [from, to] (ISO), in time order (the plate index). */
  async passagesOfPlate(
    plate: string,
    from: string,
    to: string,
  ): Promise<{ gantry: string; gantryHex: string; time: string }[]> {
    const rows = await this.db
      .selectFrom('gantry_passages')
      .select(['gantry_id', 'gantry_hex', 'pass_time'])
      .where('plate', '=', plate)
      .where('pass_time', '>=', from)
      .where('pass_time', '<=', to)
      .orderBy('pass_time')
      .orderBy('gantry_id')
      .execute();
    return rows.map((r) => ({ gantry: r.gantry_id, gantryHex: r.gantry_hex, time: r.pass_time }));
  }

  /**
   * 省中心在线计费 (exitFeeType 4): path fitting (packages/tariff `fitPath`) over the passages held for
   * the PassID, merged with any the station sent, in time order, under the tariff in force at exit. A
   * request by plate that sends no gantries (a CPC whose card path cannot be used) also fits the plate's
   * passages of the window before the exit.
   */
  async onlineFee(req: OnlineFeeInput): Promise<OnlineFeeAnswer> {
    const exitTime = req.exitTime === undefined ? this.now() : new Date(req.exitTime);
    if (Number.isNaN(exitTime.getTime())) throw new CentreError('CTR_ERR_REQ_INVALID', 'exitTime');
    const plate = req.plate === undefined ? undefined : plateOf(req.plate);
    if (req.plate !== undefined && plate === undefined)
      throw new CentreError('CTR_ERR_REQ_INVALID', `plate: ${req.plate} 不是有效车牌`);
    const tariff = await this.tariffs.activeAt(exitTime);
    const held = await this.passagesOf(req.passId);
    if (plate !== undefined && (req.gantries ?? []).length === 0) {
      const windowMs = (this.options.plateWindowHours ?? 24) * 3_600_000;
      const from = new Date(exitTime.getTime() - windowMs).toISOString();
      held.push(...(await this.passagesOfPlate(plate, from, exitTime.toISOString())));
    }
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
      this.options,
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
