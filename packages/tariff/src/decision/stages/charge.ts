/**
 * Charge stage: what a paying vehicle is charged. No entry → the minimum fee; a U-turn → its accumulated
 * amount, else the online fee; an accumulated amount in the band → that amount; otherwise the online fee.
 */
import { EXIT_FEE_TYPE, SPECIAL } from '@tollpad/domain';
import type { Charge, DecisionState } from '../state';
import { type Accumulated, accumulatedFigures } from './accumulated';
import type { EntryFacts } from './entry';
import type { MediaFacts } from './media';
import { type MinFeeFacts, mileageOf } from './min-fee';
import { onlineStage } from './online';

export const CHARGE_RULES = [
  'CHARGE.MIN_FEE_NO_ENTRY',
  'CHARGE.U_TURN_ACCUMULATED',
  'CHARGE.U_TURN_ONLINE',
  'BAND.IN',
  'BAND.ABOVE',
  'BAND.BELOW',
  'BAND.NO_AMOUNT',
] as const;

/** The charge, or undefined when neither a minimum fee nor an online fee can be had (see the fallback). */
export async function chargeStage(
  s: DecisionState,
  media: MediaFacts,
  entry: EntryFacts,
  minFee: MinFeeFacts,
  acc: Accumulated | undefined,
): Promise<Charge | undefined> {
  const { m, mCmp } = minFee;
  if (entry.noEntry) {
    const mf = minFee.figures;
    if (!mf) return undefined;
    s.step('CHARGE.MIN_FEE_NO_ENTRY', `无入口信息：按最小费额 ${mf.fee} 计费`);
    return { figures: mf, feeMileage: mileageOf(m) };
  }
  if (entry.uTurn) {
    if (acc && acc.amount > 0) {
      s.step(
        'CHARGE.U_TURN_ACCUMULATED',
        `U型车按${acc.source === 'obu' ? 'OBU' : '卡'}累计金额 ${acc.amount} 计费`,
      );
      return { figures: accumulatedFigures(acc), feeMileage: 0 };
    }
    s.step('CHARGE.U_TURN_ONLINE', 'U型车无累计金额：请求在线计费');
    // M(S, S) = 0, so the band checks are meaningless: no min-fee comparison for a U-turn.
    return onlineStage(s, media, entry, { mCmp: 0, minFee: undefined });
  }
  if (acc && m.reachable && minFee.inBand(acc.amount)) {
    const [bn, bd] = s.policy.bandUpper;
    s.step('BAND.IN', `累计金额 ${acc.amount} 在 [${mCmp}, ${mCmp}×${bn}/${bd}] 内：按累计金额计费`);
    return { figures: accumulatedFigures(acc), feeMileage: mileageOf(m) };
  }
  if (acc && m.reachable) {
    const above = acc.amount > mCmp;
    const code =
      acc.source === 'obu'
        ? above
          ? SPECIAL.OBU_AMOUNT_ABOVE_BAND
          : SPECIAL.OBU_AMOUNT_BELOW_MIN
        : above
          ? SPECIAL.CARD_AMOUNT_ABOVE_BAND
          : SPECIAL.CARD_AMOUNT_BELOW_MIN;
    s.step(
      above ? 'BAND.ABOVE' : 'BAND.BELOW',
      `累计金额 ${acc.amount} ${above ? '大于最小费额1.5倍' : '小于最小费额'}`,
      [code],
    );
  } else if (!acc) {
    s.step('BAND.NO_AMOUNT', '无可用累计金额：请求在线计费');
  }
  return onlineStage(s, media, entry, { mCmp, minFee: minFee.figures });
}

/** Charging the minimum fee needs a monitor's authorisation where the province says so. */
export function authoriseMinFee(s: DecisionState, charge: Charge): void {
  if (charge.figures.exitFeeType === EXIT_FEE_TYPE.MIN_FEE && s.policy.minFeeNeedsAuthorisation) {
    s.authorise('MIN_FEE');
  }
}
