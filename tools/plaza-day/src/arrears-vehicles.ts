import type { Network } from '@tollpad/tariff';
import { type CpcVehicle, makeCpcVehicle } from './cpc-vehicles';
import type { PayChannel, Shares } from './mix';
import type { Prng } from './prng';

/**
 * The arrears plates of a mixed day (追缴, SYNTHETIC TEST DATA): a CPC vehicle whose plate the centre's book
 * holds one open entry for (an earlier evasion), added through the centre's publisher API before the traffic.
 * At the exit the collector looks the plate up, takes the payback (its own payment and record), then does
 * the vehicle's CPC exit as usual. Amounts are [P].
 */
export interface ArrearsVehicle extends CpcVehicle {
  /** The entry the book holds for this plate (its ID, what is owed). */
  entry: { id: string; oweFee: number };
}

/** The book's entry ID of vehicle `index` of day `seed` (letters, digits and dashes; ≤ 40). */
export const arrearsEntryId = (seed: number, index: number) => `PD-${seed}-${index}`;

/** [P] what an evasion left owed: 5 to 200 yuan. */
function oweFeeOf(seed: number, index: number): number {
  return 500 + (((seed ^ (index * 2_654_435_761)) >>> 0) % 196) * 100;
}

export function makeArrearsVehicle(
  index: number,
  rng: Prng,
  pay: Shares<PayChannel>,
  seed: number,
): ArrearsVehicle {
  const base = makeCpcVehicle(index, rng, pay);
  return {
    ...base,
    caseId: 'arrears',
    spec: { ...base.spec, id: 'arrears', label: '追缴车辆（plaza-day TEST）' },
    entry: { id: arrearsEntryId(seed, index), oweFee: oweFeeOf(seed, index) },
  };
}

/** The book entry of an arrears vehicle as the centre's `POST /arrears` takes it (TEST). */
export function arrearsEntryOf(
  v: { index: number; plate: string; colour: number },
  seed: number,
  net: Network,
  exitStationId: string,
) {
  const stations = net.stations;
  const entryStation = stations[(v.index % Math.max(1, stations.length - 1)) + 1]?.id ?? exitStationId;
  return {
    id: arrearsEntryId(seed, v.index),
    vehicleId: `${v.plate}_${v.colour}`,
    passId: `PD${String(seed).padStart(10, '0')}${String(v.index).padStart(10, '0')}`,
    realEnStationId: entryStation,
    realExStationId: exitStationId,
    confirmedEscapeTypeName: '闯关逃费',
    reason: '此前闯关未缴费 (plaza-day TEST)',
    oweFee: oweFeeOf(seed, v.index),
    evasionCount: 1,
    isPreBlack: false,
    creationTime: new Date(Date.now() - 7 * 86_400_000).toISOString(),
  };
}
