import { err, type Fen, ok, type Result } from '@tollpad/domain';
import { CLASS_COUNT, classIndex } from './classes';
import { TariffError } from './errors';
import type { Network } from './network';

/**
 * All-pairs minimum-fee tables (全网最小费额), dense over node × node × class:
 *   index = (from * nodeCount + to) * 16 + classIndex
 * Stations are nodes 0..stationCount-1, so station lookups are one multiply-add and one read (O(1)).
 * `fee`: minimum full fee over all paths (ties broken by shorter mileage); `mileage`: metres of that path;
 * `fee95`: minimum over all paths of Σ per-interval round-half-up(fee × num/den) — computed by its own
 * search, so it is the true minimum of the ETC amount, not the discount of `fee`.
 * Unreachable entries hold -1.
 */
export interface MinFeeTables {
  readonly network: Network;
  readonly version: string;
  readonly nodeCount: number;
  readonly fee: Int32Array;
  readonly fee95: Int32Array;
  readonly mileage: Int32Array;
  /** Last edge on the min-fee path (for path reconstruction), -1 at the source / unreachable. */
  readonly pred: Int32Array;
}

export const UNREACHABLE = -1;

export function buildMinFeeTables(net: Network): MinFeeTables {
  const N = net.nodeCount;
  const size = N * N * CLASS_COUNT;
  const fee = new Int32Array(size).fill(UNREACHABLE);
  const fee95 = new Int32Array(size).fill(UNREACHABLE);
  const mileage = new Int32Array(size).fill(UNREACHABLE);
  const pred = new Int32Array(size).fill(-1);
  const search = new Search(N);
  for (let s = 0; s < N; s++) {
    for (let c = 0; c < CLASS_COUNT; c++) {
      search.run(net, s, c, net.edgeFee);
      const base = s * N * CLASS_COUNT + c;
      for (let t = 0; t < N; t++) {
        if (search.done[t] === 0) continue;
        const i = base + t * CLASS_COUNT;
        fee[i] = search.fee[t]!;
        mileage[i] = search.len[t]!;
        pred[i] = search.pred[t]!;
      }
      search.run(net, s, c, net.edgeFee95);
      for (let t = 0; t < N; t++) if (search.done[t] !== 0) fee95[base + t * CLASS_COUNT] = search.fee[t]!;
    }
  }
  return { network: net, version: net.version, nodeCount: N, fee, fee95, mileage, pred };
}

/** Dijkstra on (fee, mileage) lexicographically, with an indexed binary heap; buffers reused. */
export class Search {
  readonly fee: Int32Array;
  readonly len: Int32Array;
  readonly pred: Int32Array;
  readonly done: Uint8Array;
  private readonly heap: Int32Array;
  private readonly pos: Int32Array;
  private size = 0;

  constructor(n: number) {
    this.fee = new Int32Array(n);
    this.len = new Int32Array(n);
    this.pred = new Int32Array(n);
    this.done = new Uint8Array(n);
    this.heap = new Int32Array(n);
    this.pos = new Int32Array(n);
  }

  run(net: Network, source: number, c: number, weights: Int32Array): void {
    const { fee, len, pred, done, pos } = this;
    fee.fill(0x7fffffff);
    len.fill(0x7fffffff);
    pred.fill(-1);
    done.fill(0);
    pos.fill(-1);
    this.size = 0;
    fee[source] = 0;
    len[source] = 0;
    this.push(source);
    const { outStart, outEdges, edgeTo, edgeLength } = net;
    while (this.size > 0) {
      const v = this.pop();
      done[v] = 1;
      const fv = fee[v]!;
      const lv = len[v]!;
      for (let k = outStart[v]!; k < outStart[v + 1]!; k++) {
        const e = outEdges[k]!;
        const w = edgeTo[e]!;
        if (done[w] !== 0) continue;
        const nf = fv + weights[e * CLASS_COUNT + c]!;
        const nl = lv + edgeLength[e]!;
        if (nf < fee[w]! || (nf === fee[w]! && nl < len[w]!)) {
          fee[w] = nf;
          len[w] = nl;
          pred[w] = e;
          if (pos[w] === -1) this.push(w);
          else this.up(pos[w]!);
        }
      }
    }
  }

