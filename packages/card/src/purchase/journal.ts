import type { Fen } from '@tollpad/domain';

/**
 * The write-ahead journal port: a pending entry is written BEFORE DEBIT is sent, so that after a tear, a
 * crash or a reload the transaction is recovered with GET TRANSACTION PROVE, never blindly retried.
 * The handheld implements it on IndexedDB; tests use MemoryJournal.
 */
export interface PendingEntry {
  /** cardNumber:atc:terminalSerial — unique per attempt. */
  readonly id: string;
  readonly cardNumber: string;
  /** ATC returned by INITIALIZE (the proof is asked for ATC + 1). */
  readonly atc: number;
  readonly amount: Fen;
  readonly terminalId: string;
  readonly terminalSerial: number;
  /** YYYYMMDDhhmmss, Beijing time, as sent to the card. */
  readonly datetime: string;
  readonly algorithm: '3des' | 'sm4';
  /** 0019 record written in this purchase (hex). */
  readonly ef0019: string;
  /** Balance before the debit, as INITIALIZE reported it (signed for account cards). */
  readonly balanceBefore: Fen;
}

export interface PurchaseOutcome {
  readonly cardNumber: string;
  readonly amount: Fen;
  readonly atcBefore: number;
  readonly terminalId: string;
  readonly terminalSerial: number;
  readonly datetime: string;
  readonly algorithm: '3des' | 'sm4';
  readonly tac: string;
  readonly mac2: string;
  readonly balanceAfter: Fen;
  readonly ef0019: string;
  /** The proof came from GET TRANSACTION PROVE after an interruption. */
  readonly recovered: boolean;
  /** False only when the PSAM could not check MAC2 (recovery after a restart: the PSAM session is gone). */
  readonly mac2Verified: boolean;
}

export interface PurchaseJournal {
  writePending(entry: PendingEntry): Promise<void>;
  markDone(entry: PendingEntry, result: PurchaseOutcome): Promise<void>;
  markNotDebited(entry: PendingEntry): Promise<void>;
}

export type JournalState = 'pending' | 'done' | 'not-debited';

/** In-memory journal (tests, the in-page demo). */
export class MemoryJournal implements PurchaseJournal {
  readonly entries = new Map<
    string,
    { entry: PendingEntry; state: JournalState; result?: PurchaseOutcome }
  >();

  async writePending(entry: PendingEntry): Promise<void> {
    this.entries.set(entry.id, { entry, state: 'pending' });
  }

  async markDone(entry: PendingEntry, result: PurchaseOutcome): Promise<void> {
    this.entries.set(entry.id, { entry, state: 'done', result });
  }

  async markNotDebited(entry: PendingEntry): Promise<void> {
    this.entries.set(entry.id, { entry, state: 'not-debited' });
  }

  pending(): PendingEntry[] {
    return [...this.entries.values()].filter((e) => e.state === 'pending').map((e) => e.entry);
  }

  done(): PurchaseOutcome[] {
    return [...this.entries.values()].flatMap((e) => (e.state === 'done' && e.result ? [e.result] : []));
  }
}
