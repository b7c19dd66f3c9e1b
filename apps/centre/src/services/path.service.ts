import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';
import type { EvidenceService } from './evidence.service';
import { type FitDetail, type PassagesService, plateOf } from './passages.service';

/** A photo the centre holds, fetched by a station through `GET /photos/:id`; null when none was sent. */
export type PhotoRef = { id: string; source: 'lane' | 'gantry' } | null;

export interface PathPoint {
  station: string;
  stationHex: string | null;
  name: string | null;
  time: string | null;
  photo: PhotoRef;
}

export interface PathView {
  passId: string | null;
  plate: string | null;
  version: string;
  /** The fit's outcome: ok with the fee, or why there is no fitted path (only the observed passages). */
  fit:
    | { ok: true; fee: number; fee95: number; mileageM: number; fittedCount: number }
    | { ok: false; reason: string; special: number | null };
  entry: (PathPoint & { source: 'card' | 'stated' | 'lane-capture' | 'gantry' }) | null;
  gantries: {
    id: string;
    hex: string;
    time: string | null;
    /** The fee of the interval the gantry stands on (fen); null when the path was not fitted. */
    fee: number | null;
    observed: boolean;
    photo: PhotoRef;
  }[];
  exit: PathPoint | null;
}

export interface PathQuery {
  /** The exit, when the centre holds no record of it yet (a station asking while the vehicle waits). */
  exitStation?: string;
  exitTime?: string;
  entryStation?: string;
  vehicleClass?: number;
  plate?: string;
  colour?: number;
}

/**
 * The fitted path of a trip (#22 item 2) with its evidence: the entry, each gantry in order with its time,
 * fee and whether it was observed or fitted, the exit, and the photos the centre holds for each.
 */
