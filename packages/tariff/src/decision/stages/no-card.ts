/**
 * No-card stage (cpc-card.md §5.4): a vehicle without a usable card — none taken at entry, a CPC lost or
 * damaged. The toll comes from, in order:
 *   a. the online fee by the actual plate, the centre inferring the entry (exitFeeType 4);
 *   b. the entry the driver states, at the shortest reachable path (6);
 *   c. the farthest route to this exit: the largest minimum fee over every reachable entry (6) [P, row 5];
 * then whole yuan, and the CPC's cost for a lost or damaged card on its own line (fee = toll + card cost).
 * A stated-entry or farthest-route toll needs the monitor (the existing NO_ENTRY / MIN_FEE reasons).
 */
import { EXIT_FEE_TYPE, type Fen, SPECIAL, type VehicleClass } from '@tollpad/domain';
import { CLASS_COUNT, classIndex } from '../../classes';
import { type MinFee, type MinFeeTables, minFeeAt, stationIndexOf } from '../../min-fee';
import type { Charge, DecisionState } from '../state';
import type { ChargeFigures, NoCardFacts, NoCardFeeRule, NoCardOutcome, OnlineFeeResponse } from '../types';
import { authoriseMinFee } from './charge';
import type { EntryFacts } from './entry';
import { freePassageStage } from './free-passage';
import { type MinFeeFacts, mileageOf, minFeeFigures } from './min-fee';
import { callWithTimeout } from './online';
import { yuanStage } from './yuan';

export const NO_CARD_RULES = [
  'NOCARD.REASON',
  'NOCARD.PLATE',
  'NOCARD.PLATE_FAILED',
  'NOCARD.STATED',
  'NOCARD.STATED_UNKNOWN',
  'NOCARD.STATED_UNREACHABLE',
  'NOCARD.REFUSED',
  'NOCARD.FARTHEST',
  'NOCARD.NO_FEE',
  'NOCARD.CARD_COST',
] as const;

/** Special codes a no-card decision can add beside the rest of the decision's (DECISION_SPECIAL_CODES). */
export const NO_CARD_SPECIAL_CODES: readonly number[] = [
  SPECIAL.CPC_DAMAGED,
  SPECIAL.CPC_MISSING,
  SPECIAL.PATH_UNREACHABLE_ENTRY,
  SPECIAL.ONLINE_FEE_FAILED_PROVINCE,
  SPECIAL.ONLINE_FEE_ZERO,
  SPECIAL.ONLINE_FEE_BELOW_MIN,
  SPECIAL.ONLINE_FEE_ABOVE_BAND,
  SPECIAL.FEE_PATH_UNREACHABLE,
  SPECIAL.FEE_TOO_MANY_GANTRIES,
  SPECIAL.FEE_FIT_FAILED,
  SPECIAL.GREEN_CHANNEL,
  SPECIAL.COMBINE_HARVESTER,
  SPECIAL.HOLIDAY_FREE,
];

/** Which fallbacks run (all by default); a test switches one off to show the next one takes over. */
export interface NoCardSteps {
  readonly plate: boolean;
  readonly stated: boolean;
  readonly farthest: boolean;
}

const ALL_STEPS: NoCardSteps = { plate: true, stated: true, farthest: true };

/** What the stage settles on, for the result stage. */
export interface NoCardSettled {
  readonly entry: EntryFacts;
  readonly minFee: MinFeeFacts;
  readonly charge: Charge;
  readonly discountType: 1 | 2 | 5 | undefined;
  readonly outcome: NoCardOutcome;
}

/** One fallback's answer: the toll, the entry it was charged from (-1: none known) and M from there. */
interface Toll {
  readonly rule: NoCardFeeRule;
  readonly entryIdx: number;
  readonly m: MinFee;
  readonly charge: Charge;
  readonly inferredEntry?: string;
  readonly statedEntry?: string;
}

