import type { TrainingCpcSpec } from '@tollpad/card/sim';
import type { NoCardRead } from '@tollpad/station-api';
import { makePayer } from './cpc-vehicles';
import type { Payer } from './handheld-payment';
import type { PayChannel, Shares } from './mix';
import type { Prng } from './prng';
import { plateOf } from './vehicles';

/**
 * The vehicles without a usable card of a mixed day (SYNTHETIC TEST DATA, cpc-card.md §5.4): none taken at
 * entry, a CPC lost, a CPC damaged (its ID still legible on the label). Each drove a planned trip whose
 * gantries saw its plate (they report the passages to the centre: the online fee by plate), and some drivers
 * state their entry or refuse to. Shares are [P].
 */
export type NoneCaseId = 'none-no-card' | 'none-lost' | 'none-damaged' | 'cpc-unreadable';

export interface NoneVehicle extends Payer {
  caseId: NoneCaseId;
  reason: NoCardRead['reason'];
  /** The trip as a CPC's (the lost or damaged card's PassID on the gantries; its plate on their cameras). */
  trip: TrainingCpcSpec;
  /** The driver states the entry (its HEX, filled in once the trip is planned), refuses, or is not asked. */
  entry: 'stated' | 'refused' | 'unasked';
}

/** [P] shares within the no-card vehicles, percent. */
const REASON_SHARES: readonly [NoCardRead['reason'], number][] = [
  ['no-card', 40],
  ['lost', 40],
  ['damaged', 20],
];
const STATED_SHARE = 30;
const REFUSED_SHARE = 10;

/** The no-card vehicles' TEST CPC IDs (the lost or damaged card): the CPC vehicles' numbering from 5,000,000,000. */
const NONE_CPC_BASE = 5_000_000_000;

export function makeNoneVehicle(index: number, rng: Prng, pay: Shares<PayChannel>): NoneVehicle {
  let r = rng.next() * 100;
  let reason: NoCardRead['reason'] = 'no-card';
  for (const [k, share] of REASON_SHARES) {
    r -= share;
    if (r < 0) {
      reason = k;
      break;
    }
  }
  const e = rng.next() * 100;
  const truck = rng.chance(0.1);
  return {
    ...makePayer(index, rng, pay),
    caseId: `none-${reason}`,
    reason,
    entry: e < STATED_SHARE ? 'stated' : e < STATED_SHARE + REFUSED_SHARE ? 'refused' : 'unasked',
    trip: {
      id: `none-${reason}`,
      label: '无卡车辆（plaza-day TEST）',
      plate: plateOf(index),
      colour: truck ? 1 : 0,
      vehicleClass: truck ? 12 : 1,
      cpcId: `370199${String(NONE_CPC_BASE + index).padStart(10, '0')}`,
      batteryPercent: 80,
      entryOffset: rng.int(1, 3),
      entryHoursAgo: rng.int(2, 6) / 2,
    },
  };
}
