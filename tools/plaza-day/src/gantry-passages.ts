import type { TripPlan } from '../../../scripts/sim/trip';
import { callJson, type RetryStats } from './station-client';

/**
 * The gantries on a vehicle's way report its passages (with the plate their cameras read) to the centre, through
 * the day's retrying caller (scripts/sim/trip.ts postPassages has no retry: a plaza day's link goes down).
 */
export async function reportPassages(
  c: { centreUrl: string; stats: RetryStats },
  plan: Pick<TripPlan, 'passId' | 'gantries'>,
  v: { vehicleClass: number; plate: string },
): Promise<void> {
  if (plan.gantries.length === 0) return;
  await callJson(
    c.centreUrl,
    'POST',
    '/gantry-passages',
    {
      body: {
        passages: plan.gantries.map((g) => ({
          passId: plan.passId,
          gantry: g.id,
          time: g.time.toISOString(),
          vehicleClass: v.vehicleClass,
          plate: v.plate,
        })),
      },
    },
    c.stats,
  );
}
