import { formatPassId } from '@tollpad/domain';
import { type Network, planTrip as planTariffTrip, type TripPass } from '@tollpad/tariff';
import { api } from './http';

export interface TripPlan {
  entryStationId: string;
  entryStationHex: string;
  exitStationId: string;
  /** Whole seconds: the card stores Beijing seconds, and the PassID is rebuilt from them. */
  entryTime: Date;
  passId: string;
  gantries: { id: string; hex: string; time: Date }[];
  /** Each gantry pass with its province byte, fee and length (what a CPC's gantry writes). */
  passes: TripPass[];
}

/**
 * A simulated trip on the synthetic province (TEST data), planned by @tollpad/tariff's planTrip (the one
 * planner the handheld's training cards use too): entry `offset` stations back along the exit's road
 * (0 = the exit station itself: a U-turn), or at `entryStationHex` (e.g. the neighbour province's station),
 * the min-fee path, and the gantries on it with times spread between entry and now.
 */
export function planTrip(
  net: Network,
  o: {
    exitStationId: string;
    offset: number;
    vehicleClass: number;
    entryTime: Date;
    exitTime: Date;
    cardNumber: string;
    /** Enter here instead of `offset` stations back (8-hex station the tariff knows). */
    entryStationHex?: string;
  },
): TripPlan {
  const r = planTariffTrip(net, {
    exitStation: o.exitStationId,
    offset: o.offset,
    ...(o.entryStationHex ? { entryStation: o.entryStationHex } : {}),
    vehicleClass: o.vehicleClass,
    entryTime: o.entryTime,
    exitTime: o.exitTime,
  });
  if (!r.ok) throw new Error(`trip to ${o.exitStationId}: ${r.error.message}`);
  const p = r.value;
  return {
    entryStationId: p.entryStationId,
    entryStationHex: p.entryStationHex,
    exitStationId: p.exitStationId,
    entryTime: p.entryTime,
    passId: formatPassId({
      media: 'card',
      cardNetwork: o.cardNumber.slice(0, 4),
      cardNo: o.cardNumber.slice(4),
      entryTime: p.entryTime,
    }),
    gantries: p.passes.map((g) => ({ id: g.gantryId, hex: g.gantryHex, time: g.time })),
    passes: p.passes,
  };
}

/**
 * The gantries report the passages to the centre (what a real ETC gantry uploads), with the plate their
 * camera read when given: the centre's online fee for a CPC is asked by that plate (cpc-card.md §5.3).
 */
export async function postPassages(
  centreUrl: string,
  plan: TripPlan,
  vehicleClass: number,
  plate?: string,
): Promise<void> {
  if (plan.gantries.length === 0) return;
  await api(centreUrl, 'POST', '/gantry-passages', {
    body: {
      passages: plan.gantries.map((g) => ({
        passId: plan.passId,
        gantry: g.id,
        time: g.time.toISOString(),
        vehicleClass,
        ...(plate !== undefined ? { plate } : {}),
      })),
    },
  });
}
