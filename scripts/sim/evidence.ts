import { testJpeg } from '../../apps/centre/src/testing/test-jpeg';
import { api } from './http';
import type { TripPlan } from './trip';

/**
 * A TEST trip's evidence at the centre (#22): the entry lane's capture of the plate with its photo, and a
 * photo for each gantry passage the trip posted. The demo's lanes and gantries have no cameras: the photos
 * are TEST JPEGs naming what they stand for. Lane 1 01 of the entry station stands in for its entry lane.
 */
export async function postTripEvidence(
  centreUrl: string,
  plan: TripPlan,
  plate: string,
  colour: number,
): Promise<void> {
  await api(centreUrl, 'POST', '/lane-captures', {
    body: {
      station: plan.entryStationId,
      lane: `${plan.entryStationId}1010010`,
      time: plan.entryTime.toISOString(),
      plate,
      colour,
      kind: 'entry',
      photo: testJpeg(`entry ${plate} ${plan.passId}`).toString('base64'),
    },
  });
  for (const g of plan.gantries) {
    await api(centreUrl, 'POST', '/gantry-photos', {
      body: {
        passId: plan.passId,
        gantry: g.id,
        time: g.time.toISOString(),
        photo: testJpeg(`gantry ${g.id} ${plate}`).toString('base64'),
      },
    });
  }
}
