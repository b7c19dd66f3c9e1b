import type { BarrierState } from '@tollpad/linkage';
import { describe, expect, it } from 'vitest';
import { type BarrierEvent, type BarrierSnapshot, INITIAL_BARRIER, transition } from './barrier-machine';

// TEST trade IDs of the synthetic lane …0910.
const T1 = 'G002237001003020109102024011715000001';
const T2 = 'G002237001003020109102024011715000002';

const EVENTS: Record<string, BarrierEvent> = {
  homed: { type: 'homed' },
  openSame: { type: 'open', tradeId: T1 },
  openOther: { type: 'open', tradeId: T2 },
  close: { type: 'close' },
  motionDone: { type: 'motionDone' },
  vehiclePassed: { type: 'vehiclePassed' },
  closeDelayElapsed: { type: 'closeDelayElapsed' },
  fault: { type: 'fault', reason: '电机过流' },
  reset: { type: 'reset' },
};

const STATES: Record<string, BarrierSnapshot> = {
  UNKNOWN: INITIAL_BARRIER,
  CLOSED: { state: 'CLOSED', tradeId: T1, vehiclePassed: false },
  OPENING: { state: 'OPENING', tradeId: T1, vehiclePassed: false },
  OPENING_PASSED: { state: 'OPENING', tradeId: T1, vehiclePassed: true },
  OPEN: { state: 'OPEN', tradeId: T1, vehiclePassed: false },
  OPEN_PASSED: { state: 'OPEN', tradeId: T1, vehiclePassed: true },
  CLOSING: { state: 'CLOSING', tradeId: T1, vehiclePassed: true },
  FAULT: { state: 'FAULT', tradeId: T1, vehiclePassed: false, fault: '旧故障' },
};

type Expect = `${'changed' | 'ignored'}→${BarrierState}` | `refused:${string}`;
const C = (s: BarrierState): Expect => `changed→${s}`;
const I = (s: BarrierState): Expect => `ignored→${s}`;
const R = (code: string): Expect => `refused:${code}`;

// Every state × every event: the whole table, so an added rule must be decided here too.
const TABLE: Record<keyof typeof STATES, Record<keyof typeof EVENTS, Expect>> = {
  UNKNOWN: {
    homed: C('CLOSED'),
    openSame: R('BARRIER_UNKNOWN'),
    openOther: R('BARRIER_UNKNOWN'),
    close: R('BARRIER_UNKNOWN'),
    motionDone: I('UNKNOWN'),
    vehiclePassed: I('UNKNOWN'),
    closeDelayElapsed: I('UNKNOWN'),
    fault: C('FAULT'),
    reset: R('NOT_IN_FAULT'),
  },
  CLOSED: {
    homed: I('CLOSED'),
    openSame: I('CLOSED'),
    openOther: C('OPENING'),
    close: I('CLOSED'),
    motionDone: I('CLOSED'),
    vehiclePassed: I('CLOSED'),
    closeDelayElapsed: I('CLOSED'),
    fault: C('FAULT'),
    reset: R('NOT_IN_FAULT'),
  },
  OPENING: {
    homed: I('OPENING'),
    openSame: I('OPENING'),
    openOther: R('BARRIER_BUSY'),
    close: C('CLOSING'),
    motionDone: C('OPEN'),
    vehiclePassed: C('OPENING'),
    closeDelayElapsed: I('OPENING'),
    fault: C('FAULT'),
    reset: R('NOT_IN_FAULT'),
  },
  OPENING_PASSED: {
    homed: I('OPENING'),
    openSame: I('OPENING'),
    openOther: R('BARRIER_BUSY'),
    close: C('CLOSING'),
    motionDone: C('OPEN'),
    vehiclePassed: I('OPENING'),
    closeDelayElapsed: I('OPENING'),
    fault: C('FAULT'),
    reset: R('NOT_IN_FAULT'),
  },
  OPEN: {
    homed: I('OPEN'),
    openSame: I('OPEN'),
    openOther: R('BARRIER_BUSY'),
    close: C('CLOSING'),
    motionDone: I('OPEN'),
    vehiclePassed: C('OPEN'),
    closeDelayElapsed: I('OPEN'),
    fault: C('FAULT'),
    reset: R('NOT_IN_FAULT'),
  },
  OPEN_PASSED: {
    homed: I('OPEN'),
    openSame: I('OPEN'),
    openOther: R('BARRIER_BUSY'),
    close: C('CLOSING'),
    motionDone: I('OPEN'),
    vehiclePassed: I('OPEN'),
    closeDelayElapsed: C('CLOSING'),
    fault: C('FAULT'),
    reset: R('NOT_IN_FAULT'),
  },
  CLOSING: {
    homed: I('CLOSING'),
    openSame: I('CLOSING'),
    openOther: C('OPENING'),
    close: I('CLOSING'),
    motionDone: C('CLOSED'),
    vehiclePassed: I('CLOSING'),
    closeDelayElapsed: I('CLOSING'),
    fault: C('FAULT'),
    reset: R('NOT_IN_FAULT'),
  },
  FAULT: {
    homed: I('FAULT'),
    openSame: R('BARRIER_FAULT'),
    openOther: R('BARRIER_FAULT'),
    close: R('BARRIER_FAULT'),
    motionDone: I('FAULT'),
    vehiclePassed: I('FAULT'),
    closeDelayElapsed: I('FAULT'),
    fault: I('FAULT'),
    reset: C('UNKNOWN'),
  },
};

