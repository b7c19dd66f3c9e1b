import { decodeCpcFiles } from '@tollpad/card';
import { cpcFilesAsRead, trainingCpcSpec } from '@tollpad/card/sim';
import { createTestDatabase, type TestDatabase } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '../../scripts/sim/processes';
import { postPassages } from '../../scripts/sim/trip';
import { cpcExit, planCpcTrip } from '../../scripts/sim/trip-cpc';
import { centreNetwork, DEMO, demoHandheld, startTestSystem, token } from './world';

/**
 * `npm run trip -- cpc-…` end to end over real processes (centre, station, lane simulator): the training CPC
 * written through the synthetic entry and gantries, read by the card layer's CpcExit from a VirtualCpc, sent
 * to the station as hex, priced from its fee blocks, paid in confirmed cash, closed, committed.
 */
describe.each(['sqlite', 'postgres'] as const)(
  'e2e: a training CPC through the exit (station on %s)',
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

    it('cpc-car: charged the card’s blocks in whole yuan, the exit written, a CPC record; cpc-damaged: no read', async () => {
      const net = await centreNetwork(sys.centreUrl);
      const spec = trainingCpcSpec('cpc-car');
      const damaged = trainingCpcSpec('cpc-damaged');
      if (!spec || !damaged) throw new Error('training CPCs');
      const trip = planCpcTrip(net, spec, { exitStationId: sys.stationId, exitTime: new Date() });
      await postPassages(sys.centreUrl, trip.plan, spec.vehicleClass);
      const onCard = decodeCpcFiles(cpcFilesAsRead(trip.images)).blocks.reduce((a, b) => a + b.fee, 0);
      const hh = await demoHandheld(sys, sys.laneId);
      const lines: string[] = [];
      const approve = () => token(sys.stationUrl, DEMO.monitor);
      const out = await cpcExit(hh, spec, trip.images, { approve, say: (l) => lines.push(l) });
      if (!out) throw new Error(`no exit: ${lines.join('\n')}`);
      expect(out.cardWrite).toBe('written');
      // Whole yuan; round-to-nearest or down is a province setting (cpc-card.md §5.3).
      expect([Math.floor(onCard / 100) * 100, Math.round(onCard / 100) * 100]).toContain(out.fee);
      expect(out.record).toMatchObject({
        mediaType: 2,
        mediaNo: spec.cpcId,
        exitFeeType: 3,
        passId: trip.plan.passId,
      });

      const broken = planCpcTrip(net, damaged, { exitStationId: sys.stationId, exitTime: new Date() });
      const none = await cpcExit(hh, damaged, broken.images, { approve, say: (l) => lines.push(l) });
      expect(none).toBeNull();
      expect(lines.at(-1)).toContain('按坏卡处理');
    }, 90_000);

    it('cpc-other-province: the Shaanxi entry is in the tariff (no 37, no entry asked), charged Σ of both provinces’ blocks', async () => {
      const net = await centreNetwork(sys.centreUrl);
      const spec = trainingCpcSpec('cpc-other-province');
      if (!spec) throw new Error('training CPC');
      const trip = planCpcTrip(net, spec, { exitStationId: sys.stationId, exitTime: new Date() });
      await postPassages(sys.centreUrl, trip.plan, spec.vehicleClass);
      const blocks = decodeCpcFiles(cpcFilesAsRead(trip.images)).blocks;
      expect(blocks.map((b) => b.province)).toEqual([0x61, 0x37]);
      const onCard = blocks.reduce((a, b) => a + b.fee, 0);
      const lines: string[] = [];
      const hh = await demoHandheld(sys, sys.laneId);
      const approve = () => token(sys.stationUrl, DEMO.monitor);
      // No stated entry: were 61010203 unknown, 【算费】 would ask for one and this would throw.
      const out = await cpcExit(hh, spec, trip.images, { approve, say: (l) => lines.push(l) });
      if (!out) throw new Error(`no exit: ${lines.join('\n')}`);
      expect(lines.join('\n')).not.toContain('特情 37');
      // Σ both blocks (M of 61010203 → exit); the local block alone undercuts M by the Shaanxi ¥45 and is not type 3.
      expect([Math.floor(onCard / 100) * 100, Math.round(onCard / 100) * 100]).toContain(out.fee);
      expect(out.record).toMatchObject({ mediaType: 2, exitFeeType: 3, provinceCount: 2 });
    }, 90_000);
  },
);
