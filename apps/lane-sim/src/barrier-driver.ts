import {
  type BarrierEvent,
  type BarrierSnapshot,
  type BarrierTimer,
  INITIAL_BARRIER,
  type Transition,
  transition,
} from './barrier-machine';

/** Timers behind an interface so tests drive time by hand. */
export interface Scheduler {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BarrierTimings {
  /** Arm travel time, up or down [P] (real arms: ~1–3 s). */
  readonly motionMs: number;
  /** Wait after the vehicle has cleared the loop before lowering [P]. */
  readonly closeDelayMs: number;
}

/** Runs the pure machine: applies timer effects and reports every state change. */
export class BarrierDriver {
  private current: BarrierSnapshot = INITIAL_BARRIER;
  private readonly timers = new Map<BarrierTimer, unknown>();

  constructor(
    private readonly timings: BarrierTimings,
    private readonly onChange: (next: BarrierSnapshot, previous: BarrierSnapshot) => void,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  get snapshot(): BarrierSnapshot {
    return this.current;
  }

  dispatch(event: BarrierEvent): Transition {
    const t = transition(this.current, event);
    if (t.outcome !== 'changed') return t;
    const previous = this.current;
    this.current = t.snapshot;
    for (const effect of t.effects) {
      if (effect.type === 'cancelTimers') this.cancelAll();
      else this.start(effect.timer);
    }
    if (previous.state !== this.current.state) this.onChange(this.current, previous);
    return t;
  }

  /** Stops pending timers (shutdown). */
  stop(): void {
    this.cancelAll();
  }

  private start(timer: BarrierTimer): void {
    const old = this.timers.get(timer);
    if (old !== undefined) this.scheduler.clear(old);
    const ms = timer === 'motion' ? this.timings.motionMs : this.timings.closeDelayMs;
    const handle = this.scheduler.set(() => {
      this.timers.delete(timer);
      this.dispatch(timer === 'motion' ? { type: 'motionDone' } : { type: 'closeDelayElapsed' });
    }, ms);
    this.timers.set(timer, handle);
  }

  private cancelAll(): void {
    for (const handle of this.timers.values()) this.scheduler.clear(handle);
    this.timers.clear();
  }
}
