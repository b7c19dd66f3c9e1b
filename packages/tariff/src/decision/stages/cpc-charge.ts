/**
 * CPC charge stage (cpc-card.md §5.3): a plausible card → its amount A (exitFeeType 3); otherwise the
 * online fee by the actual plate (4/5); the online fee fails → the card's amount if it is usable (3), else
 * the shortest reachable path's minimum fee (6). No entry and the U-turn go as for any other medium.
 */
import { EXIT_FEE_TYPE } from '@tollpad/domain';
import type { Charge, DecisionState } from '../state';
import { accumulatedFigures } from './accumulated';
import { chargeStage } from './charge';
import type { CpcCheck } from './cpc';
import type { EntryFacts } from './entry';
import type { MediaFacts } from './media';
import { type MinFeeFacts, mileageOf } from './min-fee';
import { onlineStage } from './online';

export const CPC_CHARGE_RULES = [
  'CPC.CARD_AMOUNT',
  'CPC.ONLINE',
  'CPC.FALLBACK_CARD',
  'CPC.FALLBACK_SHORTEST',
] as const;

/** The charge, or undefined when nothing is reachable (then the farthest-station fallback). */
export async function cpcChargeStage(
  s: DecisionState,
  media: MediaFacts,
  entry: EntryFacts,
  minFee: MinFeeFacts,
  check: CpcCheck,
): Promise<Charge | undefined> {
  const { m, mCmp } = minFee;
  if (entry.noEntry || entry.uTurn) {
    return chargeStage(s, media, entry, minFee, check.intact ? check.acc : undefined);
  }
  if (check.plausible) {
    s.step('CPC.CARD_AMOUNT', `按CPC卡内累计金额 ${check.amount} 计费（exitFeeType 3）`);
    return { figures: accumulatedFigures(check.acc), feeMileage: mileageOf(m) };
  }
  s.step('CPC.ONLINE', `CPC卡内金额不可用：按实际车牌${s.input.plate ?? ''}请求在线计费`);
  const online = await onlineStage(s, media, entry, {
    mCmp,
    minFee: minFee.figures,
    fallbackToMinFee: false,
  });
  if (online) return online;
  // Usable: a whole fee record that does not undercut the minimum fee (age and the upper band aside).
  const usable = check.intact && check.amount > 0 && (!m.reachable || check.amount >= mCmp);
  if (usable) {
    const [bn, bd] = s.policy.cpcBandUpper;
    const over = m.reachable && check.amount * bd > mCmp * bn;
    s.step(
      'CPC.FALLBACK_CARD',
      `在线计费不可用：按CPC卡内累计金额 ${check.amount} 计费${over ? '，超过上限需监控确认' : ''}`,
    );
    if (over) s.authorise('OVER_BAND');
    const ifRefused = over ? minFee.figures : undefined;
    return {
      figures: accumulatedFigures(check.acc),
      feeMileage: mileageOf(m),
      ...(ifRefused ? { ifRefused } : {}),
    };
  }
  const mf = minFee.figures;
  if (!mf) return undefined;
  s.step(
    'CPC.FALLBACK_SHORTEST',
    `在线计费不可用且卡内信息不可用：按全网可达最短路径 ${mf.fee} 计费（exitFeeType ${EXIT_FEE_TYPE.MIN_FEE}）`,
  );
  return { figures: mf, feeMileage: mileageOf(m) };
}
