import { formatPassId } from '@tollpad/domain';
import type { ExitPath, PathPhoto } from '@tollpad/station-api';
import type { Network } from '@tollpad/tariff';
import type { Kysely } from 'kysely';
import type { Database, ExitTxnRow } from '../db/schema';
import { StationError } from '../errors';
import type { CentrePath, CentrePathPort, CentrePathQuery, PathAnswer } from '../ports/centre-path';
import type { Principal } from './auth.service';
import type { ConfigService } from './config.service';
import type { ImageService } from './image.service';
import { readJsonColumn } from './json-columns';

/** [P] How long the collector waits for the centre's path before the station's own is shown. */
export const PATH_TIMEOUT_MS = 1_500;
/** [P] How long a photo may take to come from the centre. */
export const PATH_PHOTO_TIMEOUT_MS = 3_000;
/** [P] A path is reused this long (the panel opened again, each photo checked against it). */
export const PATH_CACHE_MS = 30_000;
/** The largest photo the centre stores (its JPEG bound, 512 KiB [P]); a larger answer is refused. */
export const PATH_PHOTO_MAX_BYTES = 512 * 1024;
/** [P] Bytes of centre photos kept in memory (content-addressed, so never stale). */
const PHOTO_CACHE_BYTES = 16 * 1024 * 1024;
/** Bound on cached paths (a plaza's worth of recent exits). */
const PATH_CACHE_MAX = 500;

/** The exit's row and what it names, as the path needs it. */
export interface ExitLookup {
  /** The transaction if the caller may see it (collector: own terminal and shift; monitor: any). */
  read(p: Principal, id: string): Promise<ExitTxnRow>;
}

export interface PathDeps {
  exits: ExitLookup;
  db: Kysely<Database>;
  config: Pick<ConfigService, 'station'>;
  network: () => Network;
  images: Pick<ImageService, 'bytes'>;
  port: CentrePathPort | undefined;
  now: () => Date;
  timeoutMs?: number;
  photoTimeoutMs?: number;
  cacheMs?: number;
}

/** What the read_json of each medium holds that the path uses (media/etc.ts, cpc.ts, none.ts). */
interface ReadFacts {
  card?: {
    cardNet?: string;
    cardId?: string;
    entry?: { stationHex?: string; station?: string; time?: string; entryTime?: string } | null;
    sys?: { cpcId?: string };
    pass?: { gantries?: string[]; latestGantry?: string; latestTime?: string | null };
    statedEntry?: { station: string; hex: string; name: string } | null;
  };
  usableEntry?: { station: string; time: string } | null;
}

const NOTE_UNREACHABLE = '省中心暂时无法连接：仅显示本站所知的路径（卡内入口与门架），无门架时间、费用和照片';
const NOTE_NOT_FOUND = '省中心没有该车的通行记录：仅显示本站所知的路径（卡内入口与门架）';

/**
 * 通行路径 of an exit (#22 item 2): the centre's fitted path with its photos for the exit's PassID (a no-card
 * exit: for its plate), plus the photo the station itself holds (the collector's at 【提交图片数据】), each node
 * placed on the network's map. The centre unreachable, slow or without the trip → what the station knows,
 * marked `source: 'station'` — never an error. Photos pass through only when their ref is on the path.
 */
export class PathService {
  private readonly paths = new Map<string, { at: number; value: ExitPath }>();
  private readonly photos = new Map<string, Buffer>();
  private photoBytes = 0;

  constructor(private readonly d: PathDeps) {}

  async ofExit(p: Principal, id: string): Promise<ExitPath> {
    const t = await this.d.exits.read(p, id);
    const cached = this.paths.get(t.id);
    if (cached && this.d.now().getTime() - cached.at < (this.d.cacheMs ?? PATH_CACHE_MS)) return cached.value;
    const value = await this.build(t);
    if (this.paths.size >= PATH_CACHE_MAX) this.paths.delete(this.paths.keys().next().value as string);
    this.paths.set(t.id, { at: this.d.now().getTime(), value });
    return value;
  }

