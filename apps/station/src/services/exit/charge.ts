import type { VehicleClass, VehicleKind } from '@tollpad/domain';
import type { ExitChecks, ExitFeeRequest } from '@tollpad/station-api';
import type { ExitFeeDecision, ExitFeeInput } from '@tollpad/tariff';
import { StationError } from '../../errors';
import type { FeeJson } from '../json-columns';
import type { MediumFeeFacts, Payability } from './exit-parts';
import { refusalChargesMinimum } from './states';

/** Codes the station notes that the shared table does not name (TCS defs.h). */
export const STATION_SPECIAL = {
  /** 状态名单临时放行 — released by a monitor. */
  LIST_TEMP_RELEASE: 501,
} as const;

/** What the collector chose at 【算费】. */
export type FeeChoice = ExitFeeRequest;

/**
 * The fee decision's input: the medium's facts, the collector's choice, this exit, and the plate the collector
 * confirmed from the photo (a CPC's online fee is asked by the actual plate, cpc-card.md §5.3 step 2).
 */
export function feeInput(
  facts: MediumFeeFacts,
  choice: FeeChoice,
  laneId: string,
  now: Date,
  plate: string | null,
): ExitFeeInput {
  const { entry } = facts.card;
  // No card: the entry the collector picks at 【算费】 is the driver's statement (it replaces one made at 【读卡】).
  const noCard =
    facts.noCard && choice.entryStation
      ? { reason: facts.noCard.reason, statedEntry: choice.entryStation }
      : facts.noCard;
  return {
    ...facts,
    ...(noCard ? { noCard } : {}),
    // A medium that names no entry class: the collector's class stands in, so no mismatch is judged.
    card: {
      ...facts.card,
      entry: entry ? { ...entry, vehicleClass: entry.vehicleClass ?? choice.vehicleClass } : null,
    },
    vehicleClass: choice.vehicleClass as VehicleClass,
    vehicleKind: choice.vehicleKind as VehicleKind,
    ...(choice.seats !== undefined ? { seats: choice.seats } : {}),
    exitStation: laneId.slice(0, 14),
    exitTime: now,
    ...(choice.entryStation && !facts.noCard ? { selectedEntryStation: choice.entryStation } : {}),
    ...(plate ? { plate } : {}),
  };
}

/** The decision's refusal as the collector's error. */
export function feeRefusal(e: { code: string; field: string; reason: string }): StationError {
  switch (e.code) {
    case 'ENTRY_REQUIRED':
      return new StationError('STN_ERR_EXIT_ENTRY_REQUIRED', e.reason);
    case 'ENTRY_STATION_UNKNOWN':
      return new StationError('STN_ERR_EXIT_ENTRY_UNKNOWN', e.reason);
    case 'EXIT_STATION_UNKNOWN':
      return new StationError('STN_ERR_EXIT_TARIFF_MISSING', e.reason);
    default:
      return new StationError('STN_ERR_REQ_INVALID', `${e.field}: ${e.reason}`);
  }
}

/**
 * The fee column from a decision: the specials of the checks, the photo and the decision (and what the
 * payment adds), the reasons a monitor must authorise, and whether the payment can take the charge.
 */
export function shapeFee(
  choice: FeeChoice,
  dec: ExitFeeDecision,
  checks: Readonly<ExitChecks>,
  payability: Payability,
): FeeJson {
  const specials = new Set<number>([
    ...checks.specials.map((s) => s.code),
    ...checks.imageSpecials.map((s) => s.code),
    ...dec.specialCodes,
    ...payability.specials,
  ]);
  const authReasons = dec.authorisation.reasons.map((x) => ({ code: x.code as string, text: x.text }));
  if (checks.needsRelease) authReasons.push({ code: 'LIST_RELEASE', text: '状态名单车辆临时放行需班长授权' });
  const chosen = {
    ...(choice.entryStation !== undefined ? { entryStation: choice.entryStation } : {}),
    ...(choice.seats !== undefined ? { seats: choice.seats } : {}),
  };
  return {
    vehicleClass: choice.vehicleClass,
    vehicleKind: choice.vehicleKind,
    ...(Object.keys(chosen).length > 0 ? { choice: chosen } : {}),
    decision: { ...dec, trace: dec.trace.map((s) => ({ rule: s.rule, text: s.text })) },
    charge: { payFee: dec.payFee, discountFee: dec.discountFee, fee: dec.fee, exitFeeType: dec.exitFeeType },
    specials: [...specials].sort((a, b) => a - b),
    authReasons,
    etcPayable: payability.payable,
    notPayableReason: payability.reason,
  };
}

/** An approval: a released status-list vehicle is noted as such. */
export function approvedFee(fee: Readonly<FeeJson>): FeeJson {
  if (!fee.authReasons.some((r) => r.code === 'LIST_RELEASE')) return { ...fee };
  return {
    ...fee,
    specials: [...new Set([...fee.specials, STATION_SPECIAL.LIST_TEMP_RELEASE])].sort((a, b) => a - b),
  };
}

/**
 * A refusal: where the refused decision has a fallback charge (see refusalChargesMinimum), that is what
 * is charged now, and whether the payment can take it is asked again.
 */
export function refusedFee(
  fee: Readonly<FeeJson>,
  payable: (amount: number) => Payability,
): { fee: FeeJson; amount: number | null } | null {
  if (!fee.decision.ifRefused || !refusalChargesMinimum(fee)) return null;
  const charge = fee.decision.ifRefused;
  const p = payable(charge.fee);
  return {
    fee: { ...fee, charge, etcPayable: p.payable, notPayableReason: p.payable ? null : p.reason },
    amount: charge.fee,
  };
}