export async function noCardStage(
  s: DecisionState,
  nc: NoCardFacts,
  steps: NoCardSteps = ALL_STEPS,
): Promise<NoCardSettled> {
  const { input, policy } = s;
  const damaged = nc.reason === 'damaged';
  s.step(
    'NOCARD.REASON',
    damaged ? 'CPC卡损坏（35）' : nc.reason === 'lost' ? '丢失CPC卡（36）' : '无CPC卡（36）',
    [damaged ? SPECIAL.CPC_DAMAGED : SPECIAL.CPC_MISSING],
  );
  const feeClass: VehicleClass = input.vehicleClass;
  const ci = classIndex(feeClass);
  // A free kind is not asked online (no online call for a free vehicle): its due amount comes from M.
  const freeKind = policy.freeKinds.includes(input.vehicleKind);
  const toll =
    (steps.plate && !freeKind ? await byPlate(s, ci) : undefined) ??
    (steps.stated ? byStatedEntry(s, nc, ci) : undefined) ??
    (steps.farthest ? byFarthestRoute(s, ci) : undefined) ??
    noFee(s);
  const entry: EntryFacts = { entryIdx: toll.entryIdx, noEntry: true, feeClass, uTurn: false };
  const minFee = minFeeFactsOf(s, toll.m, ci);
  const free = freePassageStage(s, entry, minFee, undefined);
  const tolled = yuanStage(s, free ? free.charge : toll.charge);
  if (!free) authoriseMinFee(s, tolled);
  const cardCost = (nc.reason === 'no-card' ? 0 : policy.cardCost) as Fen;
  if (cardCost > 0) {
    s.step(
      'NOCARD.CARD_COST',
      `${damaged ? '损坏' : '丢失'}CPC卡：另收卡成本 ${cardCost}（单列，应收 = 通行费 ${tolled.figures.fee} + 卡成本）`,
    );
  }
  const withCost = (f: ChargeFigures): ChargeFigures => ({
    ...f,
    payFee: (f.payFee + cardCost) as Fen,
    fee: (f.fee + cardCost) as Fen,
  });
  const charge: Charge = {
    figures: withCost(tolled.figures),
    feeMileage: tolled.feeMileage,
    ...(tolled.ifRefused ? { ifRefused: withCost(tolled.ifRefused) } : {}),
  };
  const outcome: NoCardOutcome = {
    reason: nc.reason,
    rule: toll.rule,
    toll: tolled.figures.fee,
    cardCost,
    ...(toll.statedEntry !== undefined ? { statedEntry: toll.statedEntry } : {}),
    ...(toll.inferredEntry !== undefined ? { inferredEntry: toll.inferredEntry } : {}),
  };
  return { entry, minFee, charge, discountType: free?.discountType, outcome };
}

/** a. The online fee by the actual plate: the centre infers the entry from the plate's passages. */
async function byPlate(s: DecisionState, ci: number): Promise<Toll | undefined> {
  const { input, policy, tables } = s;
  const failed = (reason: string, codes: number[] = []): undefined => {
    s.step('NOCARD.PLATE_FAILED', `按车牌在线计费不可用：${reason}`, codes);
    return undefined;
  };
  if (!input.plate) return failed('未确认实际车牌');
  if (!s.onlineFee) return failed('未配置在线计费服务');
  const net = tables.network;
  const r: OnlineFeeResponse = await callWithTimeout(
    s.onlineFee,
    {
      level: 'province',
      exitStation: net.nodeIds[s.exitIdx]!,
      vehicleClass: input.vehicleClass,
      gantries: input.gantries ?? [],
      exitTime: input.exitTime,
      plate: input.plate,
    },
    policy.onlineTimeoutMs,
  );
  const failCode = SPECIAL.ONLINE_FEE_FAILED_PROVINCE;
  if (!r.ok)
    return failed(`省中心：${r.reason}`, r.special !== undefined ? [failCode, r.special] : [failCode]);
  // The inferred entry, when the tariff knows it, bounds the online fee like any other (M .. 1.5 M).
  const entryIdx = r.entryStation === undefined ? -1 : stationIndexOf(net, r.entryStation);
  const m: MinFee =
    entryIdx >= 0 ? minFeeAt(tables, entryIdx, s.exitIdx, ci) : { reachable: false, version: tables.version };
  if (r.fee === 0) return failed('在线计费金额为0', [SPECIAL.ONLINE_FEE_ZERO]);
  if (m.reachable && r.fee < m.fee) {
    return failed(`在线计费金额 ${r.fee} 小于推断入口的最小费额 ${m.fee}`, [SPECIAL.ONLINE_FEE_BELOW_MIN]);
  }
  const figures: ChargeFigures = {
    payFee: r.fee,
    fee: r.fee,
    discountFee: 0 as Fen,
    exitFeeType: EXIT_FEE_TYPE.ONLINE_PROVINCE,
  };
  const [bn, bd] = policy.bandUpper;
  const over = m.reachable && r.fee * bd > m.fee * bn;
  if (over) s.authorise('OVER_BAND');
  const inferred = entryIdx >= 0 ? net.nodeIds[entryIdx]! : r.entryStation;
  s.step(
    'NOCARD.PLATE',
    `按实际车牌 ${input.plate} 在线计费 ${r.fee}（省中心推断入口 ${inferred ?? '未知'}，exitFeeType 4）` +
      (over ? '；超过最小费额1.5倍需监控确认，拒绝则按最小费额' : ''),
    over ? [SPECIAL.ONLINE_FEE_ABOVE_BAND] : [],
  );
  const ifRefused = over ? minFeeFigures(m, false) : undefined;
  return {
    rule: 'NOCARD.PLATE',
    entryIdx,
    m,
    charge: { figures, feeMileage: r.mileageM, ...(ifRefused ? { ifRefused } : {}) },
    ...(inferred !== undefined ? { inferredEntry: inferred } : {}),
  };
}

