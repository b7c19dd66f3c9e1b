import { mulberry32 } from '@tollpad/domain';
import { CLASS_CODES } from './classes';
import { neighbourRecords } from './neighbour';
import { randInt } from './prng';
import type { GantryDef, IntervalDef, NodeDef, NodePosition, StationDef, TariffFile } from './tariff-file';

/**
 * Synthetic province generator — SYNTHETIC TEST DATA, not a real tariff. Half the expressways run
 * east–west and half north–south; every E–W road crosses every N–S road at a junction node, so the
 * network is connected with many alternative routes. Gaps longer than `splitKm` are split by boundary
 * nodes (as real 收费单元 are split), each interval (one per direction) carries one gantry.
 * Unless `neighbour` is false, the national table's slice for a small neighbour province (neighbour.ts)
 * follows the home records; the home province's records are the same either way.
 * Every node carries its map position (TEST, [P]: the grid the roads are laid on, metres; E–W road r at
 * y = its crossing, N–S road at x = its crossing; the neighbour's chain runs west of the home station it
 * joins). Positions are display only: stations, intervals and fees are the same as without them.
 */
export interface GenerateOptions {
  readonly seed?: number;
  readonly roads?: number;
  readonly stationsPerRoad?: number;
  readonly province?: string;
  readonly version?: string;
  readonly splitKm?: number;
  /** Append the synthetic neighbour province 陕西 (61) joined by border gantries (neighbour.ts). Default true. */
  readonly neighbour?: boolean;
}

export const SYNTHETIC_LABEL = 'SYNTHETIC TEST DATA';

/** fen per km by class (class 1 ≈ 0.45 元/km; trucks by axles higher; 专项作业车 as trucks). */
const RATE_FEN_PER_KM: Readonly<Record<number, number>> = {
  1: 45,
  2: 68,
  3: 90,
  4: 113,
  11: 45,
  12: 90,
  13: 135,
  14: 160,
  15: 190,
  16: 205,
  21: 45,
  22: 90,
  23: 135,
  24: 160,
  25: 190,
  26: 205,
};

const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