describe('barrier state machine', () => {
  const cases = Object.entries(TABLE).flatMap(([state, row]) =>
    Object.entries(row).map(([event, expected]) => [state, event, expected] as const),
  );

  it.each(cases)('%s + %s → %s', (state, event, expected) => {
    const t = transition(STATES[state]!, EVENTS[event]!);
    const actual = t.outcome === 'refused' ? `refused:${t.code}` : `${t.outcome}→${t.snapshot.state}`;
    expect(actual).toBe(expected);
    if (t.outcome !== 'changed') {
      expect(t.snapshot).toBe(STATES[state]);
      expect(t.effects).toEqual([]);
    }
    if (t.outcome === 'refused') expect(t.reason.length).toBeGreaterThan(0);
  });

  it('covers every state and event', () => {
    expect(cases).toHaveLength(Object.keys(STATES).length * Object.keys(EVENTS).length);
  });

  it('opening for a trade starts the motion timer and records the trade', () => {
    const t = transition(STATES.CLOSED!, EVENTS.openOther!);
    expect(t).toMatchObject({ snapshot: { state: 'OPENING', tradeId: T2, vehiclePassed: false } });
    expect(t.effects).toEqual([{ type: 'startTimer', timer: 'motion' }]);
  });

  it('starts the close delay only once the vehicle has passed', () => {
    expect(transition(STATES.OPENING!, EVENTS.motionDone!).effects).toEqual([]);
    expect(transition(STATES.OPENING_PASSED!, EVENTS.motionDone!).effects).toEqual([
      { type: 'startTimer', timer: 'closeDelay' },
    ]);
    expect(transition(STATES.OPEN!, EVENTS.vehiclePassed!).effects).toEqual([
      { type: 'startTimer', timer: 'closeDelay' },
    ]);
    expect(transition(STATES.OPEN_PASSED!, EVENTS.closeDelayElapsed!).effects).toEqual([
      { type: 'startTimer', timer: 'motion' },
    ]);
  });

  it('a fault cancels timers and keeps its reason; reset leaves the arm UNKNOWN until homed', () => {
    const f = transition(STATES.OPEN_PASSED!, EVENTS.fault!);
    expect(f).toMatchObject({
      snapshot: { state: 'FAULT', fault: '电机过流' },
      effects: [{ type: 'cancelTimers' }],
    });
    const r = transition(f.snapshot, EVENTS.reset!);
    expect(r.snapshot).toEqual({ state: 'UNKNOWN', vehiclePassed: false });
    expect(transition(r.snapshot, EVENTS.homed!).snapshot.state).toBe('CLOSED');
  });

  it('reopening from CLOSING for a new trade cancels the lowering', () => {
    const t = transition(STATES.CLOSING!, EVENTS.openOther!);
    expect(t.effects).toEqual([{ type: 'cancelTimers' }, { type: 'startTimer', timer: 'motion' }]);
    expect(t.snapshot).toEqual({ state: 'OPENING', tradeId: T2, vehiclePassed: false });
  });
});
