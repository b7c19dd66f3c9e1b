import { describe, expect, it } from 'vitest';
import { BarrierDriver, type Scheduler } from './barrier-driver';

// TEST trade ID of the synthetic lane …0910.
const T1 = 'G002237001003020109102024011715000001';

/** Hand-driven clock: timers fire only when the test advances time. */
function manualScheduler() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const scheduler: Scheduler = {
    set: (fn, ms) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clear: (h) => timers.delete(h as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      due[1].fn();
    }
  };
  return { scheduler, advance, pending: () => timers.size };
}

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
