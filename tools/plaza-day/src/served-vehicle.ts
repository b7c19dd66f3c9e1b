import type { CardFact } from './reconcile';

/** The handheld-side fault a vehicle meets (at most one, drawn from the seed). */
export type VehicleFault =
  | { kind: 'tear'; phase: 'read' | 'purchase'; nth: number; when: 'before' | 'after' }
  | { kind: 'swap'; nth: number; when: 'before' | 'after' }
  | { kind: 'handheld-restart'; when: 'before' | 'after' }
  | null;

/** How a vehicle's exit ended. */
export type Outcome =
  | 'debited'
  | 'refused-at-read'
  | 'blocked'
  | 'auth-refused'
  | 'not-payable'
  | 'insufficient'
  | 'failed';

export interface VehicleResult {
  index: number;
  caseId: string;
  outcome: Outcome;
  fee: number | null;
  tradeId: string | null;
  /** ms since the start of the day. */
  endedAt: number;
  latencyMs: number;
  card: CardFact;
  error?: string;
}
