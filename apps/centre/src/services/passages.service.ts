import { normalisePlate, PLATE_COLOURS, parsePassId, validatePlate } from '@tollpad/domain';
import {
  type FitOptions,
  type FitResult,
  type FittedGantry,
  fitPath,
  type GantryPass,
} from '@tollpad/tariff';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import type { CompiledTariff, TariffService } from './tariff.service';
import { upstreamStation } from './upstream-station';

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
  /** The trip's PassID; none for a vehicle with no card (then the plate is the trip). */
  passId?: string;
  /** Absent for a vehicle with no card: the centre infers it from the plate (`EntrySource`). */
  entryStation?: string;
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

/** Where an entry the request did not name was found: the plate's entry-lane capture, or its first gantry. */
export type EntrySource = 'lane-capture' | 'gantry';

export interface InferredEntry {
  /** 14-char station ID (what the station's online-fee request names entries by). */
  station: string;
  /** ISO-8601: the capture's time, or the first gantry passage's. */
  time: string;
  source: EntrySource;
  /** The capture or passage it was inferred from. */
  laneId?: string;
  photoId?: string | null;
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
      entryStation?: string;
      entrySource?: EntrySource;
    }
  | {
      ok: false;
      level: 'province';
      /** The fit's outcome code; absent when there was nothing to fit (a plate the centre never saw). */
      special?: 66 | 67 | 68;
      /** True when the request named no entry and the centre holds nothing of the plate in the window. */
      plateUnknown?: true;
      reason: string;
      passagesUsed: number;
      version: string;
      entryStation?: string;
      entrySource?: EntrySource;
    };

/** A fit and what went into it (the path view shows the same fit the fee was charged by). */
export interface FitDetail {
  version: string;
  network: CompiledTariff['network'];
  entry: { station: string; time?: string; source: EntrySource | 'stated' } | undefined;
  /** The gantry passes fitted, time-ordered, with the passage's photo when the centre holds one. */
  passes: { gantry: string; time?: string; photoId?: string | null }[];
  result: FitResult | undefined;
  /** Why there was nothing to fit (a plate never seen), when `result` is undefined. */
  reason?: string;
}

/** A held passage as the routes show it. */
export interface PassageRow {
  gantry: string;
  gantryHex: string;
  time: string;
  photoId: string | null;
}

