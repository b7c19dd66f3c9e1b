/** Minimum-fee stage: the minimum fee M between entry and exit, compared like with like (ETC: fee95). */
import { EXIT_FEE_TYPE, type Fen, SPECIAL } from '@tollpad/domain';
import { classIndex } from '../../classes';
import { type MinFee, type MinFeeTables, minFeeAt } from '../../min-fee';
import type { DecisionState } from '../state';
import type { ChargeFigures } from '../types';
import type { EntryFacts } from './entry';
import type { MediaFacts } from './media';

export const MIN_FEE_RULES = ['MINFEE.UNREACHABLE', 'MINFEE'] as const;

export interface MinFeeFacts {
  readonly m: MinFee;
  /** M as the accumulated and online amounts are compared with it: fee95 with the ETC discount; 0 if unreachable. */
  readonly mCmp: number;
  /** The figures of charging M (exitFeeType 6); undefined when unreachable. */
  readonly figures: ChargeFigures | undefined;
  /** Whether an amount lies in the band [M, M × bandUpper]. */
  readonly inBand: (amount: number) => boolean;
  /** Class index the fee uses. */
  readonly ci: number;
}

export function minFeeStage(s: DecisionState, media: MediaFacts, entry: EntryFacts): MinFeeFacts {
  const { tables, exitIdx, policy } = s;
  const { discount } = media;
  const ci = classIndex(entry.feeClass);
  const m: MinFee =
    entry.entryIdx >= 0 ? minFeeAt(tables, entry.entryIdx, exitIdx, ci) : farthestMinFee(tables, exitIdx, ci);
  if (!m.reachable) s.step('MINFEE.UNREACHABLE', '入出口之间无可达路径', [SPECIAL.PATH_UNREACHABLE_ENTRY]);
  const mCmp = m.reachable ? (discount ? m.fee95 : m.fee) : 0;
  if (m.reachable)
    s.step('MINFEE', `最小费额 ${m.fee}，ETC ${m.fee95}，里程 ${m.mileageM} 米（比较值 ${mCmp}）`);
  const [bn, bd] = policy.bandUpper;
  return {
    m,
    mCmp,
    figures: minFeeFigures(m, discount),
    inBand: (a) => a >= mCmp && a * bd <= mCmp * bn,
    ci,
  };
}

/** The figures of charging a minimum fee (exitFeeType 6); undefined when it is unreachable. */
export function minFeeFigures(m: MinFee, discount: boolean): ChargeFigures | undefined {
  return m.reachable
    ? {
        payFee: m.fee,
        fee: discount ? m.fee95 : m.fee,
        discountFee: (discount ? m.fee - m.fee95 : 0) as Fen,
        exitFeeType: EXIT_FEE_TYPE.MIN_FEE,
      }
    : undefined;
}

export function mileageOf(m: MinFee): number {
  return m.reachable ? m.mileageM : 0;
}

/** The highest minimum fee from any station of this province to this exit (省内最远站点计费). */
export function farthestMinFee(t: MinFeeTables, exitIdx: number, ci: number): MinFee {
  let best: MinFee = { reachable: false, version: t.version };
  for (let s = 0; s < t.network.stationCount; s++) {
    if (t.network.stationIsHome[s] !== 1) continue;
    const m = minFeeAt(t, s, exitIdx, ci);
    if (m.reachable && (!best.reachable || m.fee > best.fee)) best = m;
  }
  return best;
}
