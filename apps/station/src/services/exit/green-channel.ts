import { SPECIAL, VEHICLE_KIND, VEHICLE_STATUS_FLAG } from '@tollpad/domain';
import type { GreenInspectionRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { FeeJson } from '../json-columns';

/** What 【算费】 needs of the exit's latest 绿通查验. */
export interface GreenFacts {
  id: string;
  passed: boolean;
  banned: boolean;
}

/**
 * The facts of an exit's latest inspection for the vehicle now on it (none: not inspected). An inspection of
 * another plate (the exit photographed again since) is not this vehicle's: it counts as none. `banNow`: the
 * plate's ban in the lists in force, which refuses a pass judged before the ban arrived.
 */
export function greenFactsOf(
  r: GreenInspectionRow | undefined,
  vehicleId: string,
  banNow: boolean,
): GreenFacts | undefined {
  if (!r || r.vehicle_id !== vehicleId) return undefined;
  return { id: r.id, passed: r.passed === 1, banned: r.ban_json !== null || banNow };
}

/**
 * The monitor's reasons a passed inspection answers [P]: the tariff asks a monitor to confirm a free kind and its
 * inspection (FREE_VEHICLE, INSPECTION); for kind 21 the collector's inspection with its photos of the load is
 * that confirmation, kept and uploaded beside the record. Other reasons (a status flag mismatch…) stay.
 */
const ANSWERED_BY_PASS: ReadonlySet<string> = new Set(['FREE_VEHICLE', 'INSPECTION']);

/** 【算费】 with kind 21 (绿通): only after a passed inspection of this exit (cpc-card.md §8: free only after it). */
export function requireGreenChoice(kind: number, g: GreenFacts | undefined): void {
  if (kind !== VEHICLE_KIND.GREEN_CHANNEL) return;
  if (g?.banned) throw new StationError('STN_ERR_GREEN_BANNED');
  if (!g?.passed) throw new StationError('STN_ERR_GREEN_NOT_INSPECTED');
}

/**
 * The fee as the inspection leaves it: a pass priced as kind 21 (the tariff's free passage: fee 0, payFee = the
 * computed amount, discountFee = payFee, special 128, discountType 1) without the reasons it answers; a fail, a
 * mixed load or a ban: special 126 beside the normal fee. The inspection's ID rides with the fee to the record.
 */
export function withGreenInspection(fee: FeeJson, g: GreenFacts | undefined): FeeJson {
  if (!g) return fee;
  if (g.passed && fee.vehicleKind === VEHICLE_KIND.GREEN_CHANNEL) {
    return {
      ...fee,
      authReasons: fee.authReasons.filter((r) => !ANSWERED_BY_PASS.has(r.code)),
      greenInspection: { id: g.id, passed: true },
    };
  }
  if (g.passed) return { ...fee, greenInspection: { id: g.id, passed: true } };
  const specials = [...new Set([...fee.specials, SPECIAL.GREEN_INSPECTION_FAILED])].sort((a, b) => a - b);
  return { ...fee, specials, greenInspection: { id: g.id, passed: false } };
}

/** The record's vehicleSign: 0x02 绿通 for a passed green-channel exit (business-rules §2), else the medium's. */
export function greenVehicleSign(fee: Readonly<FeeJson>, medium: number): number {
  return fee.greenInspection?.passed && fee.vehicleKind === VEHICLE_KIND.GREEN_CHANNEL
    ? VEHICLE_STATUS_FLAG.GREEN_CHANNEL
    : medium;
}