export function generateProvince(opts: GenerateOptions = {}): TariffFile {
  const seed = opts.seed ?? 20240117;
  const rnd = mulberry32(seed);
  const roads = opts.roads ?? 10;
  const perRoad = opts.stationsPerRoad ?? 20;
  const province = opts.province ?? '37';
  const splitKm = opts.splitKm ?? 16;
  const horizontal = Math.ceil(roads / 2);
  const vertical = roads - horizontal;
  const spanKm = 260;
  const crossH = Array.from({ length: horizontal }, (_, i) =>
    Math.round(((i + 1) * spanKm) / (horizontal + 1)),
  );
  const crossV = Array.from({ length: vertical }, (_, j) => Math.round(((j + 1) * spanKm) / (vertical + 1)));
  const routeOf = (r: number) => `G9${String(r + 1).padStart(3, '0')}`;
  const junctionId = (h: number, v: number) => `J-${routeOf(h)}-${routeOf(horizontal + v)}`;

  const stations: StationDef[] = [];
  const nodes: NodeDef[] = [];
  const intervals: IntervalDef[] = [];
  const gantries: GantryDef[] = [];
  for (let h = 0; h < horizontal; h++) {
    for (let v = 0; v < vertical; v++)
      nodes.push({
        id: junctionId(h, v),
        kind: 'junction',
        line: 0,
        at: { x: crossV[v]! * 1000, y: crossH[h]! * 1000 },
      });
  }
  let gantrySerial = 0;
  for (let r = 0; r < roads; r++) {
    const route = routeOf(r);
    const section = `${route}${province}0010`;
    const isH = r < horizontal;
    // Junctions on this road at the crossing coordinates of the perpendicular roads.
    const points: { km: number; id: string }[] = isH
      ? crossV.map((km, v) => ({ km, id: junctionId(r, v) }))
      : crossH.map((km, h) => ({ km, id: junctionId(h, r - horizontal) }));
    const taken = points.map((p) => p.km * 1000);
    const factor = [0.9, 1, 1, 1.1, 1.2][randInt(rnd, 0, 4)]!;
    // The road's line on the grid: m metres along it → a map position.
    const along = (m: number): NodePosition =>
      isH ? { x: m, y: crossH[r]! * 1000 } : { x: crossV[r - horizontal]! * 1000, y: m };
    for (let s = 1; s <= perRoad; s++) {
      let m = 0;
      // Stations at least 1.5 km from any other node; the ends of the road are stations.
      for (let tries = 0; tries < 1000; tries++) {
        m = s === 1 ? 0 : s === perRoad ? spanKm * 1000 : randInt(rnd, 2000, spanKm * 1000 - 2000);
        if (taken.every((t) => Math.abs(t - m) >= 1500)) break;
      }
      taken.push(m);
      const seq = String(s).padStart(2, '0');
      const id = `${section}${seq}0`;
      stations.push({
        id,
        hex: `${province}${hex(((r + 1) << 8) | s, 6)}`,
        name: `测试${route}${seq}站`,
        line: 0,
        at: along(m),
      });
      points.push({ km: m / 1000, id });
    }
    points.sort((a, b) => a.km - b.km);
    // Split long gaps with boundary nodes.
    const chain: { m: number; id: string }[] = [];
    let boundary = 0;
    for (const [i, p] of points.entries()) {
      if (i > 0) {
        const prev = points[i - 1]!;
        const pieces = Math.ceil((p.km - prev.km) / splitKm);
        for (let k = 1; k < pieces; k++) {
          const id = `B-${route}-${String(++boundary).padStart(3, '0')}`;
          const m = Math.round((prev.km + ((p.km - prev.km) * k) / pieces) * 1000);
          nodes.push({ id, kind: 'boundary', line: 0, at: along(m) });
          chain.push({ m, id });
        }
      }
      chain.push({ m: Math.round(p.km * 1000), id: p.id });
    }
    for (let i = 1; i < chain.length; i++) {
      const a = chain[i - 1]!;
      const b = chain[i]!;
      const lengthM = b.m - a.m;
      // Bridges/tunnels: some intervals cost more per km than the road's base factor.
      const special = rnd() < 0.08 ? 1.5 : 1;
      const fees = CLASS_CODES.map((c) =>
        Math.round(((lengthM / 1000) * (RATE_FEN_PER_KM[c] ?? 45) * factor * special) | 0),
      );
      for (const dir of [1, 2] as const) {
        const id = `${section}${String(i).padStart(3, '0')}${dir}0`;
        const [from, to] = dir === 1 ? [a.id, b.id] : [b.id, a.id];
        intervals.push({ id, from, to, lengthM, fees, line: 0 });
        gantries.push({ id: `${id}010`, hex: hex(++gantrySerial, 6), interval: id, line: 0 });
      }
    }
  }
  // After every random draw of the home province, so its records do not depend on the neighbour.
  const home = stations[0];
  if (opts.neighbour !== false && home) {
    const n = neighbourRecords(province, home.id, (c) => RATE_FEN_PER_KM[c] ?? 45);
    const west = westOf(home, n.intervals);
    stations.push(...n.stations.map((st) => ({ ...st, ...west(st.id) })));
    nodes.push(...n.nodes.map((nd) => ({ ...nd, ...west(nd.id) })));
    intervals.push(...n.intervals);
    gantries.push(...n.gantries);
  }
  return {
    header: {
      version: opts.version ?? '99010101',
      province,
      etcDiscount: [95, 100],
      label: `${SYNTHETIC_LABEL} (seed ${seed})`,
    },
    stations,
    nodes,
    intervals,
    gantries,
  };
}

/**
 * The neighbour's chain laid out due west of the home station it joins (TEST, [P]): each node at the distance
 * along its intervals from that station.
 */
function westOf(home: StationDef, intervals: readonly IntervalDef[]): (id: string) => { at?: NodePosition } {
  const origin = home.at ?? { x: 0, y: 0 };
  const dist = new Map<string, number>([[home.id, 0]]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const iv of intervals) {
      const d = dist.get(iv.to);
      if (d !== undefined && !dist.has(iv.from)) {
        dist.set(iv.from, d + iv.lengthM);
        grew = true;
      }
    }
  }
  return (id) => {
    const d = dist.get(id);
    return d === undefined ? {} : { at: { x: origin.x - d, y: origin.y } };
  };
}
