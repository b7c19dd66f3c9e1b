/**
 * Whole-yuan stage: a non-ETC exit (a CPC, or no card) is charged in whole yuan (business-rules.md §5, cpc-card.md
 * §5.3); the mode is the province's `nonEtcRounding` [I, unverified]. ETC keeps fen.
 */
import type { Fen } from '@tollpad/domain';
import { roundToYuan } from '../../rounding';
import type { Charge, DecisionState } from '../state';
import type { ChargeFigures } from '../types';

export const YUAN_RULES = ['ROUND.YUAN'] as const;

export function yuanStage(s: DecisionState, charge: Charge): Charge {
  // Non-ETC: a CPC, or no card at all.
  if (!s.input.cpc && !s.input.noCard) return charge;
  const mode = s.policy.nonEtcRounding;
  const round = (f: ChargeFigures): ChargeFigures => {
    const payFee = roundToYuan(f.payFee, mode) as Fen;
    // Free passage keeps fee 0: the whole rounded payFee is the discount.
    const fee = Math.min(roundToYuan(f.fee, mode), payFee) as Fen;
    return { ...f, payFee, fee, discountFee: (payFee - fee) as Fen };
  };
  const figures = round(charge.figures);
  if (figures.fee !== charge.figures.fee || figures.payFee !== charge.figures.payFee) {
    s.step(
      'ROUND.YUAN',
      `非ETC金额取整到元（${mode === 'down' ? '舍去' : '四舍五入'}）：${charge.figures.fee} → ${figures.fee}`,
    );
  }
  return {
    ...charge,
    figures,
    ...(charge.ifRefused ? { ifRefused: round(charge.ifRefused) } : {}),
  };
}
