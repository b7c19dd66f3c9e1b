import { createTestDatabase, type TestDatabase } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '../../scripts/sim/processes';
import { runNoCardTrip, TRAINING_NO_CARD_VEHICLES } from '../../scripts/sim/trip-none';
import { centreNetwork, DEMO, demoHandheld, startTestSystem, token } from './world';

/**
 * `npm run trip -- none-…` end to end over real processes (centre, station, lane simulator): each no-card
 * training vehicle through the station's no-card exit, its fee from the real centre's online fee by plate (the
 * plate's passages and entry capture posted first) or from the fallbacks, its record at the centre.
 */
describe.each(['sqlite', 'postgres'] as const)(
  'e2e: the no-card training vehicles (station on %s)',
  (engine) => {
    let sys: RunningSystem & { cleanup(): Promise<void> };
    let pgDb: TestDatabase | undefined;

    beforeAll(async () => {
      if (engine === 'postgres') pgDb = await createTestDatabase('postgres', 'e2e');
      sys = await startTestSystem(
        pgDb?.databaseUrl ? { stationEnv: { DATABASE_URL: pgDb.databaseUrl } } : {},
      );
    }, 90_000);
    afterAll(async () => {
      await sys?.cleanup();
      await pgDb?.drop();
    });

    it('none-seen by plate (4), none-stated (6 + ¥40), none-refused (farthest), none-damaged (mediaType 2, 35): each record at the centre', async () => {
      const net = await centreNetwork(sys.centreUrl);
      const records = new Map<string, Record<string, unknown>>();
      const lines: string[] = [];
      for (const spec of TRAINING_NO_CARD_VEHICLES) {
        const code = await runNoCardTrip({
          spec,
          net,
          exitStationId: sys.stationId,
          laneId: sys.laneId,
          centre: sys.centreUrl,
          laneSim: sys.laneSimUrl,
          exit: true,
          handheld: () => demoHandheld(sys, sys.laneId),
          approve: () => token(sys.stationUrl, DEMO.monitor),
          say: (l) => lines.push(l),
          onRecord: (r) => records.set(spec.id, r as unknown as Record<string, unknown>),
        });
        expect(code, lines.join('\n')).toBe(0);
      }
      expect(records.get('none-seen'), lines.join('\n')).toMatchObject({
        mediaType: 9,
        exitFeeType: 4,
        feeRule: 'NOCARD.PLATE',
        cardCost: 0,
      });
      expect(records.get('none-stated')).toMatchObject({
        mediaType: 9,
        exitFeeType: 6,
        feeRule: 'NOCARD.STATED',
        cardCost: 4000,
      });
      expect(records.get('none-refused')).toMatchObject({ feeRule: 'NOCARD.FARTHEST', entryRefused: true });
      expect(records.get('none-damaged')).toMatchObject({
        mediaType: 2,
        mediaNo: '3701990000009904',
        noCardReason: 'damaged',
      });
      // Each record reaches the centre (uploaded by the station's outbox).
      for (const [id, r] of records) {
        let at = 0;
        for (let i = 0; i < 100 && at !== 200; i++) {
          at = (await sys.centreFetch(`${sys.centreUrl}/records/${r.id as string}`)).status;
          if (at !== 200) await new Promise((ok) => setTimeout(ok, 200));
        }
        expect(at, id).toBe(200);
      }
    }, 120_000);
  },
);
