/** Accumulated-amount stage: the amount the media carry (a usable OBU's EF04, else the card's 0019). */
import { EXIT_FEE_TYPE, type Fen } from '@tollpad/domain';
import type { DecisionState } from '../state';
import type { ChargeFigures } from '../types';
import type { MediaFacts } from './media';

/** This stage only chooses; the band and charge stages trace what the choice leads to. */
export const ACCUMULATED_RULES = [] as const;

export interface Accumulated {
  /** What would be charged (after the discount where it applies), fen. */
  readonly amount: number;
  /** What was due before the discount, fen. */
  readonly payFee: number;
  /** 'cpc': Σ of a CPC's fee blocks (the CPC stage sets it; exitFeeType 3). */
  readonly source: 'obu' | 'card' | 'cpc';
}

export function accumulatedStage(s: DecisionState, media: MediaFacts): Accumulated | undefined {
  const { obu, card } = s.input;
  if (obu && media.obuUsable) {
    return media.discount
      ? { amount: obu.totalDiscountAmount, payFee: obu.totalAmount, source: 'obu' }
      : { amount: obu.totalAmount, payFee: obu.totalAmount, source: 'obu' };
  }
  if (card.accumulatedAmount !== undefined) {
    const a = card.accumulatedAmount;
    return { amount: a, payFee: a, source: 'card' };
  }
  return undefined;
}

/** The figures of charging the accumulated amount (exitFeeType 1; 3 for a CPC). */
export function accumulatedFigures(a: Accumulated): ChargeFigures {
  return {
    payFee: Math.max(a.payFee, a.amount) as Fen,
    fee: a.amount as Fen,
    discountFee: (Math.max(a.payFee, a.amount) - a.amount) as Fen,
    exitFeeType: a.source === 'cpc' ? EXIT_FEE_TYPE.CPC_ACCUMULATED : EXIT_FEE_TYPE.OBU_ACCUMULATED,
  };
}
