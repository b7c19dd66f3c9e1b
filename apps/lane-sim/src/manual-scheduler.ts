import type { Scheduler } from './barrier-driver';

/** A hand-driven clock for tests: timers fire only when `advance` is called. */
export function manualScheduler() {
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
  /** Fires due timers in time order, each at its own instant, so chained timers behave as in real time. */
  const advance = (ms: number) => {
    const target = now + ms;
    for (;;) {
      const due = [...timers.entries()]
        .filter(([, t]) => t.at <= target)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = target;
  };
  return { scheduler, advance, pending: () => timers.size };
}
