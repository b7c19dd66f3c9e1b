import { err, ok, type Result } from '@tollpad/domain';
import { CLASS_COUNT } from './classes';
import { TariffError } from './errors';
import { halfUpRatio } from './rounding';
import {
  type GantryDef,
  type IntervalDef,
  MAX_NODES,
  type NodePosition,
  parseTariffLines,
  type StationDef,
  type TariffFile,
  type TariffHeader,
} from './tariff-file';

/**
 * The compiled road network. Nodes are numbered stations first (file order), then junction/boundary
 * nodes, so a station's node index is also its row in the minimum-fee tables. Intervals are directed
 * edges in a CSR adjacency; fees are per edge × class (CLASS_CODES order).
 */
export interface Network {
  readonly header: TariffHeader;
  readonly version: string;
  readonly stations: readonly StationDef[];
  readonly stationCount: number;
  readonly nodeCount: number;
  readonly nodeIds: readonly string[];
  readonly nodeIndex: ReadonlyMap<string, number>;
  readonly stationByHex: ReadonlyMap<string, number>;
  /** 1 where the station is in the header's province, 0 for the national slice's other provinces. */
  readonly stationIsHome: Uint8Array;
  readonly intervals: readonly IntervalDef[];
  readonly intervalIndex: ReadonlyMap<string, number>;
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgeLength: Int32Array;
  /** Full fee, [edge * 16 + class]. */
  readonly edgeFee: Int32Array;
  /** ETC fee per interval: round-half-up(fee × num / den), [edge * 16 + class]. */
  readonly edgeFee95: Int32Array;
  readonly outStart: Int32Array;
  readonly outEdges: Int32Array;
  readonly gantries: readonly GantryDef[];
  readonly gantryIndex: ReadonlyMap<string, number>;
  readonly gantryByHex: ReadonlyMap<string, number>;
  /** HEX of the gantries the tariff marks `border` (省界门架); the CPC fee checks each block ends at one. */
  readonly borderGantryHex: ReadonlySet<string>;
  readonly gantryEdge: Int32Array;
  /** Gantries on each edge (usually 0 or 1). */
  readonly edgeGantries: readonly (readonly number[])[];
  /** Map position per node (display only [P]); null where the file gives none. */
  readonly nodePositions: readonly (NodePosition | null)[];
}

/** Parses, validates and compiles a tariff file; every error names its line and field. */
export function loadTariff(text: string): Result<Network, TariffError[]> {
  const parsed = parseTariffLines(text);
  if (!parsed.file || parsed.errors.length > 0) return err(parsed.errors);
  return compileNetwork(parsed.file);
}

