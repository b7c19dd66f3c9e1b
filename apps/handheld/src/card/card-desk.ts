import type { CardReadPayload, CardSummary, DebitIntent } from '../api/types';
import type { PendingDebit } from '../journal/idb-journal';

/** Where the purchase is while 【提交数据】 runs; drives the progress bar and the "put it back" notice. */
export type PurchaseStep = 'connect' | 'debit' | 'waiting-for-card' | 'recovering' | 'done';

export interface PurchaseRequest {
  txnId: string;
  laneId: string;
  cardNo: string;
  amount: number;
  vehicleClass: number;
  plate: string;
  plateColour: number;
}

export interface PurchaseHooks {
  /**
   * Called after the journal entry is durable and BEFORE the DEBIT is sent: announces the intent to the
   * station, which answers with the exit trade ID. If it rejects, no DEBIT is sent.
   */
  announce(intent: DebitIntent): Promise<string>;
  onStep?(step: PurchaseStep): void;
}

export interface CardRead {
  payload: CardReadPayload;
  summary: CardSummary;
}

/**
 * The handheld's card work, all in the page (APDUs never go to the station): 读卡 and the exit composite
 * purchase with its journal and recovery. Implemented over @tollpad/card's ExitPurchase.
 */
export interface CardDesk {
  /** 【读卡】: card files and balance. */
  read(): Promise<CardRead>;
  /**
   * 【提交数据】: journal entry, announcement, DEBIT, recovery on a short tear. Resolves with the journal
   * entry holding the outcome (not yet told to the station); rejects with TornDebitError when the card did
   * not come back in time (the entry stays for recovery).
   */
  purchase(req: PurchaseRequest, hooks: PurchaseHooks): Promise<PendingDebit>;
  /** Recovers a pending entry on the card now in the field (GET TRANSACTION PROVE, ATC+1). */
  recover(pending: PendingDebit, onStep?: (s: PurchaseStep) => void): Promise<PendingDebit>;
}

/** The card left the field during the purchase and did not come back in time; recovery is pending. */
export class TornDebitError extends Error {
  constructor(
    readonly pending: PendingDebit,
    options?: { cause?: unknown },
  ) {
    super('card removed during the purchase', options);
    this.name = 'TornDebitError';
  }
}
