import type { PendingEntry, PurchaseJournal, PurchaseOutcome, RecoveryResult } from '@tollpad/card';
import type { EtcCardFiles } from '@tollpad/station-api';

/** The driver's ETC card as the reader read it: the raw files for the station, and what the collector sees. */
export interface PayCardRead {
  payload: EtcCardFiles;
  summary: {
    cardNo: string;
    cardKind: 'stored-value' | 'account' | 'other';
    cardTypeName: string;
    plate: string;
    /** fen; null when not read (an account card). */
    balance: number | null;
  };
}

/**
 * The driver's own ETC card as payment card for a CPC trip (payments.md §6), on the handheld's reader without
 * its OBU: read, then the composite purchase writing the card's own 0019 back unchanged (it pays only), with
 * the journal port the caller gives (the CPC exit's durable entry holds the debit's proof), and the recovery
 * of a pending entry on the same card (GET TRANSACTION PROVE).
 */
export interface PayCardDesk {
  read(): Promise<PayCardRead>;
  /** Debits `amount` from the card last read (the same card must still be on the reader). */
  debit(req: { cardNo: string; amount: number }, journal: PurchaseJournal): Promise<PurchaseOutcome>;
  recover(entry: PendingEntry, journal: PurchaseJournal): Promise<RecoveryResult>;
}
