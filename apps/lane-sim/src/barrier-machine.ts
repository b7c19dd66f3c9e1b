import type { BarrierState } from '@tollpad/linkage';

/**
 * The lane barrier as a pure state machine (after IRIS gate arms, minus WARN_CLOSE): the arm moves only
 * on an open for a committed trade, an operator close, or after the vehicle has passed. Timers are
 * effects for a driver to run, so every transition is testable without waiting.
 *
 * One trade per opening (一车一杆 [I]): a second trade while the arm is up is refused as busy and the
 * station retries once the arm is closing or closed; the same trade never opens the arm twice.
 */
export interface BarrierSnapshot {
  readonly state: BarrierState;
  /** The committed trade the arm is (or was last) up for. */
  readonly tradeId?: string;
  readonly vehiclePassed: boolean;
  readonly fault?: string;
}

export type BarrierEvent =
  /** Power-on homing found the arm down. */
  | { readonly type: 'homed' }
  | { readonly type: 'open'; readonly tradeId: string }
  /** Operator close. */
  | { readonly type: 'close' }
  /** The arm reached its end position (driver timer). */
  | { readonly type: 'motionDone' }
  /** The loop detector behind the arm saw the vehicle leave. */
  | { readonly type: 'vehiclePassed' }
  /** The after-passage delay ran out (driver timer). */
  | { readonly type: 'closeDelayElapsed' }
  | { readonly type: 'fault'; readonly reason: string }
  /** Clears FAULT after inspection; the arm is UNKNOWN until homed again. */
  | { readonly type: 'reset' };

export type BarrierTimer = 'motion' | 'closeDelay';

export type BarrierEffect =
  | { readonly type: 'startTimer'; readonly timer: BarrierTimer }
  | { readonly type: 'cancelTimers' };

export type RefusalCode = 'BARRIER_BUSY' | 'BARRIER_FAULT' | 'BARRIER_UNKNOWN' | 'NOT_IN_FAULT';

export type Transition =
  | {
      readonly outcome: 'changed';
      readonly snapshot: BarrierSnapshot;
      readonly effects: readonly BarrierEffect[];
    }
  /** Nothing to do: a repeat, or a sensor/timer event that does not apply in this state. */
  | { readonly outcome: 'ignored'; readonly snapshot: BarrierSnapshot; readonly effects: readonly [] }
  | {
      readonly outcome: 'refused';
      readonly snapshot: BarrierSnapshot;
      readonly effects: readonly [];
      readonly code: RefusalCode;
      readonly reason: string;
    };

export const INITIAL_BARRIER: BarrierSnapshot = { state: 'UNKNOWN', vehiclePassed: false };

const REFUSAL_REASONS: Readonly<Record<RefusalCode, string>> = {
  BARRIER_BUSY: '道闸正为前车抬起，请稍后再试',
  BARRIER_FAULT: '道闸故障，请人工处理',
  BARRIER_UNKNOWN: '道闸位置未知，请人工确认',
  NOT_IN_FAULT: '道闸不在故障状态，无需复位',
};

const ignored = (snapshot: BarrierSnapshot): Transition => ({ outcome: 'ignored', snapshot, effects: [] });
const refused = (snapshot: BarrierSnapshot, code: RefusalCode): Transition => ({
  outcome: 'refused',
  snapshot,
  effects: [],
  code,
  reason: REFUSAL_REASONS[code],
});
const changed = (snapshot: BarrierSnapshot, ...effects: BarrierEffect[]): Transition => ({
  outcome: 'changed',
  snapshot,
  effects,
});

const START_MOTION: BarrierEffect = { type: 'startTimer', timer: 'motion' };
const START_CLOSE_DELAY: BarrierEffect = { type: 'startTimer', timer: 'closeDelay' };
const CANCEL: BarrierEffect = { type: 'cancelTimers' };

function opening(tradeId: string): BarrierSnapshot {
  return { state: 'OPENING', tradeId, vehiclePassed: false };
}

function closing(s: BarrierSnapshot): BarrierSnapshot {
  return { ...s, state: 'CLOSING' };
}

export function transition(s: BarrierSnapshot, e: BarrierEvent): Transition {
  // A fault wins from any state but FAULT (the first reason is kept).
  if (e.type === 'fault') {
    if (s.state === 'FAULT') return ignored(s);
    return changed({ ...s, state: 'FAULT', fault: e.reason }, CANCEL);
  }
  switch (s.state) {
    case 'UNKNOWN':
      if (e.type === 'homed') return changed({ state: 'CLOSED', vehiclePassed: false });
      if (e.type === 'open' || e.type === 'close') return refused(s, 'BARRIER_UNKNOWN');
      if (e.type === 'reset') return refused(s, 'NOT_IN_FAULT');
      return ignored(s);
    case 'CLOSED':
      // Belt and braces with the controller's served-trade set: the last trade does not reopen the arm.
      if (e.type === 'open')
        return e.tradeId === s.tradeId ? ignored(s) : changed(opening(e.tradeId), START_MOTION);
      if (e.type === 'reset') return refused(s, 'NOT_IN_FAULT');
      return ignored(s);
    case 'OPENING':
      if (e.type === 'open') return e.tradeId === s.tradeId ? ignored(s) : refused(s, 'BARRIER_BUSY');
      if (e.type === 'motionDone') {
        return s.vehiclePassed
          ? changed({ ...s, state: 'OPEN' }, START_CLOSE_DELAY)
          : changed({ ...s, state: 'OPEN' });
      }
      if (e.type === 'vehiclePassed')
        return s.vehiclePassed ? ignored(s) : changed({ ...s, vehiclePassed: true });
      if (e.type === 'close') return changed(closing(s), CANCEL, START_MOTION);
      if (e.type === 'reset') return refused(s, 'NOT_IN_FAULT');
      return ignored(s);
    case 'OPEN':
      if (e.type === 'open') return e.tradeId === s.tradeId ? ignored(s) : refused(s, 'BARRIER_BUSY');
      if (e.type === 'vehiclePassed')
        return s.vehiclePassed ? ignored(s) : changed({ ...s, vehiclePassed: true }, START_CLOSE_DELAY);
      // Closing only after the vehicle has gone: a stale timer never drops the arm on a car.
      if (e.type === 'closeDelayElapsed')
        return s.vehiclePassed ? changed(closing(s), START_MOTION) : ignored(s);
      if (e.type === 'close') return changed(closing(s), CANCEL, START_MOTION);
      if (e.type === 'reset') return refused(s, 'NOT_IN_FAULT');
      return ignored(s);
    case 'CLOSING':
      // A new committed vehicle reopens the arm; the vehicle it was up for never does.
      if (e.type === 'open')
        return e.tradeId === s.tradeId ? ignored(s) : changed(opening(e.tradeId), CANCEL, START_MOTION);
      if (e.type === 'motionDone')
        return changed({
          state: 'CLOSED',
          vehiclePassed: false,
          ...(s.tradeId ? { tradeId: s.tradeId } : {}),
        });
      if (e.type === 'reset') return refused(s, 'NOT_IN_FAULT');
      return ignored(s);
    case 'FAULT':
      if (e.type === 'reset') return changed({ state: 'UNKNOWN', vehiclePassed: false }, CANCEL);
      if (e.type === 'open' || e.type === 'close') return refused(s, 'BARRIER_FAULT');
      return ignored(s);
  }
}
