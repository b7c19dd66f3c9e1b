/** Result stage: the decision's figures, fee rate, specials, authorisation and trace, from the charge. */
import type { DiscountType, Fen } from '@tollpad/domain';
import type { Charge, DecisionState } from '../state';
import type { ExitFeeDecision, NoCardOutcome } from '../types';
import type { EntryFacts } from './entry';
import type { MediaFacts } from './media';
import { type MinFeeFacts, mileageOf } from './min-fee';

export const RESULT_RULES = ['RESULT'] as const;

export function resultStage(
  s: DecisionState,
  media: MediaFacts,
  entry: EntryFacts,
  minFee: MinFeeFacts,
  charge: Charge,
  discountType: DiscountType | undefined,
  noCard?: NoCardOutcome,
): ExitFeeDecision {
  const { figures } = charge;
  const { m } = minFee;
  const shortFee = minFee.mCmp as Fen;
  const feeRate =
    shortFee > 0 ? Math.round((figures.fee / shortFee) * 10000) / 10000 : figures.fee === 0 ? 1 : 0;
  const reasons = [...s.auth.values()];
  s.step(
    'RESULT',
    `应收 ${figures.payFee}，优惠 ${figures.discountFee}，实收 ${figures.fee}，exitFeeType ${figures.exitFeeType}` +
      (reasons.length > 0 ? `；需授权：${reasons.map((r) => r.text).join('；')}` : ''),
  );
  return {
    ...figures,
    shortFee,
    shortFeeMileage: mileageOf(m),
    feeMileage: charge.feeMileage || mileageOf(m),
    feeRate,
    specialCodes: [...s.codes].sort((a, b) => a - b),
    ...(discountType !== undefined ? { discountType } : {}),
    etcDiscountApplied: media.discount,
    ...(entry.entryIdx >= 0 ? { entryStation: s.tables.network.nodeIds[entry.entryIdx]! } : {}),
    feeClass: entry.feeClass,
    spcRateVersion: s.tables.version,
    authorisation: { required: reasons.length > 0, reasons },
    ...(charge.ifRefused ? { ifRefused: charge.ifRefused } : {}),
    ...(noCard ? { noCard } : {}),
    trace: s.trace,
  };
}
