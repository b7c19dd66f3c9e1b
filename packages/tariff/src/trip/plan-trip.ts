import { err, ok, parseGantryId, type Result } from '@tollpad/domain';
import { CLASS_COUNT, classIndex } from '../classes';
import { TariffError } from '../errors';
import { Search, stationIndexOf } from '../min-fee';
import type { Network } from '../network';

/** One gantry of a planned trip, as a synthetic gantry writer (CPC EF02/EF04, ETC 0019) takes it. */
export interface TripPass {
  gantryId: string;
  gantryHex: string;
  /** The EF04 province byte of the gantry (0x37, 0x61, …). */
  province: number;
  /** Whole seconds (card times have no milliseconds). */
  time: Date;
  /** This gantry's fee for the class, fen: its interval's fee (the passes add up to the path's fee). */
  fee: number;
  mileageM: number;
  /** A province-border gantry (省界门架, the tariff marks it). */
  border?: boolean;
}

export interface PlannedTrip {
  entryStationId: string;
  entryStationHex: string;
  exitStationId: string;
  exitStationHex: string;
  /** Whole seconds. */
  entryTime: Date;
  passes: TripPass[];
}

export interface TripRequest {
  /** Exit station: 14-char ID or 8-hex. */
  exitStation: string;
  /** Enter this many stations back along the exit's road (0 = the exit itself: a U-turn)… */
  offset: number;
  /** …or at this station (14-char ID or 8-hex, e.g. the neighbour province's 61010203): the tariff must hold it. */
  entryStation?: string;
  vehicleClass: number;
  entryTime: Date;
  exitTime: Date;
  /** The province byte of a gantry whose ID names none; without it such a gantry is an error. */
  fallbackProvince?: number;
}

/**
 * [P] the synthetic province's layout (generate.ts): station HEX = network ‖ road ‖ sequence, so the station
 * `offset` back on the exit's road is the same HEX with the sequence moved (forward when the road ends).
 */
export function roadStationHex(exitHex: string, offset: number): string {
  const seq = Number.parseInt(exitHex.slice(6, 8), 16) || 1;
  const next = seq - offset >= 1 ? seq - offset : seq + offset;
  return `${exitHex.slice(0, 6)}${next.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * [I] cpc-card.md §2.6: a gantry's EF04 province byte is the BCD-style code of its province, the two digits
 * after the route in its ID (G9001 37 … → 0x37, G9801 61 … → 0x61).
 */
function provinceByte(gantryId: string, fallback: number | undefined): Result<number, TariffError> {
  const id = parseGantryId(gantryId);
  if (id.ok) return ok(Number.parseInt(id.value.province, 16));
  if (fallback !== undefined) return ok(fallback);
  return err(
    new TariffError('TARIFF_UNKNOWN_GANTRY', 0, 'gantry', `门架 ${gantryId} 不含省份：${id.error.reason}`),
  );
}

const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/**
 * A simulated trip through the tariff network (TEST data for the trip CLI and the handheld's training
 * cards): the entry, the cheapest path for the class (ties by the shorter one, as the minimum-fee tables),
 * and one pass per gantry on it with its province, its interval's fee and length, and a time spread evenly
 * between entry and exit. An interval with several gantries gives its fee and length to the first.
 * A path from another province crosses the border gantries and each gantry names its own province.
 */
export function planTrip(net: Network, o: TripRequest): Result<PlannedTrip, TariffError> {
  const to = stationIndexOf(net, o.exitStation);
  const exit = net.stations[to];
  if (!exit)
    return err(new TariffError('TARIFF_UNKNOWN_STATION', 0, 'exitStation', `未知出口站 ${o.exitStation}`));
  const entryKey = o.entryStation ?? roadStationHex(exit.hex, o.offset);
  const from = stationIndexOf(net, entryKey);
  const entry = net.stations[from];
  if (!entry)
    return err(new TariffError('TARIFF_UNKNOWN_STATION', 0, 'entryStation', `未知入口站 ${entryKey}`));
  const c = classIndex(o.vehicleClass);
  if (c < 0)
    return err(new TariffError('TARIFF_UNKNOWN_CLASS', 0, 'vehicleClass', `未知车型 ${o.vehicleClass}`));

  const edges: number[] = [];
  if (from !== to) {
    const search = new Search(net.nodeCount);
    search.run(net, from, c, net.edgeFee);
    for (let v = to; v !== from; ) {
      const e = search.pred[v] ?? -1;
      if (e < 0)
        return err(
          new TariffError('TARIFF_UNKNOWN_STATION', 0, 'exitStation', `${entry.id} 到 ${exit.id} 不可达`),
        );
      edges.unshift(e);
      v = net.edgeFrom[e] ?? from;
    }
  }
  const onPath = edges.flatMap((e) => (net.edgeGantries[e] ?? []).map((g, k) => ({ e, g, first: k === 0 })));
  const entryTime = wholeSeconds(o.entryTime.getTime());
  const span = o.exitTime.getTime() - entryTime.getTime();
  const passes: TripPass[] = [];
  for (const [i, { e, g, first }] of onPath.entries()) {
    const gantry = net.gantries[g];
    if (!gantry) continue;
    const province = provinceByte(gantry.id, o.fallbackProvince);
    if (!province.ok) return province;
    passes.push({
      gantryId: gantry.id,
      gantryHex: gantry.hex,
      province: province.value,
      time: wholeSeconds(entryTime.getTime() + (span * (i + 1)) / (onPath.length + 1)),
      fee: first ? (net.edgeFee[e * CLASS_COUNT + c] ?? 0) : 0,
      mileageM: first ? (net.edgeLength[e] ?? 0) : 0,
      ...(net.borderGantryHex.has(gantry.hex) ? { border: true } : {}),
    });
  }
  return ok({
    entryStationId: entry.id,
    entryStationHex: entry.hex,
    exitStationId: exit.id,
    exitStationHex: exit.hex,
    entryTime,
    passes,
  });
}
