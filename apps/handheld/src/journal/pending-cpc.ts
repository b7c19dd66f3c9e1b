import type { PendingEntry, PurchaseOutcome } from '@tollpad/card';
import type { PayMethod } from '../exit/cpc-payment';

/**
 * A CPC exit whose payment was started, kept in the durable journal (idb-journal.ts, `pending-cpc-writes`)
 * until the card write (写卡/关闭CPC) and the commit are done. Written BEFORE the payment intent is sent, so a
 * tab closed anywhere after 【确认收款】 or a scan leaves the home screen an exit to finish: it follows the
 * station's payment (never a second payment for the exit), then writes the card, or commits not-written,
 * instead of money taken with no record.
 */
export interface PendingCpcWrite {
  /** The station's exit transaction ID. */
  txnId: string;
  laneId: string;
  /** The CPC the write must go to (the one read for this exit). */
  cpcId: string;
  /** fen: the amount due, fixed when the payment started. */
  amount: number;
  /** The trade ID the station minted at the intent; null until the intent's answer arrived. */
  tradeId: string | null;
  /** How it is paid (absent in entries written before QR payment: cash). */
  method?: PayMethod;
  /** A no-card exit (【无卡交易】): nothing to write, resumed on its own screen. Absent: a CPC. */
  medium?: 'none';
  /**
   * Paid by the driver's ETC card: the composite purchase's journal entry, written durably BEFORE the DEBIT
   * (then the intent is announced), and the card's outcome once known (the TAC, or proved not debited). A
   * reload in between asks the same card (GET TRANSACTION PROVE), never debits it again.
   */
  etcCard?: {
    cardNo: string;
    entry: PendingEntry;
    phase: 'intent' | 'resolved';
    outcome?: { debited: true; result: PurchaseOutcome } | { debited: false };
  };
  updatedAt: string;
}
