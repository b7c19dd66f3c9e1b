import type { Prng } from './prng';
import type { VehicleFault } from './served-vehicle';

/** The handheld-side fault of vehicle `index` (at most one), from the vehicle's own seeded stream. */
export function vehicleFault(
  rng: Prng,
  rates: { tearRate: number; swapRate: number; restartRate: number },
): VehicleFault {
  const u = rng.next();
  const when = () => (rng.chance(0.5) ? 'before' : 'after') as 'before' | 'after';
  if (u < rates.tearRate) {
    // Read phase: SELECT, READ 0015, READ 0019 (, GET BALANCE); purchase: INITIALIZE, UPDATE, DEBIT.
    return rng.chance(0.3)
      ? { kind: 'tear', phase: 'read', nth: rng.int(1, 3), when: when() }
      : { kind: 'tear', phase: 'purchase', nth: rng.int(1, 3), when: when() };
  }
  if (u < rates.tearRate + rates.swapRate) {
    // Mostly at DEBIT (the dangerous one); sometimes before it.
    return { kind: 'swap', nth: rng.chance(0.75) ? 3 : rng.int(1, 2), when: when() };
  }
  if (u < rates.tearRate + rates.swapRate + rates.restartRate)
    return { kind: 'handheld-restart', when: when() };
  return null;
}

/**
 * Where in the day (as a count of vehicles issued) each of `count` process/link faults goes: evenly spread,
 * each jittered within its slot, in increasing order.
 */
export function faultPositions(count: number, exits: number, rng: Prng): number[] {
  const out: number[] = [];
  const slot = exits / (count + 1);
  for (let k = 1; k <= count; k++) {
    out.push(Math.max(1, Math.min(exits, Math.round(slot * k + (rng.next() - 0.5) * slot * 0.8))));
  }
  return out.sort((a, b) => a - b);
}

/** Relative traffic over the day (0..1]: a night trough and morning/evening peaks. [P] shape. */
export function dayProfile(p: number): number {
  const peak = (c: number, w: number) => Math.exp(-(((p - c) / w) ** 2));
  return Math.min(1, 0.3 + 0.7 * Math.max(peak(0.33, 0.1), peak(0.72, 0.12)));
}
