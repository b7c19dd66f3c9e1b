import type { EtcCardTaken } from './etc-card-payment';
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
  /** Paid at the handheld (cash or QR) and committed: a CPC or no-card exit. */
  | 'paid'
  /** Free (a passed green-channel inspection) and committed. */
  | 'free'
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
  /** The PassID the station paid the exit under. */
  passId: string;
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

/** What the station serves of a committed exit's evidence (its fitted path) at the end of the day. */
export interface EvidenceFact {
  tradeId: string;
  /** Gantry passages the vehicle's trip reported to the centre. */
  passages: number;
  /** Where the path came from: the centre's fit, or the station's own knowledge (the centre unreachable). */
  source?: 'centre' | 'station';
  /** Gantries in the served path that the gantries reported (null: no path served). */
  gantries: number | null;
  /** Points of the path with a photo (lane, gantry, the exit's own). */
  photos: number;
  /** Why no path was served (the station's code), when none was. */
  error?: string;
}

/** A green-channel truck's inspection, as the station answered it. */
export interface GreenFact {
  inspectionId: string;
  result: 'pass' | 'fail' | 'mixed';
  passed: boolean;
  /** The plate was on the day's green-channel ban list. */
  banned?: boolean;
  /** The exit's record once committed. */
  tradeId: string | null;
}

/** An arrears payback the collector took (追缴补缴) before the vehicle's exit. */
export interface PaybackFact {
  id: string;
  plate: string;
  colour: number;
  entryIds: string[];
  amount: number;
  /** Null until the payback is committed. */
  tradeId: string | null;
  /** Why no payback was taken (the centre not reached): the vehicle exited, the entry stays owed. */
  skipped?: string;
  payment?: HandheldPayment;
  cash?: CashTaken;
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
  /** Paid by the driver's ETC card: the card's own debit log. */
  etcCard?: EtcCardTaken;
  cpc?: CpcFact;
  /** Gantry passages the vehicle's trip reported to the centre (a vehicle with no card). */
  passages?: number;
  green?: GreenFact;
  payback?: PaybackFact;
  /** The shift of the handheld that served the vehicle (its cash went into that till). */
  shiftId?: string;
  error?: string;
}
