import { describe, expect, it } from 'vitest';
import { BarrierDriver } from './barrier-driver';
import { manualScheduler } from './manual-scheduler';

// TEST trade ID of the synthetic lane …0910.
const T1 = 'G002237001003020109102024011715000001';

describe('BarrierDriver', () => {
  it('runs a full cycle on its timers and reports each state once', () => {
    const clock = manualScheduler();
    const seen: string[] = [];
    const d = new BarrierDriver(
      { motionMs: 1000, closeDelayMs: 500 },
      (s) => seen.push(s.state),
      clock.scheduler,
    );
    d.dispatch({ type: 'homed' });
    d.dispatch({ type: 'open', tradeId: T1 });
    clock.advance(999);
    expect(d.snapshot.state).toBe('OPENING');
    clock.advance(1);
    expect(d.snapshot.state).toBe('OPEN');
    clock.advance(60_000);
    expect(d.snapshot.state).toBe('OPEN'); // never lowers before the vehicle has passed
    d.dispatch({ type: 'vehiclePassed' });
    clock.advance(500);
    expect(d.snapshot.state).toBe('CLOSING');
    clock.advance(1000);
    expect(seen).toEqual(['CLOSED', 'OPENING', 'OPEN', 'CLOSING', 'CLOSED']);
    expect(clock.pending()).toBe(0);
  });

  it('a fault stops the pending motion', () => {
    const clock = manualScheduler();
    const d = new BarrierDriver({ motionMs: 1000, closeDelayMs: 500 }, () => {}, clock.scheduler);
    d.dispatch({ type: 'homed' });
    d.dispatch({ type: 'open', tradeId: T1 });
    d.dispatch({ type: 'fault', reason: '电机过流' });
    expect(clock.pending()).toBe(0);
    clock.advance(5000);
    expect(d.snapshot).toMatchObject({ state: 'FAULT', fault: '电机过流' });
  });
});
