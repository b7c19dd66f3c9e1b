import type { MediumId, PayChannel } from './mix';
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
  /** Paid at the handheld (cash or QR) and committed: a CPC exit. */
  | 'paid'
  | 'refused-at-read'
  | 'blocked'
  | 'auth-refused'
  | 'not-payable'
  | 'insufficient'
  | 'failed';

/** What the collector took in cash for one exit (the handheld's cash log: the ground truth for cash). */
export interface CashTaken {
  tradeId: string;
  passId: string;
  amount: number;
  tendered: number;
  change: number;
}

/** A vehicle's payment at the handheld, as the handheld saw it end. */
export interface HandheldPayment {
  /** The channel the vehicle paid with in the end (a declined QR code falls back to cash). */
  channel: PayChannel;
  /** The channel it tried first. */
  tried: PayChannel;
  tradeId: string;
  payId: string | null;
  amount: number;
}

/** A CPC vehicle's card at the end (the virtual CPC itself: the ground truth for the cards collected). */
export interface CpcFact {
  cpcId: string;
  passId: string;
  /** The card holds the exit flags (radio off, exited). */
  exitWritten: boolean;
  /** The handheld closed the card (tried the exit write) and committed the exit. */
  closed: boolean;
  /** What the commit said of the write. */
  cardWrite: 'written' | 'not-written' | null;
}

export interface VehicleResult {
  index: number;
  /** What the vehicle carried (`etc` on an ETC-only day). */
  medium: MediumId;
  caseId: string;
  outcome: Outcome;
  fee: number | null;
  tradeId: string | null;
  /** ms since the start of the day. */
  endedAt: number;
  latencyMs: number;
  /** The vehicle's ETC card (an ETC vehicle only). */
  card?: CardFact;
  /** The station's exit transaction, once 【读卡】 opened one. */
  txnId?: string;
  payment?: HandheldPayment;
  cash?: CashTaken;
  cpc?: CpcFact;
  error?: string;
}