  /** A photo of the exit's path: refused unless the ref is one of the path's (the caller must own the exit). */
  async photo(p: Principal, id: string, ref: string): Promise<{ mime: string; bytes: Buffer }> {
    const path = await this.ofExit(p, id);
    const refs = [path.entry?.photo, path.exit?.photo, ...path.gantries.map((g) => g.photo)];
    if (!refs.some((r) => r?.ref === ref)) throw new StationError('STN_ERR_PATH_PHOTO_UNKNOWN', ref);
    const key = ref.slice(2);
    if (ref.startsWith('s-')) return this.d.images.bytes(key, 'original');
    const hit = this.photos.get(key);
    if (hit) return { mime: 'image/jpeg', bytes: hit };
    if (!this.d.port) throw new StationError('STN_ERR_PATH_PHOTO_UNAVAILABLE', 'CENTRE_URL not set');
    const r = await this.d.port.photo(
      key,
      PATH_PHOTO_MAX_BYTES,
      AbortSignal.timeout(this.d.photoTimeoutMs ?? PATH_PHOTO_TIMEOUT_MS),
    );
    if (!r.ok) throw new StationError('STN_ERR_PATH_PHOTO_UNAVAILABLE', r.reason);
    this.keepPhoto(key, r.bytes);
    return { mime: 'image/jpeg', bytes: r.bytes };
  }

  private keepPhoto(key: string, bytes: Buffer): void {
    while (this.photoBytes + bytes.length > PHOTO_CACHE_BYTES && this.photos.size > 0) {
      const [oldest, b] = this.photos.entries().next().value as [string, Buffer];
      this.photos.delete(oldest);
      this.photoBytes -= b.length;
    }
    this.photos.set(key, bytes);
    this.photoBytes += bytes.length;
  }

  private async build(t: ExitTxnRow): Promise<ExitPath> {
    const read = readJsonColumn<ReadFacts>(t.read_json);
    const station = await this.d.config.station();
    const rec = await this.d.db
      .selectFrom('exit_records')
      .select(['pass_id', 'ex_time'])
      .where('txn_id', '=', t.id)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const exitTime = rec?.ex_time ?? this.d.now().toISOString();
    const passId = rec && !rec.pass_id.startsWith('03') ? rec.pass_id : passIdOf(t.medium, read);
    const entry = entryOf(t.medium, read);
    const q: CentrePathQuery = {
      exitStation: station?.stationId ?? t.lane_id.slice(0, 14),
      exitTime,
      // The card's entry, as the 14-char station ID the centre's records use (the card holds the HEX).
      ...(entry && entry.source === 'card'
        ? { entryStation: stationIdOf(this.d.network(), entry.station) ?? entry.station }
        : {}),
      ...(t.vehicle_class !== null ? { vehicleClass: t.vehicle_class } : {}),
      ...(t.plate !== null ? { plate: t.plate } : {}),
      ...(t.plate_colour !== null ? { colour: t.plate_colour } : {}),
    };
    const signal = AbortSignal.timeout(this.d.timeoutMs ?? PATH_TIMEOUT_MS);
    let answer: PathAnswer | undefined;
    if (this.d.port && passId) answer = await this.d.port.ofPass(passId, q, signal);
    // No card names the trip (or the centre holds nothing of the pass): the plate's latest trip.
    if (this.d.port && t.plate !== null && (!answer || (!answer.ok && answer.notFound)))
      answer = await this.d.port.ofPlate(t.plate, q, signal);
    const exitPhoto: PathPhoto | null = t.photo_sha256
      ? { ref: `s-${t.photo_sha256}`, source: 'exit' }
      : null;
    const net = this.d.network();
    const exitPoint = {
      station: q.exitStation,
      stationHex: station?.stationHex ?? null,
      name: station?.name ?? null,
      time: rec?.ex_time ?? null,
      photo: exitPhoto,
      at: stationAt(net, q.exitStation),
    };
    if (answer?.ok) return this.fromCentre(t, answer.value, exitPoint, net, entry?.source === 'card');
    return {
      exitId: t.id,
      source: 'station',
      note: answer && !answer.ok && answer.notFound ? NOTE_NOT_FOUND : NOTE_UNREACHABLE,
      passId: passId ?? rec?.pass_id ?? null,
      plate: t.plate,
      version: null,
      fit: null,
      entry: entry
        ? {
            station: stationIdOf(net, entry.station) ?? entry.station,
            stationHex: stationHexOf(net, entry.station),
            name: stationNameOf(net, entry.station),
            time: entry.time,
            photo: null,
            at: stationAt(net, entry.station),
            source: entry.source,
          }
        : null,
      gantries: (read.card?.pass?.gantries ?? []).map((hex) => ({
        id: gantryIdOf(net, hex) ?? hex,
        hex,
        time: hex === read.card?.pass?.latestGantry ? (read.card.pass.latestTime ?? null) : null,
        fee: null,
        // Written on the card by the gantry as the vehicle passed.
        observed: true,
        photo: null,
        at: gantryAt(net, hex),
      })),
      exit: exitPoint,
    };
  }