export class PathService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly passages: PassagesService,
    private readonly evidence: EvidenceService,
  ) {}

  /** By PassID: the exit record the centre holds (else the query's exit), the passages of the pass. */
  async ofPass(passId: string, q: PathQuery = {}): Promise<PathView> {
    const rec = await this.db
      .selectFrom('exit_records')
      .select(['record_json'])
      .where('pass_id', '=', passId)
      .orderBy('ex_time', 'desc')
      .limit(1)
      .executeTakeFirst();
    const r = rec
      ? (JSON.parse(rec.record_json) as {
          enTollStationId?: string;
          enTime?: string;
          exTollStationId: string;
          exTime: string;
          vehicleType: number;
          vehicleId: string;
        })
      : undefined;
    const held = await this.passages.passagesOf(passId);
    if (!r && held.length === 0 && q.exitStation === undefined)
      throw new CentreError('CTR_ERR_PATH_NOT_FOUND', passId);
    const plate = q.plate ?? r?.vehicleId.split('_')[0];
    const entryStation = q.entryStation ?? r?.enTollStationId;
    const exitStation = q.exitStation ?? r?.exTollStationId;
    const exitTime = q.exitTime ?? r?.exTime;
    const vehicleClass = q.vehicleClass ?? r?.vehicleType ?? 1;
    const detail =
      exitStation === undefined || (entryStation === undefined && plate === undefined)
        ? undefined
        : await this.passages.fitDetail({
            passId,
            exitStation,
            vehicleClass,
            ...(entryStation !== undefined ? { entryStation } : {}),
            ...(exitTime !== undefined ? { exitTime } : {}),
            // The card's pass is the trip; the plate only names the entry when the card holds none.
            ...(entryStation === undefined && plate !== undefined && plateOf(plate) ? { plate } : {}),
          });
    const observedOnly = held.map((p) => ({ gantry: p.gantry, time: p.time, photoId: p.photoId }));
    return this.view({
      passId,
      plate: plate ?? null,
      detail,
      observedOnly,
      entryTime: r?.enTime ?? null,
      entryIsCard: r?.enTollStationId !== undefined && q.entryStation === undefined,
      exit: exitStation === undefined ? null : { station: exitStation, time: exitTime ?? null, photo: null },
    });
  }

  /** By plate: the trip ending before `before` (default now), its entry inferred like the online fee's. */
  async ofPlate(rawPlate: string, q: PathQuery & { before?: string } = {}): Promise<PathView> {
    const plate = plateOf(rawPlate);
    if (plate === undefined) throw new CentreError('CTR_ERR_REQ_INVALID', `plate: ${rawPlate} 不是有效车牌`);
    const before = q.before ?? q.exitTime;
    const to = before === undefined ? new Date() : new Date(before);
    if (Number.isNaN(to.getTime())) throw new CentreError('CTR_ERR_REQ_INVALID', 'before');
    const from = new Date(to.getTime() - 24 * 3_600_000).toISOString();
    const captures = await this.evidence.capturesOfPlate(plate, from, to.toISOString(), q.colour);
    const exitCapture = [...captures].reverse().find((c) => c.kind === 'exit');
    const exitStation = q.exitStation ?? exitCapture?.station;
    const exitTime = q.exitStation !== undefined ? to.toISOString() : (exitCapture?.time ?? to.toISOString());
    const observed = await this.passages.passagesOfPlate(plate, from, exitTime);
    if (captures.length === 0 && observed.length === 0)
      throw new CentreError('CTR_ERR_PATH_NOT_FOUND', `${plate}: 24 小时内没有抓拍和门架通行记录`);
    const detail =
      exitStation === undefined
        ? undefined
        : await this.passages.fitDetail({
            exitStation,
            exitTime,
            vehicleClass: q.vehicleClass ?? 1,
            plate,
            ...(q.entryStation !== undefined ? { entryStation: q.entryStation } : {}),
          });
    const entryCapture = [...captures]
      .reverse()
      .find((c) => c.kind === 'entry' && c.time <= exitTime && c.station === detail?.entry?.station);
    return this.view({
      passId: null,
      plate,
      detail,
      observedOnly: observed.map((p) => ({ gantry: p.gantry, time: p.time, photoId: p.photoId })),
      entryTime: null,
      entryIsCard: false,
      entryPhoto: entryCapture?.photoId ?? null,
      exit:
        exitStation === undefined
          ? null
          : {
              station: exitStation,
              time: exitTime,
              photo:
                exitCapture && exitCapture.station === exitStation && exitCapture.photoId
                  ? { id: exitCapture.photoId, source: 'lane' }
                  : null,
            },
    });
  }

  private view(v: {
    passId: string | null;
    plate: string | null;
    detail: FitDetail | undefined;
    observedOnly: { gantry: string; time: string; photoId: string | null }[];
    entryTime: string | null;
    entryIsCard: boolean;
    entryPhoto?: string | null;
    exit: { station: string; time: string | null; photo: PhotoRef } | null;
  }): PathView {
    const d = v.detail;
    const net = d?.network;
    const stationOf = (id: string) => {
      const i = net?.nodeIndex.get(id);
      const s = i === undefined ? undefined : net?.stations[i];
      return { stationHex: s?.hex ?? null, name: s?.name ?? null };
    };
    const photo = (id: string | null | undefined, source: 'lane' | 'gantry'): PhotoRef =>
      id ? { id, source } : null;
    const entry: PathView['entry'] =
      d?.entry === undefined
        ? null
        : {
            station: d.entry.station,
            ...stationOf(d.entry.station),
            time: d.entry.time ?? v.entryTime,
            photo: photo(v.entryPhoto, 'lane'),
            source: v.entryIsCard ? 'card' : d.entry.source,
          };
    const exit: PathView['exit'] = v.exit === null ? null : { ...v.exit, ...stationOf(v.exit.station) };
    const r = d?.result;
    if (!d || !r?.ok || !net) {
      // No fitted path: the observed passages, as the gantries reported them.
      return {
        passId: v.passId,
        plate: v.plate,
        version: d?.version ?? '',
        fit: {
          ok: false,
          reason: r && !r.ok ? r.reason : (d?.reason ?? '没有出口信息，只列出门架通行记录'),
          special: r && !r.ok ? r.special : null,
        },
        entry,
        gantries: v.observedOnly.map((p) => ({
          id: p.gantry,
          hex: net?.gantries[net.gantryIndex.get(p.gantry) ?? -1]?.hex ?? '',
          time: p.time,
          fee: null,
          observed: true,
          photo: photo(p.photoId, 'gantry'),
        })),
        exit,
      };
    }
    const feeOfInterval = new Map(r.intervals.map((id, i) => [id, r.intervalFees[i]!]));
    // Each observed pass is matched to the fitted gantry it names, in order (a gantry seen twice, twice).
    const passes = d.passes.map((p) => {
      const g = net.gantryIndex.get(p.gantry) ?? net.gantryByHex.get(p.gantry.toUpperCase());
      return { g: g === undefined ? undefined : net.gantries[g]!.id, time: p.time, photoId: p.photoId };
    });
    let next = 0;
    const gantries = r.gantries.map((g) => {
      const def = net.gantries[net.gantryIndex.get(g.id)!]!;
      let pass: (typeof passes)[number] | undefined;
      if (g.observed) {
        const k = passes.findIndex((p, i) => i >= next && p.g === g.id);
        if (k >= 0) {
          pass = passes[k];
          next = k + 1;
        }
      }
      return {
        id: g.id,
        hex: g.hex,
        time: pass?.time ?? null,
        fee: feeOfInterval.get(def.interval) ?? null,
        observed: g.observed,
        photo: photo(pass?.photoId, 'gantry'),
      };
    });
    return {
      passId: v.passId,
      plate: v.plate,
      version: d.version,
      fit: { ok: true, fee: r.fee, fee95: r.fee95, mileageM: r.mileageM, fittedCount: r.fittedCount },
      entry,
      gantries,
      exit,
    };
  }
}