/** b. The entry the driver states, at the shortest reachable path's minimum fee. */
function byStatedEntry(s: DecisionState, nc: NoCardFacts, ci: number): Toll | undefined {
  const net = s.tables.network;
  if (nc.refused) {
    s.step('NOCARD.REFUSED', '司机拒绝告知入口站：按最远路径计费');
    return undefined;
  }
  if (nc.statedEntry === undefined) return undefined;
  const idx = stationIndexOf(net, nc.statedEntry);
  if (idx < 0) {
    s.step('NOCARD.STATED_UNKNOWN', `所述入口站 ${nc.statedEntry} 不是本路网的收费站：按最远路径计费`);
    return undefined;
  }
  const m = minFeeAt(s.tables, idx, s.exitIdx, ci);
  if (!m.reachable || idx === s.exitIdx) {
    s.step(
      'NOCARD.STATED_UNREACHABLE',
      idx === s.exitIdx
        ? `所述入口站 ${net.nodeIds[idx]} 即本出口站：按最远路径计费`
        : `所述入口站 ${net.nodeIds[idx]} 至本出口不可达：按最远路径计费`,
      [SPECIAL.PATH_UNREACHABLE_ENTRY],
    );
    return undefined;
  }
  s.authorise('NO_ENTRY');
  s.step(
    'NOCARD.STATED',
    `按司机所述入口站 ${net.nodeIds[idx]} 的全网可达最短路径 ${m.fee} 计费（exitFeeType 6），需监控确认`,
  );
  return {
    rule: 'NOCARD.STATED',
    entryIdx: idx,
    m,
    charge: { figures: minFeeFigures(m, false)!, feeMileage: mileageOf(m) },
    statedEntry: net.nodeIds[idx]!,
  };
}

/** c. The farthest route: the largest minimum fee to this exit over every reachable entry. */
function byFarthestRoute(s: DecisionState, ci: number): Toll | undefined {
  const far = farthestReachable(s.tables, s.exitIdx, ci);
  if (!far) return undefined;
  const net = s.tables.network;
  s.authorise('NO_ENTRY');
  s.step(
    'NOCARD.FARTHEST',
    `按最远路径计费：入口 ${net.nodeIds[far.entryIdx]} 最小费额 ${far.m.fee}（路网内至本出口最高，exitFeeType 6），需监控确认`,
  );
  return {
    rule: 'NOCARD.FARTHEST',
    entryIdx: far.entryIdx,
    m: far.m,
    charge: { figures: minFeeFigures(far.m, false)!, feeMileage: mileageOf(far.m) },
  };
}

/** Nothing reaches this exit (an isolated station): zero, with the monitor. Never expected on a real network. */
function noFee(s: DecisionState): Toll {
  s.step('NOCARD.NO_FEE', '无可用计费依据（无车牌计费、无可达入口）：按0元，需监控确认');
  s.authorise('NO_ENTRY');
  const zero = 0 as Fen;
  return {
    rule: 'NOCARD.NO_FEE',
    entryIdx: -1,
    m: { reachable: false, version: s.tables.version },
    charge: {
      figures: { payFee: zero, fee: zero, discountFee: zero, exitFeeType: EXIT_FEE_TYPE.MIN_FEE },
      feeMileage: 0,
    },
  };
}

type Farthest = { readonly entryIdx: number; readonly m: MinFee & { reachable: true } } | null;

/** Per tariff tables, per exit station × class: the farthest route is a scan of every station, done once. */
const FARTHEST = new WeakMap<MinFeeTables, Map<number, Farthest>>();

/** The reachable entry with the largest minimum fee to `exitIdx` for class index `ci` (cached), or null. */
export function farthestReachable(t: MinFeeTables, exitIdx: number, ci: number): Farthest {
  let byExit = FARTHEST.get(t);
  if (!byExit) {
    byExit = new Map();
    FARTHEST.set(t, byExit);
  }
  const key = exitIdx * CLASS_COUNT + ci;
  const hit = byExit.get(key);
  if (hit !== undefined) return hit;
  let best: Farthest = null;
  for (let i = 0; i < t.network.stationCount; i++) {
    if (i === exitIdx) continue;
    const m = minFeeAt(t, i, exitIdx, ci);
    if (m.reachable && (!best || m.fee > best.m.fee)) best = { entryIdx: i, m };
  }
  byExit.set(key, best);
  return best;
}

function minFeeFactsOf(s: DecisionState, m: MinFee, ci: number): MinFeeFacts {
  const [bn, bd] = s.policy.bandUpper;
  const mCmp = m.reachable ? m.fee : 0;
  return {
    m,
    mCmp,
    figures: minFeeFigures(m, false),
    inBand: (a) => a >= mCmp && a * bd <= mCmp * bn,
    ci,
  };
}