const passageRow = (r: {
  gantry_id: string;
  gantry_hex: string;
  pass_time: string;
  photo_id: string | null;
}): PassageRow => ({ gantry: r.gantry_id, gantryHex: r.gantry_hex, time: r.pass_time, photoId: r.photo_id });

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
        photo_id: null,
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

  async passagesOf(passId: string): Promise<PassageRow[]> {
    const rows = await this.db
      .selectFrom('gantry_passages')
      .select(['gantry_id', 'gantry_hex', 'pass_time', 'photo_id'])
      .where('pass_id', '=', passId)
      .orderBy('pass_time')
      .orderBy('gantry_id')
      .execute();
    return rows.map(passageRow);
  }

  /** The passages reported with this plate in [from, to] (ISO), in time order (the plate index). */
  async passagesOfPlate(plate: string, from: string, to: string): Promise<PassageRow[]> {
    const rows = await this.db
      .selectFrom('gantry_passages')
      .select(['gantry_id', 'gantry_hex', 'pass_time', 'photo_id'])
      .where('plate', '=', plate)
      .where('pass_time', '>=', from)
      .where('pass_time', '<=', to)
      .orderBy('pass_time')
      .orderBy('gantry_id')
      .execute();
    return rows.map(passageRow);
  }

  /** The most recent entry-lane capture of the plate in [from, to], when a lane saw it. */
  async latestEntryCapture(plate: string, from: string, to: string): Promise<InferredEntry | undefined> {
    const row = await this.db
      .selectFrom('lane_captures')
      .select(['station_id', 'lane_id', 'capture_time', 'photo_id'])
      .where('plate', '=', plate)
      .where('capture_time', '>=', from)
      .where('capture_time', '<=', to)
      .where('kind', '=', 'entry')
      .orderBy('capture_time', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      station: row.station_id,
      time: row.capture_time,
      source: 'lane-capture',
      laneId: row.lane_id,
      photoId: row.photo_id,
    };
  }

  /**
   * Fits a trip: the entry stated, else inferred from the plate (its latest entry-lane capture in the window,
   * else the station upstream of its first gantry [P]), and the passages held for the PassID and the plate
   * (after the inferred entry), merged with the gantries the station sent, in time order.
   */
  async fitDetail(req: OnlineFeeInput): Promise<FitDetail> {
    const exitTime = req.exitTime === undefined ? this.now() : new Date(req.exitTime);
    if (Number.isNaN(exitTime.getTime())) throw new CentreError('CTR_ERR_REQ_INVALID', 'exitTime');
    const plate = req.plate === undefined ? undefined : plateOf(req.plate);
    if (req.plate !== undefined && plate === undefined)
      throw new CentreError('CTR_ERR_REQ_INVALID', `plate: ${req.plate} 不是有效车牌`);
    if (req.entryStation === undefined && plate === undefined)
      throw new CentreError(
        'CTR_ERR_REQ_INVALID',
        'entryStation 与 plate 至少给出一项（无卡车辆按车牌计费）',
      );
    const tariff = await this.tariffs.activeAt(exitTime);
    const held = req.passId === undefined ? [] : await this.passagesOf(req.passId);
    const hours = this.options.plateWindowHours ?? 24;
    const windowFrom = new Date(exitTime.getTime() - hours * 3_600_000).toISOString();
    const to = exitTime.toISOString();
    let entry: FitDetail['entry'] =
      req.entryStation === undefined ? undefined : { station: req.entryStation, source: 'stated' };
    let from = windowFrom;
    if (entry === undefined && plate !== undefined) {
      const captured = await this.latestEntryCapture(plate, windowFrom, to);
      if (captured) {
        entry = { station: captured.station, time: captured.time, source: 'lane-capture' };
        from = captured.time;
      }
    }
    if (plate !== undefined && (req.gantries ?? []).length === 0)
      held.push(...(await this.passagesOfPlate(plate, from, to)));
    const merged = new Map<string, GantryPass & { at: number; photoId?: string | null }>();
    for (const p of held)
      merged.set(`${p.time}|${p.gantry}`, {
        gantry: p.gantry,
        time: new Date(p.time),
        at: Date.parse(p.time),
        photoId: p.photoId ?? null,
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
    const ordered = [...merged.values()].sort((a, b) => a.at - b.at);
    const passes = ordered.map((p) => ({
      gantry: p.gantry,
      ...(p.time ? { time: p.time.toISOString() } : {}),
      ...(p.photoId !== undefined ? { photoId: p.photoId } : {}),
    }));
    if (entry === undefined) {
      // [P] Seen by gantries only: the station upstream of the first gantry is taken as the entry.
      const first = ordered[0];
      const idx = first === undefined ? undefined : upstreamStation(tariff.network, first.gantry);
      if (first === undefined || idx === undefined) {
        return {
          version: tariff.version,
          network: tariff.network,
          entry: undefined,
          passes,
          result: undefined,
          reason:
            first === undefined
              ? `省中心 ${hours} 小时内没有车牌 ${plate} 的入口抓拍和门架通行记录，请按司机所述入口或最远路径计费`
              : `车牌 ${plate} 的首个门架 ${first.gantry} 上游没有收费站，请按司机所述入口或最远路径计费`,
        };
      }
      entry = {
        station: tariff.network.stations[idx]!.id,
        ...(first.time ? { time: first.time.toISOString() } : {}),
        source: 'gantry',
      };
    }
    const result = fitPath(
      tariff.tables,
      {
        entryStation: entry.station,
        exitStation: req.exitStation,
        vehicleClass: req.vehicleClass,
        gantries: ordered.map(({ at: _at, photoId: _p, ...g }) => g),
      },
      this.options,
    );
    return { version: tariff.version, network: tariff.network, entry, passes, result };
  }

  /**
   * 省中心在线计费 (exitFeeType 4): path fitting (packages/tariff `fitPath`) over the passages held for
   * the PassID, merged with any the station sent, in time order, under the tariff in force at exit. A
   * request by plate that sends no gantries (a CPC whose card path cannot be used) also fits the plate's
   * passages of the window before the exit; one with no entry (a vehicle with no card) infers it.
   */
  async onlineFee(req: OnlineFeeInput): Promise<OnlineFeeAnswer> {
    const d = await this.fitDetail(req);
    const inferred =
      d.entry !== undefined && d.entry.source !== 'stated'
        ? { entryStation: d.entry.station, entrySource: d.entry.source }
        : {};
    const r = d.result;
    if (r === undefined) {
      return {
        ok: false,
        level: 'province',
        plateUnknown: true,
        reason: d.reason ?? '',
        passagesUsed: d.passes.length,
        version: d.version,
      };
    }
    if (!r.ok) {
      return {
        ok: false,
        level: 'province',
        special: r.special,
        reason: r.reason,
        passagesUsed: d.passes.length,
        version: d.version,
        ...inferred,
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
      passagesUsed: d.passes.length,
      version: r.version,
      ...inferred,
    };
  }
}
