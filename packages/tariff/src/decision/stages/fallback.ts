/**
 * Fallback stage: nothing reachable and no online fee. The farthest-station minimum fee, or zero for a
 * U-turn where the province says so.
 */
import { EXIT_FEE_TYPE, type Fen } from '@tollpad/domain';
import type { Charge, DecisionState } from '../state';
import type { ChargeFigures } from '../types';
import type { EntryFacts } from './entry';
import type { MediaFacts } from './media';
import { farthestMinFee, type MinFeeFacts, mileageOf, minFeeFigures } from './min-fee';

export const FALLBACK_RULES = ['CHARGE.FALLBACK'] as const;

export function fallbackStage(
  s: DecisionState,
  media: MediaFacts,
  entry: EntryFacts,
  minFee: MinFeeFacts,
): Charge {
  const useZero = entry.uTurn && s.policy.uTurnFallback === 'zero';
  const chosen =
    entry.uTurn || !minFee.m.reachable ? farthestMinFee(s.tables, s.exitIdx, minFee.ci) : minFee.m;
  const ff = useZero ? undefined : minFeeFigures(chosen, media.discount);
  const zero = 0 as Fen;
  const figures: ChargeFigures = ff ?? {
    payFee: zero,
    discountFee: zero,
    fee: zero,
    exitFeeType: EXIT_FEE_TYPE.MIN_FEE,
  };
  s.step('CHARGE.FALLBACK', useZero ? 'U型车无法计费：按0元（本省策略）' : `按最小费额兜底 ${figures.fee}`);
  return { figures, feeMileage: mileageOf(chosen) };
}