  private less(a: number, b: number): boolean {
    const fa = this.fee[a]!;
    const fb = this.fee[b]!;
    return fa < fb || (fa === fb && this.len[a]! < this.len[b]!);
  }

  private push(v: number): void {
    this.heap[this.size] = v;
    this.pos[v] = this.size;
    this.up(this.size++);
  }

  private pop(): number {
    const { heap, pos } = this;
    const top = heap[0]!;
    pos[top] = -1;
    const last = heap[--this.size]!;
    if (this.size > 0) {
      heap[0] = last;
      pos[last] = 0;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const { heap, pos } = this;
    const v = heap[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pv = heap[p]!;
      if (!this.less(v, pv)) break;
      heap[i] = pv;
      pos[pv] = i;
      i = p;
    }
    heap[i] = v;
    pos[v] = i;
  }

  private down(i: number): void {
    const { heap, pos } = this;
    const v = heap[i]!;
    for (;;) {
      let m = 2 * i + 1;
      if (m >= this.size) break;
      if (m + 1 < this.size && this.less(heap[m + 1]!, heap[m]!)) m++;
      const mv = heap[m]!;
      if (!this.less(mv, v)) break;
      heap[i] = mv;
      pos[mv] = i;
      i = m;
    }
    heap[i] = v;
    pos[v] = i;
  }
}

export type MinFee =
  | {
      readonly reachable: true;
      readonly fee: Fen;
      readonly fee95: Fen;
      readonly mileageM: number;
      readonly version: string;
    }
  | { readonly reachable: false; readonly version: string };

/** O(1) lookup by node indices (stations are nodes 0..stationCount-1). */
export function minFeeAt(t: MinFeeTables, from: number, to: number, c: number): MinFee {
  const i = (from * t.nodeCount + to) * CLASS_COUNT + c;
  const fee = t.fee[i]!;
  if (fee < 0) return { reachable: false, version: t.version };
  return {
    reachable: true,
    fee: fee as Fen,
    fee95: t.fee95[i]! as Fen,
    mileageM: t.mileage[i]!,
    version: t.version,
  };
}

/** Looks up by station ID (14 chars or 8-char hex) and class code. */
export function lookupMinFee(
  t: MinFeeTables,
  entryStation: string,
  exitStation: string,
  vehicleClass: number,
): Result<MinFee, TariffError> {
  const from = stationIndexOf(t.network, entryStation);
  if (from < 0)
    return err(new TariffError('TARIFF_UNKNOWN_STATION', 0, 'entryStation', `未知入口站 ${entryStation}`));
  const to = stationIndexOf(t.network, exitStation);
  if (to < 0)
    return err(new TariffError('TARIFF_UNKNOWN_STATION', 0, 'exitStation', `未知出口站 ${exitStation}`));
  const c = classIndex(vehicleClass);
  if (c < 0)
    return err(new TariffError('TARIFF_UNKNOWN_CLASS', 0, 'vehicleClass', `未知车型 ${vehicleClass}`));
  return ok(minFeeAt(t, from, to, c));
}

/** Station node index from a 14-char station ID or 8-char hex; -1 if unknown. */
export function stationIndexOf(net: Network, station: string): number {
  const i = net.nodeIndex.get(station) ?? net.stationByHex.get(station.toUpperCase()) ?? -1;
  return i < net.stationCount ? i : -1;
}

/** Edge indices of the min-fee path from → to for class index c (empty when from = to or unreachable). */
export function minFeePath(t: MinFeeTables, from: number, to: number, c: number): number[] {
  const path: number[] = [];
  const row = from * t.nodeCount;
  let v = to;
  while (v !== from) {
    const e = t.pred[(row + v) * CLASS_COUNT + c]!;
    if (e < 0) return [];
    path.push(e);
    v = t.network.edgeFrom[e]!;
  }
  return path.reverse();
}
