import { issueTestVehicleCard, trainingVehicleSpec } from '@tollpad/card/sim';
import { createTestDatabase, type TestDatabase } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../scripts/sim/http';
import type { RunningSystem } from '../../scripts/sim/processes';
import { postPassages } from '../../scripts/sim/trip';
import {
  centreNetwork,
  DEMO,
  demoHandheld,
  hourTrip,
  startTestSystem,
  token,
  until,
  untilLaneOnline,
} from './world';

/**
 * End to end over real processes: centre, station (SQLite, pointing at the centre), lane simulator on the
 * real Mosquitto under a unique topic root. A TEST vehicle enters (entry written to its card), passes the
 * gantries (posted to the centre), and exits through the station API with a simulated handheld whose
 * virtual PSAM is authorised through the centre.
 */
describe.each(['sqlite', 'postgres'] as const)('e2e: a trip through the exit (station on %s)', (engine) => {
  let sys: RunningSystem & { cleanup(): Promise<void> };
  let pgDb: TestDatabase | undefined;

  beforeAll(async () => {
    if (engine === 'postgres') pgDb = await createTestDatabase('postgres', 'e2e');
    sys = await startTestSystem(pgDb?.databaseUrl ? { stationEnv: { DATABASE_URL: pgDb.databaseUrl } } : {});
  }, 90_000);
  afterAll(async () => {
    await sys?.cleanup();
    await pgDb?.drop();
  });

  it('uploads a TAC-verified record, opens the barrier and shows the fee', async () => {
    const health = await api<{ db: string }>(sys.stationUrl, 'GET', '/healthz');
    expect(health.db).toBe(engine);
    const car = trainingVehicleSpec('car')!;
    const net = await centreNetwork(sys.centreUrl);
    const card = issueTestVehicleCard(car, null);
    const plan = hourTrip(net, sys.stationId, 2, {
      vehicleClass: car.vehicleClass,
      cardNumber: card.cardNumber,
    });
    expect(plan.gantries.length).toBeGreaterThan(0);
    await postPassages(sys.centreUrl, plan, car.vehicleClass);
    const passages = await api<{ passages: unknown[] }>(
      sys.centreUrl,
      'GET',
      `/passes/${plan.passId}/passages`,
    );
    expect(passages.passages).toHaveLength(plan.gantries.length);

    // The camera at the exit lane captures the plate: offered to the handheld as a prefill.
    const collector = await token(sys.stationUrl, DEMO.collector);
    await untilLaneOnline(sys.stationUrl, collector, sys.laneId);
    await api(sys.laneSimUrl, 'POST', '/vehicle', {
      body: { laneId: sys.laneId, plate: car.plate, plateColour: 0 },
    });
    const prefill = await until('prefill', async () => {
      const r = await api<{ vehicle: { plate: string } | null }>(
        sys.stationUrl,
        'GET',
        `/linkage/lanes/${sys.laneId}/vehicle`,
        { token: collector },
      );
      return r.vehicle;
    });
    expect(prefill.plate).toBe(car.plate);

    const entered = issueTestVehicleCard(car, { stationHex: plan.entryStationHex, time: plan.entryTime });
    const hh = await demoHandheld(sys, sys.laneId);
    const out = await hh.exit(car, entered);
    expect(out.tradeId.startsWith(sys.laneId)).toBe(true);
    expect(out.fee).toBeGreaterThan(0);
    // The centre fitted the path from the gantry passages: 省中心在线计费 (exitFeeType 4).
    expect(out.record.exitFeeType).toBe(4);
    expect(out.record.spcRateVersion).toBe(net.version);
    expect(Object.keys(out.record.listVersions as object)).toContain('card');

    const atCentre = await until(
      'record at the centre',
      () =>
        api<{ ack: { tacStatus: string; tradeId: string }; record: { transFee: number } }>(
          sys.centreUrl,
          'GET',
          `/records/${out.tradeId}`,
        ).catch(() => null),
      45_000,
    ).catch(async (e: unknown) => {
      // Diagnose a stuck upload: the relay's own view and its log lines.
      const monitor = await token(sys.stationUrl, DEMO.monitor);
      const o = await api(sys.stationUrl, 'GET', '/outbox', { token: monitor }).catch((x: unknown) =>
        String(x),
      );
      const lines = sys.procs.station.lines.filter((l) => /outbox|relay|records/.test(l)).slice(-15);
      throw new Error(`${String(e)}\n/outbox: ${JSON.stringify(o)}\n${lines.join('\n')}`);
    });
    expect(atCentre.ack).toMatchObject({ tradeId: out.tradeId, tacStatus: 'verified' });
    expect(atCentre.record.transFee).toBe(out.fee);

    const lane = await until(
      'barrier open',
      async () => {
        const lanes = await api<
          { laneId: string; barrier: { state: string; tradeId?: string }; display: string }[]
        >(sys.laneSimUrl, 'GET', '/lanes');
        const l = lanes.find((x) => x.laneId === sys.laneId);
        return l && ['OPENING', 'OPEN'].includes(l.barrier.state) ? l : null;
      },
      30_000,
    );
    expect(lane.barrier.tradeId).toBe(out.tradeId);
    const yuan = (out.fee / 100).toFixed(2);
    expect(lane.display).toContain(`${yuan}元`);
    expect(lane.display).toContain(car.plate);

    const monitor = await token(sys.stationUrl, DEMO.monitor);
    const outbox = await until(
      'backlog empty',
      async () => {
        const o = await api<{ backlog: number; rejected: unknown[] }>(sys.stationUrl, 'GET', '/outbox', {
          token: monitor,
        });
        return o.backlog === 0 ? o : null;
      },
      30_000,
    );
    expect(outbox.rejected).toEqual([]);
    const metrics = await (await fetch(`${sys.stationUrl}/metrics`)).text();
    expect(metrics).toMatch(/tollpad_station_outbox_backlog 0/);
    const status = await api<{ inForce: { tariff: string } }>(sys.stationUrl, 'GET', '/sync/status', {
      token: monitor,
    });
    expect(status.inForce.tariff).toBe(net.version);
  }, 60_000);
});
