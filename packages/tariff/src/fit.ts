import type { Fen } from '@tollpad/domain';
import { CLASS_COUNT, classIndex } from './classes';
import { type MinFeeTables, minFeeAt, minFeePath, stationIndexOf } from './min-fee';

/**
 * Online fee by path fitting (the centre's 在线计费, a pure function): the cheapest walk from the entry
 * station through the observed gantries' intervals in the order seen, to the exit station. Gaps between
 * observed gantries are filled with min-fee segments; the gantries on those segments are "fitted".
 * Outcome codes (business-rules §6): 66 path unreachable, 67 too many fitted gantries, 68 fit failed
 * (unknown station/class/gantry, times out of order).
 */
export interface GantryPass {
  /** 19-char gantry ID or 6-char gantry hex. */
  readonly gantry: string;
  readonly time?: Date;
}

export interface FitRequest {
  readonly entryStation: string;
  readonly exitStation: string;
  readonly vehicleClass: number;
  readonly gantries: readonly GantryPass[];
}

export interface FitOptions {
  /** [P] Most gantries the fit may add that were not observed before it gives up with 67. Default 30. */
  readonly maxFittedGantries?: number;
}

export interface FittedGantry {
  readonly id: string;
  readonly hex: string;
  readonly observed: boolean;
}

export type FitSpecial = 66 | 67 | 68;

export type FitResult =
  | {
      readonly ok: true;
      readonly fee: Fen;
      /** Σ per-interval round-half-up ETC fee along the fitted path. */
      readonly fee95: Fen;
      readonly mileageM: number;
      readonly intervals: readonly string[];
      readonly intervalFees: readonly number[];
      readonly intervalFees95: readonly number[];
      readonly gantries: readonly FittedGantry[];
      readonly fittedCount: number;
      readonly version: string;
    }
  | { readonly ok: false; readonly special: FitSpecial; readonly reason: string };

export const DEFAULT_MAX_FITTED_GANTRIES = 30;

const fail = (special: FitSpecial, reason: string): FitResult => ({ ok: false, special, reason });

export function fitPath(t: MinFeeTables, req: FitRequest, opts: FitOptions = {}): FitResult {
  const net = t.network;
  const from = stationIndexOf(net, req.entryStation);
  if (from < 0) return fail(68, `未知入口站 ${req.entryStation}`);
  const to = stationIndexOf(net, req.exitStation);
  if (to < 0) return fail(68, `未知出口站 ${req.exitStation}`);
  const c = classIndex(req.vehicleClass);
  if (c < 0) return fail(68, `未知车型 ${req.vehicleClass}`);
  const observedEdges: number[] = [];
  const observedGantries = new Set<number>();
  let lastTime = Number.NEGATIVE_INFINITY;
  let lastGantry = -1;
  for (const [i, pass] of req.gantries.entries()) {
    const g = net.gantryIndex.get(pass.gantry) ?? net.gantryByHex.get(pass.gantry.toUpperCase());
    if (g === undefined) return fail(68, `第${i + 1}个门架 ${pass.gantry} 不在费率表中`);
    if (pass.time) {
      const ms = pass.time.getTime();
      if (Number.isNaN(ms) || ms < lastTime) return fail(68, `第${i + 1}个门架的通行时间早于前一门架`);
      lastTime = ms;
    }
    if (g === lastGantry) continue; // a repeated read of the same gantry
    lastGantry = g;
    observedGantries.add(g);
    const e = net.gantryEdge[g]!;
    if (observedEdges[observedEdges.length - 1] !== e) observedEdges.push(e);
  }
  const path: number[] = [];
  let cur = from;
  for (const e of observedEdges) {
    const a = net.edgeFrom[e]!;
    if (!minFeeAt(t, cur, a, c).reachable)
      return fail(66, `无法从 ${net.nodeIds[cur]} 到达门架所在收费单元 ${net.intervals[e]!.id}`);
    path.push(...minFeePath(t, cur, a, c), e);
    cur = net.edgeTo[e]!;
  }
  if (!minFeeAt(t, cur, to, c).reachable)
    return fail(66, `无法从 ${net.nodeIds[cur]} 到达出口站 ${req.exitStation}`);
  path.push(...minFeePath(t, cur, to, c));

  let fee = 0;
  let fee95 = 0;
  let mileageM = 0;
  const intervalFees: number[] = [];
  const intervalFees95: number[] = [];
  const gantries: FittedGantry[] = [];
  let fittedCount = 0;
  for (const e of path) {
    const f = net.edgeFee[e * CLASS_COUNT + c]!;
    const f95 = net.edgeFee95[e * CLASS_COUNT + c]!;
    fee += f;
    fee95 += f95;
    mileageM += net.edgeLength[e]!;
    intervalFees.push(f);
    intervalFees95.push(f95);
    for (const g of net.edgeGantries[e]!) {
      const observed = observedGantries.has(g);
      if (!observed) fittedCount++;
      const def = net.gantries[g]!;
      gantries.push({ id: def.id, hex: def.hex, observed });
    }
  }
  const max = opts.maxFittedGantries ?? DEFAULT_MAX_FITTED_GANTRIES;
  if (req.gantries.length > 0 && fittedCount > max) {
    return fail(67, `需拟合门架 ${fittedCount} 个，超过上限 ${max}`);
  }
  return {
    ok: true,
    fee: fee as Fen,
    fee95: fee95 as Fen,
    mileageM,
    intervals: path.map((e) => net.intervals[e]!.id),
    intervalFees,
    intervalFees95,
    gantries,
    fittedCount,
    version: t.version,
  };
}
