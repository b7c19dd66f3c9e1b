/**
 * Free-passage stage: free kinds and holiday free. Fee 0, payFee = what would be due; no online call for a
 * free vehicle.
 */
import {
  beijingDate,
  DISCOUNT_TYPE,
  type DiscountType,
  EXIT_FEE_TYPE,
  type Fen,
  SPECIAL,
  VEHICLE_KIND,
} from '@tollpad/domain';
import type { ProvincePolicy } from '../policy';
import type { Charge, DecisionState } from '../state';
import type { ChargeFigures, ExitFeeInput } from '../types';
import { type Accumulated, accumulatedFigures } from './accumulated';
import type { EntryFacts } from './entry';
import { type MinFeeFacts, mileageOf } from './min-fee';

export const FREE_PASSAGE_RULES = ['FREE.KIND', 'FREE.HOLIDAY'] as const;

export interface FreePassage {
  readonly charge: Charge;
  readonly discountType: DiscountType | undefined;
}

/** The free passage, or undefined when the vehicle pays. */
export function freePassageStage(
  s: DecisionState,
  entry: EntryFacts,
  minFee: MinFeeFacts,
  acc: Accumulated | undefined,
): FreePassage | undefined {
  const { input, policy } = s;
  const freeKind = policy.freeKinds.includes(input.vehicleKind);
  const holiday = !freeKind && isHolidayFree(input, policy);
  if (!freeKind && !holiday) return undefined;
  const { m } = minFee;
  const due =
    acc && m.reachable && !entry.noEntry && minFee.inBand(acc.amount)
      ? accumulatedFigures(acc)
      : minFee.figures;
  const payFee = due?.payFee ?? (0 as Fen);
  let discountType: DiscountType | undefined;
  if (freeKind) {
    const codes =
      input.vehicleKind === VEHICLE_KIND.GREEN_CHANNEL
        ? [SPECIAL.GREEN_CHANNEL]
        : input.vehicleKind === VEHICLE_KIND.COMBINE_HARVESTER
          ? [SPECIAL.COMBINE_HARVESTER]
          : [];
    discountType =
      input.vehicleKind === VEHICLE_KIND.GREEN_CHANNEL
        ? DISCOUNT_TYPE.GREEN_CHANNEL
        : input.vehicleKind === VEHICLE_KIND.COMBINE_HARVESTER
          ? DISCOUNT_TYPE.COMBINE_HARVESTER
          : undefined;
    s.step('FREE.KIND', `车种 ${input.vehicleKind} 免费通行`, codes);
    s.authorise('FREE_VEHICLE');
    if (policy.inspectionKinds.includes(input.vehicleKind)) s.authorise('INSPECTION');
  } else {
    discountType = DISCOUNT_TYPE.HOLIDAY_FREE;
    s.step('FREE.HOLIDAY', `节假日免费（按出口北京时间 ${beijingDate(input.exitTime)}）`, [
      SPECIAL.HOLIDAY_FREE,
    ]);
  }
  const figures: ChargeFigures = {
    payFee,
    discountFee: payFee,
    fee: 0 as Fen,
    exitFeeType: due?.exitFeeType ?? EXIT_FEE_TYPE.MIN_FEE,
  };
  return { charge: { figures, feeMileage: mileageOf(m) }, discountType };
}

function isHolidayFree(input: ExitFeeInput, p: ProvincePolicy): boolean {
  if (!p.holidayFreeClasses.includes(input.vehicleClass)) return false;
  if (
    input.seats === undefined ? !p.holidayAssumeEligibleWhenSeatsUnknown : input.seats > p.holidayMaxSeats
  ) {
    return false;
  }
  const day = beijingDate(input.exitTime);
  return p.holidays.some((h) => h.from <= day && day <= h.to);
}
