import type { BarrierResultInput, BarrierStateInput, VehicleInput } from '@tollpad/linkage';
import { describe, expect, it } from 'vitest';
import { LaneController } from './lane-controller';
import { manualScheduler } from './manual-scheduler';

// TEST data: synthetic lane …0910 and trade IDs.
const LANE = 'G00223700100302010910';
const OWN = 'G002237001003020109102024011715000001';
const OWN2 = 'G002237001003020109102024011715000002';
const OTHER = 'G002237001003020109202024011715000001';
const NOW = new Date('2024-01-17T07:30:00.000Z');
const AT = NOW.toISOString();

function setup() {
  const clock = manualScheduler();
  const states: BarrierStateInput[] = [];
  const results: BarrierResultInput[] = [];
  const vehicles: VehicleInput[] = [];
  const lines: string[] = [];
  const ok = { ok: true, value: undefined } as const;
  const lane = new LaneController({
    laneId: LANE,
    uplink: {
      publishBarrierState: async (s) => {
        states.push(s);
        return ok;
      },
      publishResult: async (r) => {
        results.push(r);
        return ok;
      },
      publishVehicle: async (v) => {
        vehicles.push(v);
        return ok;
      },
    },
    timings: { motionMs: 100, closeDelayMs: 100 },
    write: (l) => lines.push(l),
    scheduler: clock.scheduler,
    now: () => NOW,
  });
  lane.start();
  return { lane, clock, states, results, vehicles, lines };
}

const open = (tradeId: string, commandId = 'c1', at = AT) =>
  ({ v: 1, at, commandId, action: 'open', tradeId }) as const;

describe('LaneController', () => {
  it('reports UNKNOWN then CLOSED at power-on', () => {
    const { states } = setup();
    expect(states.map((s) => s.state)).toEqual(['UNKNOWN', 'CLOSED']);
  });

  it('opens for its own trade once, then closes after the vehicle passed', async () => {
    const { lane, clock, states, vehicles } = setup();
    expect(lane.handleCommand(open(OWN))).toMatchObject({
      outcome: 'accepted',
      state: 'OPENING',
      tradeId: OWN,
    });
    clock.advance(100);
    expect(lane.handleCommand(open(OWN, 'c2'))).toMatchObject({ outcome: 'duplicate', state: 'OPEN' });
    await lane.vehiclePassed();
    clock.advance(200);
    expect(lane.barrierState.state).toBe('CLOSED');
    // The same trade again (e.g. a QoS 1 redelivery) never lifts the arm a second time.
    expect(lane.handleCommand(open(OWN, 'c3'))).toMatchObject({ outcome: 'duplicate', state: 'CLOSED' });
    expect(states.map((s) => s.state)).toEqual(['UNKNOWN', 'CLOSED', 'OPENING', 'OPEN', 'CLOSING', 'CLOSED']);
    expect(vehicles).toEqual([{ detectionId: expect.any(String), event: 'passed', tradeId: OWN }]);
  });

  it('refuses another lane’s trade, a malformed one and a stale command', () => {
    const { lane, results } = setup();
    expect(lane.handleCommand(open(OTHER))).toMatchObject({
      outcome: 'refused',
      code: 'TRADE_ID_OTHER_LANE',
    });
    expect(lane.handleCommand(open('G00223700100302010910202401171X000001'))).toMatchObject({
      outcome: 'refused',
      code: 'TRADE_ID_INVALID',
    });
    const stale = new Date(NOW.getTime() - 60_000).toISOString();
    expect(lane.handleCommand(open(OWN, 'c9', stale))).toMatchObject({
      outcome: 'refused',
      code: 'COMMAND_STALE',
    });
    expect(lane.barrierState.state).toBe('CLOSED');
    expect(results).toHaveLength(3);
  });

  it('refuses a second trade while the arm is up, and accepts it once closing', async () => {
    const { lane, clock } = setup();
    lane.handleCommand(open(OWN));
    clock.advance(100);
    expect(lane.handleCommand(open(OWN2, 'c2'))).toMatchObject({ outcome: 'refused', code: 'BARRIER_BUSY' });
    await lane.vehiclePassed();
    clock.advance(100);
    expect(lane.barrierState.state).toBe('CLOSING');
    expect(lane.handleCommand(open(OWN2, 'c3'))).toMatchObject({ outcome: 'accepted', state: 'OPENING' });
  });

  it('refuses to open in FAULT and recovers through reset', () => {
    const { lane } = setup();
    lane.fault('电机过流');
    expect(lane.handleCommand(open(OWN))).toMatchObject({
      outcome: 'refused',
      code: 'BARRIER_FAULT',
      state: 'FAULT',
    });
    expect(
      lane.handleCommand({ v: 1, at: AT, commandId: 'r', action: 'reset', reason: '已检修' }),
    ).toMatchObject({
      outcome: 'accepted',
      state: 'UNKNOWN',
    });
  });

  it('publishes presence and the captured plate, defaulting to the unrecognised plate', async () => {
    const { lane, vehicles } = setup();
    await lane.vehicleArrived({ plate: '鲁A12345', plateColour: 0 });
    await lane.vehicleArrived();
    expect(vehicles.map((v) => v.event)).toEqual(['present', 'captured', 'present', 'captured']);
    expect(vehicles[1]).toMatchObject({
      plate: '鲁A12345',
      plateColour: 0,
      imageRef: expect.stringContaining(LANE),
    });
    expect(vehicles[3]).toMatchObject({ plate: '默A00000', plateColour: 9 });
  });
});
