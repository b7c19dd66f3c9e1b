import type {
  BarrierCommand,
  BarrierResult,
  BarrierStateMessage,
  DisplayMessage,
  VehicleEvent,
} from './payloads';

/** Omit over each member of a union, so the `kind`/`action`/`event` discriminants survive. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What callers give; the sender stamps `v` and `at`. */
export type DisplayInput = DistributiveOmit<DisplayMessage, 'v' | 'at'>;
export type BarrierCommandInput = DistributiveOmit<BarrierCommand, 'v' | 'at'>;
export type BarrierResultInput = Omit<BarrierResult, 'v' | 'at'>;
export type BarrierStateInput = Omit<BarrierStateMessage, 'v' | 'at'>;
export type VehicleInput = DistributiveOmit<VehicleEvent, 'v' | 'at'>;

/** Stamps protocol version and sending time (ISO-8601, UTC) on an outgoing payload. */
export function stamp<T extends object>(input: T, now: Date = new Date()): T & { v: 1; at: string } {
  return { v: 1, at: now.toISOString(), ...input };
}
