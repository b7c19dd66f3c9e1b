/**
 * The exit fee decision (【算费】): stage functions over one DecisionState, each in stages/ with its rule IDs.
 *
 *   input → media → entry → minimum fee → accumulated amount | CPC plausibility → free passage
 *   | charge (ETC: band → online; CPC: card → online → card → shortest path) → fallback → yuan → result
 *
 * A CPC exit (input.cpc) checks the card's per-province fee blocks for plausibility where the ETC exit
 * takes its accumulated amount, and is charged in whole yuan. An exit without a usable card (input.noCard)
 * skips the entry stage: plate → stated entry → farthest route, plus the card cost (stages/no-card.ts).
 */
import { EXIT_FEE_TYPE, ok, type Result, SPECIAL } from '@tollpad/domain';
import { DEFAULT_POLICY } from './policy';
import { accumulatedStage } from './stages/accumulated';
import { authoriseMinFee, chargeStage } from './stages/charge';
import { cpcStage } from './stages/cpc';
import { cpcChargeStage } from './stages/cpc-charge';
import { entryStage } from './stages/entry';
import { fallbackStage } from './stages/fallback';
import { freePassageStage } from './stages/free-passage';
import { checkInput, inputStage } from './stages/input';
import { mediaStage } from './stages/media';
import { minFeeStage } from './stages/min-fee';
import { noCardStage } from './stages/no-card';
import { resultStage } from './stages/result';
import { yuanStage } from './stages/yuan';
import { type DecisionDeps, DecisionState } from './state';
import type { DecisionError, ExitFeeDecision, ExitFeeInput, ExitFeeType } from './types';

export type { DecisionDeps } from './state';

/** Every special code this decision can put on a record (the decision-table test reaches each one). */
export const DECISION_SPECIAL_CODES: readonly number[] = [
  SPECIAL.OBU_REMOVED,
  SPECIAL.EF04_FORMAT,
  SPECIAL.EF04_NO_CARD_PASSES,
  SPECIAL.OBU_ENTRY_INVALID,
  SPECIAL.EF04_NO_PROVINCE,
  SPECIAL.OBU_AMOUNT_ABOVE_BAND,
  SPECIAL.OBU_AMOUNT_BELOW_MIN,
  SPECIAL.MILEAGE_ABNORMAL,
  SPECIAL.CARD_ENTRY_INVALID,
  SPECIAL.CARD_AMOUNT_ABOVE_BAND,
  SPECIAL.CARD_AMOUNT_BELOW_MIN,
  SPECIAL.ENTRY_EXIT_CLASS,
  SPECIAL.ENTRY_EXIT_STATUS_FLAG,
  SPECIAL.ENTRY_TIME_ABNORMAL,
  SPECIAL.TIMEOUT,
  SPECIAL.PATH_UNREACHABLE_ENTRY,
  SPECIAL.ONLINE_FEE_FAILED_PROVINCE,
  SPECIAL.ONLINE_FEE_FAILED_NATIONAL,
  SPECIAL.ONLINE_FEE_ZERO,
  SPECIAL.ONLINE_FEE_BELOW_MIN,
  SPECIAL.ONLINE_FEE_ABOVE_BAND,
  SPECIAL.FEE_PATH_UNREACHABLE,
  SPECIAL.FEE_TOO_MANY_GANTRIES,
  SPECIAL.FEE_FIT_FAILED,
  SPECIAL.U_TURN,
  SPECIAL.HOLIDAY_FREE,
  SPECIAL.GREEN_CHANNEL,
  SPECIAL.COMBINE_HARVESTER,
];

/** exitFeeType values this decision can emit (2 is deprecated, 11 open system is not a closed exit). */
export const DECISION_EXIT_FEE_TYPES: readonly ExitFeeType[] = [
  EXIT_FEE_TYPE.OBU_ACCUMULATED,
  EXIT_FEE_TYPE.CPC_ACCUMULATED,
  EXIT_FEE_TYPE.ONLINE_PROVINCE,
  EXIT_FEE_TYPE.ONLINE_MINISTRY,
  EXIT_FEE_TYPE.MIN_FEE,
];

/**
 * The exit fee decision, pure apart from the online-fee port. See README for the rule order.
 * Errors (typed) only for inputs the collector must fix: unknown exit station/class, missing entry.
 */
export async function decideExitFee(
  input: ExitFeeInput,
  deps: DecisionDeps,
): Promise<Result<ExitFeeDecision, DecisionError>> {
  const checked = checkInput(input, deps.tables);
  if (!checked.ok) return checked;
  const s = new DecisionState(
    input,
    deps.tables,
    { ...DEFAULT_POLICY, ...deps.policy },
    deps.onlineFee,
    checked.value,
  );
  inputStage(s);
  const media = mediaStage(s);
  if (input.noCard) {
    const nc = await noCardStage(s, input.noCard);
    return ok(resultStage(s, media, nc.entry, nc.minFee, nc.charge, nc.discountType, nc.outcome));
  }
  const entry = entryStage(s);
  if (!entry.ok) return entry;
  const minFee = minFeeStage(s, media, entry.value);
  const cpc = input.cpc ? cpcStage(s, input.cpc, entry.value, minFee) : undefined;
  const acc = cpc ? (cpc.plausible ? cpc.acc : undefined) : accumulatedStage(s, media);
  const free = freePassageStage(s, entry.value, minFee, acc);
  if (free) {
    return ok(resultStage(s, media, entry.value, minFee, yuanStage(s, free.charge), free.discountType));
  }
  const charged = cpc
    ? await cpcChargeStage(s, media, entry.value, minFee, cpc)
    : await chargeStage(s, media, entry.value, minFee, acc);
  const charge = yuanStage(s, charged ?? fallbackStage(s, media, entry.value, minFee));
  authoriseMinFee(s, charge);
  return ok(resultStage(s, media, entry.value, minFee, charge, undefined));
}
