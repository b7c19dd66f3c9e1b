import { parseGantryId } from '@tollpad/domain';
import { classIndex, compileNetwork, generateProvince, type Network } from '@tollpad/tariff';
import { entryStationHex } from './training-cards';

/** One gantry of the planned trip, as the synthetic gantry writer takes it. */
export interface PlannedPass {
  gantryHex: string;
  province: number;
  time: Date;
  /** This gantry's fee for the class, fen: the path's passes add up to the minimum fee M. */
  fee: number;
  mileageM: number;
  /** A province-border gantry (the tariff marks it). */
  border?: boolean;
}

export interface PlannedCpcTrip {
  entryStationHex: string;
  entryTime: Date;
  passes: PlannedPass[];
}

const CLASSES = 16;
let network: Network | null = null;

/**
 * [P] training convenience: the station's synthetic province (SYNTHETIC TEST DATA, @tollpad/tariff's default
 * seed, what the station uses without a TARIFF_FILE), compiled once in the page. A station on another tariff
 * gets training CPCs whose path its tariff does not know: the fee then falls back like any unknown path.
 */
function syntheticNetwork(): Network {
  if (network) return network;
  const r = compileNetwork(generateProvince({}));
  if (!r.ok) throw new Error('synthetic TEST province did not compile');
  network = r.value;
  return network;
}

/** Edge indices of the cheapest path from → to for class index c (one Dijkstra from the entry). */
function cheapestPath(net: Network, from: number, to: number, c: number): number[] {
  const n = net.nodeCount;
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const via = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  dist[from] = 0;
  // The synthetic province has a few hundred nodes: a linear scan for the next node is enough.
  for (;;) {
    let u = -1;
    for (let v = 0; v < n; v++) if (!done[v] && (u < 0 || (dist[v] ?? 0) < (dist[u] ?? 0))) u = v;
    if (u < 0 || dist[u] === Number.POSITIVE_INFINITY || u === to) break;
    done[u] = 1;
    for (let k = net.outStart[u] ?? 0; k < (net.outStart[u + 1] ?? 0); k++) {
      const e = net.outEdges[k] ?? 0;
      const w = (dist[u] ?? 0) + (net.edgeFee[e * CLASSES + c] ?? 0);
      const v = net.edgeTo[e] ?? 0;
      if (w < (dist[v] ?? 0)) {
        dist[v] = w;
        via[v] = e;
      }
    }
  }
  const path: number[] = [];
  for (let v = to; v !== from; ) {
    const e = via[v] ?? -1;
    if (e < 0) return [];
    path.unshift(e);
    v = net.edgeFrom[e] ?? from;
  }
  return path;
}

/**
 * [I] cpc-card.md §2.6: a gantry's EF04 province byte is the BCD-style code of its province, the two digits
 * after the route in its ID (G9001 37 … → 0x37, G9801 61 … → 0x61); `fallback` when the ID says none.
 */
function provinceByte(gantryId: string, fallback: number): number {
  const id = parseGantryId(gantryId);
  return id.ok ? Number.parseInt(id.value.province, 16) : fallback;
}

/**
 * The trip a training CPC took to this exit: entry `offset` stations back on the exit's road (or at the
 * other province's station `foreignEntryHex`, when the tariff holds it: the path then crosses the border
 * gantries), the cheapest path for the class, one pass per gantry on it with its interval's fee and length
 * and its own province, times spread between the entry and now. Null when the exit station is unknown.
 */
export function planCpcTrip(o: {
  exitStationHex: string;
  offset: number;
  foreignEntryHex?: string;
  vehicleClass: number;
  /** The EF04 byte of a gantry whose ID names no province. */
  province: number;
  entryTime: Date;
  exitTime: Date;
}): PlannedCpcTrip | null {
  const net = syntheticNetwork();
  const foreign = o.foreignEntryHex?.toUpperCase();
  const entryHex =
    foreign && net.stationByHex.has(foreign) ? foreign : entryStationHex(o.exitStationHex, o.offset);
  const from = net.stationByHex.get(entryHex.toUpperCase());
  const to = net.stationByHex.get(o.exitStationHex.toUpperCase());
  const c = classIndex(o.vehicleClass);
  const entryTime = new Date(Math.floor(o.entryTime.getTime() / 1000) * 1000);
  if (from === undefined || to === undefined || c < 0) return null;
  const edges = from === to ? [] : cheapestPath(net, from, to, c);
  const gantried = edges.flatMap((e) => (net.edgeGantries[e] ?? []).slice(0, 1).map((g) => ({ e, g })));
  const span = o.exitTime.getTime() - entryTime.getTime();
  return {
    entryStationHex: entryHex,
    entryTime,
    passes: gantried.map(({ e, g }, i) => ({
      gantryHex: net.gantries[g]?.hex ?? '000000',
      province: provinceByte(net.gantries[g]?.id ?? '', o.province),
      ...(net.borderGantryHex.has(net.gantries[g]?.hex ?? '') ? { border: true } : {}),
      time: new Date(
        Math.floor((entryTime.getTime() + (span * (i + 1)) / (gantried.length + 1)) / 1000) * 1000,
      ),
      fee: net.edgeFee[e * CLASSES + c] ?? 0,
      mileageM: net.edgeLength[e] ?? 0,
    })),
  };
}