  private fromCentre(
    t: ExitTxnRow,
    c: CentrePath,
    exit: ExitPath['exit'],
    net: Network,
    /** The entry the station sent is the card's (the centre calls any entry it is told 'stated'). */
    cardEntry: boolean,
  ): ExitPath {
    const photo = (p: CentrePath['gantries'][number]['photo']): PathPhoto | null =>
      p ? { ref: `c-${p.id}`, source: p.source } : null;
    return {
      exitId: t.id,
      source: 'centre',
      note: null,
      passId: c.passId,
      plate: c.plate ?? t.plate,
      version: c.version,
      fit: c.fit,
      entry: c.entry
        ? {
            ...c.entry,
            station: stationIdOf(net, c.entry.station) ?? c.entry.station,
            stationHex: c.entry.stationHex ?? stationHexOf(net, c.entry.station),
            name: c.entry.name ?? stationNameOf(net, c.entry.station),
            source: cardEntry && c.entry.source === 'stated' ? 'card' : c.entry.source,
            photo: photo(c.entry.photo),
            at: stationAt(net, c.entry.station),
          }
        : null,
      gantries: c.gantries.map((g) => ({ ...g, photo: photo(g.photo), at: gantryAt(net, g.hex) })),
      // The station's own photo of the vehicle at this exit, else the exit lane's capture at the centre.
      exit: exit && { ...exit, photo: exit.photo ?? (c.exit ? photo(c.exit.photo) : null) },
    };
  }
}

/** The PassID a card names before the exit is committed: an ETC card's or a live CPC's entry (media/*.ts). */
function passIdOf(medium: string, read: ReadFacts): string | null {
  const card = read.card;
  if (medium === 'etc' && card?.entry?.time && card.cardNet && card.cardId)
    return formatPassId({
      media: 'card',
      cardNetwork: card.cardNet,
      cardNo: card.cardId.slice(4),
      entryTime: new Date(card.entry.time),
    });
  if (medium === 'cpc' && read.usableEntry && card?.sys?.cpcId && card.entry?.entryTime)
    return formatPassId({
      media: 'cpc',
      cpcId: card.sys.cpcId.toUpperCase(),
      entryTime: new Date(card.entry.entryTime),
    });
  return null;
}

/** The entry the station itself knows: the card's, or the no-card driver's stated entry. */
function entryOf(
  medium: string,
  read: ReadFacts,
): { station: string; time: string | null; source: 'card' | 'stated' } | null {
  if (medium === 'etc' && read.card?.entry?.stationHex)
    return { station: read.card.entry.stationHex, time: read.card.entry.time ?? null, source: 'card' };
  if (medium === 'cpc' && read.usableEntry)
    return { station: read.usableEntry.station, time: read.usableEntry.time, source: 'card' };
  if (medium === 'none' && read.card?.statedEntry)
    return { station: read.card.statedEntry.station, time: null, source: 'stated' };
  return null;
}

const stationIndex = (net: Network, idOrHex: string): number | undefined =>
  net.nodeIndex.get(idOrHex) ?? net.stationByHex.get(idOrHex.toUpperCase());
const stationIdOf = (net: Network, s: string) => {
  const i = stationIndex(net, s);
  return i === undefined ? null : (net.stations[i]?.id ?? null);
};
const stationHexOf = (net: Network, s: string) => {
  const i = stationIndex(net, s);
  return i === undefined ? null : (net.stations[i]?.hex ?? null);
};
const stationNameOf = (net: Network, s: string) => {
  const i = stationIndex(net, s);
  return i === undefined ? null : (net.stations[i]?.name ?? null);
};
function stationAt(net: Network, s: string): { x: number; y: number } | null {
  const i = stationIndex(net, s);
  return i === undefined ? null : (net.nodePositions[i] ?? null);
}
const gantryIdOf = (net: Network, hex: string) => {
  const g = net.gantryByHex.get(hex.toUpperCase());
  return g === undefined ? null : (net.gantries[g]?.id ?? null);
};
/** A gantry stands on its interval: drawn halfway between the interval's two nodes. */
function gantryAt(net: Network, hex: string): { x: number; y: number } | null {
  const g = net.gantryByHex.get(hex.toUpperCase());
  if (g === undefined) return null;
  const e = net.gantryEdge[g]!;
  const a = net.nodePositions[net.edgeFrom[e]!];
  const b = net.nodePositions[net.edgeTo[e]!];
  return a && b ? { x: Math.round((a.x + b.x) / 2), y: Math.round((a.y + b.y) / 2) } : null;
}
