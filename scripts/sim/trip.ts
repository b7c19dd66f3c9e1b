import { formatPassId } from '@tollpad/domain';
import { buildMinFeeTables, classIndex, minFeePath, type Network, stationIndexOf } from '@tollpad/tariff';
import { api } from './http';

export interface TripPlan {
  entryStationId: string;
  entryStationHex: string;
  exitStationId: string;
  /** Whole seconds: the card stores Beijing seconds, and the PassID is rebuilt from them. */
  entryTime: Date;
  passId: string;
  gantries: { id: string; hex: string; time: Date }[];
}

/**
 * A simulated trip on the synthetic province (TEST data): entry `offset` stations back along the exit's
 * road (0 = the exit station itself: a U-turn), or at `entryStationHex` (e.g. the neighbour province's
 * station), the min-fee path, and the gantries on it with times spread between entry and now.
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
  const exitIdx = stationIndexOf(net, o.exitStationId);
  const exit = net.stations[exitIdx];
  if (!exit) throw new Error(`exit station ${o.exitStationId} not in the tariff`);
  // Synthetic province layout: road in hex bytes 2–3, station sequence in the last byte.
  const seq = Number.parseInt(exit.hex.slice(6, 8), 16);
  const target = seq - o.offset >= 1 ? seq - o.offset : seq + o.offset;
  const entryHex =
    o.entryStationHex?.toUpperCase() ??
    `${exit.hex.slice(0, 6)}${target.toString(16).toUpperCase().padStart(2, '0')}`;
  const entryIdx = stationIndexOf(net, entryHex);
  const entry = net.stations[entryIdx];
  if (!entry) throw new Error(`no station ${entryHex} in the tariff`);
  const entryTime = new Date(Math.floor(o.entryTime.getTime() / 1000) * 1000);
  const tables = buildMinFeeTables(net);
  const path = entryIdx === exitIdx ? [] : minFeePath(tables, entryIdx, exitIdx, classIndex(o.vehicleClass));
  const gantryIdx = path.flatMap((e) => net.edgeGantries[e] ?? []);
  const span = o.exitTime.getTime() - entryTime.getTime();
  const gantries = gantryIdx.map((gi, i) => {
    const g = net.gantries[gi]!;
    return {
      id: g.id,
      hex: g.hex,
      time: new Date(entryTime.getTime() + (span * (i + 1)) / (gantryIdx.length + 1)),
    };
  });
  return {
    entryStationId: entry.id,
    entryStationHex: entry.hex,
    exitStationId: exit.id,
    entryTime,
    passId: formatPassId({
      media: 'card',
      cardNetwork: o.cardNumber.slice(0, 4),
      cardNo: o.cardNumber.slice(4),
      entryTime,
    }),
    gantries,
  };
}

/** The gantries report the passages to the centre (what a real ETC gantry uploads). */
export async function postPassages(centreUrl: string, plan: TripPlan, vehicleClass: number): Promise<void> {
  if (plan.gantries.length === 0) return;
  await api(centreUrl, 'POST', '/gantry-passages', {
    body: {
      passages: plan.gantries.map((g) => ({
        passId: plan.passId,
        gantry: g.id,
        time: g.time.toISOString(),
        vehicleClass,
      })),
    },
  });
}