export function compileNetwork(f: TariffFile): Result<Network, TariffError[]> {
  const errors: TariffError[] = [];
  const nodeIds: string[] = [];
  const nodeIndex = new Map<string, number>();
  const nodeLine = new Map<string, number>();
  const stationByHex = new Map<string, number>();
  const hexLine = new Map<string, number>();
  if (f.stations.length === 0) errors.push(new TariffError('TARIFF_EMPTY', 0, 'station', '文件中没有收费站'));
  for (const s of f.stations) {
    const prev = nodeLine.get(s.id);
    if (prev !== undefined) {
      errors.push(new TariffError('TARIFF_DUPLICATE', s.line, 'id', `收费站编号 ${s.id} 与第${prev}行重复`));
      continue;
    }
    const prevHex = hexLine.get(s.hex);
    if (prevHex !== undefined) {
      errors.push(
        new TariffError('TARIFF_DUPLICATE', s.line, 'hex', `收费站HEX ${s.hex} 与第${prevHex}行重复`),
      );
      continue;
    }
    nodeLine.set(s.id, s.line);
    hexLine.set(s.hex, s.line);
    stationByHex.set(s.hex, nodeIds.length);
    nodeIndex.set(s.id, nodeIds.length);
    nodeIds.push(s.id);
  }
  const stationCount = nodeIds.length;
  const stationIsHome = new Uint8Array(stationCount);
  for (const [i, id] of nodeIds.entries()) stationIsHome[i] = id.slice(5, 7) === f.header.province ? 1 : 0;
  for (const n of f.nodes) {
    const prev = nodeLine.get(n.id);
    if (prev !== undefined) {
      errors.push(new TariffError('TARIFF_DUPLICATE', n.line, 'id', `节点编号 ${n.id} 与第${prev}行重复`));
      continue;
    }
    nodeLine.set(n.id, n.line);
    nodeIndex.set(n.id, nodeIds.length);
    nodeIds.push(n.id);
  }
  if (nodeIds.length > MAX_NODES) {
    errors.push(new TariffError('TARIFF_FIELD', 0, 'node', `节点数${nodeIds.length}超过上限${MAX_NODES}`));
  }
  const intervals: IntervalDef[] = [];
  const intervalIndex = new Map<string, number>();
  for (const iv of f.intervals) {
    const prev = intervalIndex.get(iv.id);
    if (prev !== undefined) {
      errors.push(
        new TariffError(
          'TARIFF_DUPLICATE',
          iv.line,
          'id',
          `收费单元 ${iv.id} 与第${intervals[prev]?.line}行重复`,
        ),
      );
      continue;
    }
    let dangling = false;
    for (const field of ['from', 'to'] as const) {
      if (!nodeIndex.has(iv[field])) {
        errors.push(
          new TariffError(
            'TARIFF_DANGLING',
            iv.line,
            field,
            `收费单元 ${iv.id} 引用了不存在的节点 ${iv[field]}`,
          ),
        );
        dangling = true;
      }
    }
    if (dangling) continue;
    intervalIndex.set(iv.id, intervals.length);
    intervals.push(iv);
  }
  const gantries: GantryDef[] = [];
  const gantryIndex = new Map<string, number>();
  const gantryByHex = new Map<string, number>();
  for (const g of f.gantries) {
    const prev = gantryIndex.get(g.id);
    const prevHex = gantryByHex.get(g.hex);
    if (prev !== undefined || prevHex !== undefined) {
      const field = prev !== undefined ? 'id' : 'hex';
      const other = gantries[(prev ?? prevHex) as number]?.line;
      errors.push(new TariffError('TARIFF_DUPLICATE', g.line, field, `门架 ${g[field]} 与第${other}行重复`));
      continue;
    }
    if (!intervalIndex.has(g.interval)) {
      errors.push(
        new TariffError('TARIFF_DANGLING', g.line, 'interval', `门架引用了不存在的收费单元 ${g.interval}`),
      );
      continue;
    }
    gantryIndex.set(g.id, gantries.length);
    gantryByHex.set(g.hex, gantries.length);
    gantries.push(g);
  }
  if (errors.length > 0) return err(errors);

  const E = intervals.length;
  const N = nodeIds.length;
  const edgeFrom = new Int32Array(E);
  const edgeTo = new Int32Array(E);
  const edgeLength = new Int32Array(E);
  const edgeFee = new Int32Array(E * CLASS_COUNT);
  const edgeFee95 = new Int32Array(E * CLASS_COUNT);
  const [num, den] = f.header.etcDiscount;
  for (const [e, iv] of intervals.entries()) {
    edgeFrom[e] = nodeIndex.get(iv.from)!;
    edgeTo[e] = nodeIndex.get(iv.to)!;
    edgeLength[e] = iv.lengthM;
    for (let c = 0; c < CLASS_COUNT; c++) {
      const fee = iv.fees[c] ?? 0;
      edgeFee[e * CLASS_COUNT + c] = fee;
      edgeFee95[e * CLASS_COUNT + c] = halfUpRatio(fee, num, den);
    }
  }
  const cycle = findZeroLengthCycle(N, edgeFrom, edgeTo, edgeLength);
  if (cycle) {
    const ids = cycle.map((e) => intervals[e]!.id);
    const first = intervals[cycle[0]!]!;
    return err([
      new TariffError(
        'TARIFF_ZERO_CYCLE',
        first.line,
        'lengthM',
        `零长度收费单元构成环路：${ids.join(' → ')}`,
      ),
    ]);
  }
  const outStart = new Int32Array(N + 1);
  for (let e = 0; e < E; e++) outStart[edgeFrom[e]! + 1]!++;
  for (let v = 0; v < N; v++) outStart[v + 1]! += outStart[v]!;
  const fill = outStart.slice(0, N);
  const outEdges = new Int32Array(E);
  for (let e = 0; e < E; e++) outEdges[fill[edgeFrom[e]!]!++] = e;
  const gantryEdge = new Int32Array(gantries.length);
  const edgeGantries: number[][] = Array.from({ length: E }, () => []);
  for (const [gi, g] of gantries.entries()) {
    const e = intervalIndex.get(g.interval)!;
    gantryEdge[gi] = e;
    edgeGantries[e]!.push(gi);
  }
  const nodePositions: (NodePosition | null)[] = Array.from({ length: N }, () => null);
  for (const d of [...f.stations, ...f.nodes]) {
    const i = nodeIndex.get(d.id);
    if (i !== undefined && d.at && nodePositions[i] === null) nodePositions[i] = d.at;
  }
  return ok({
    header: f.header,
    version: f.header.version,
    stations: f.stations,
    stationCount,
    nodeCount: N,
    nodeIds,
    nodeIndex,
    stationByHex,
    stationIsHome,
    intervals,
    intervalIndex,
    edgeFrom,
    edgeTo,
    edgeLength,
    edgeFee,
    edgeFee95,
    outStart,
    outEdges,
    gantries,
    gantryIndex,
    gantryByHex,
    borderGantryHex: new Set(gantries.filter((g) => g.border).map((g) => g.hex)),
    gantryEdge,
    edgeGantries,
    nodePositions,
  });
}

/** A directed cycle made only of zero-length intervals (edge indices in order), or undefined. */
function findZeroLengthCycle(
  n: number,
  from: Int32Array,
  to: Int32Array,
  len: Int32Array,
): number[] | undefined {
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < from.length; e++) if (len[e] === 0) adj[from[e]!]!.push(e);
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const viaEdge = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0) continue;
    // Iterative DFS: stack of (node, next adjacency position).
    const stack: [number, number][] = [[s, 0]];
    state[s] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [v, i] = top;
      const edges = adj[v]!;
      if (i >= edges.length) {
        state[v] = 2;
        stack.pop();
        continue;
      }
      top[1] = i + 1;
      const e = edges[i]!;
      const w = to[e]!;
      if (state[w] === 1) {
        const cycle = [e];
        let x = v;
        while (x !== w) {
          const pe = viaEdge[x]!;
          cycle.push(pe);
          x = from[pe]!;
        }
        return cycle.reverse();
      }
      if (state[w] === 0) {
        state[w] = 1;
        viaEdge[w] = e;
        stack.push([w, 0]);
      }
    }
  }
  return undefined;
}
