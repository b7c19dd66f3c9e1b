import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { PendingEntry, PurchaseJournal, PurchaseOutcome } from '@tollpad/card';

/** What the handheld persists before DEBIT: the purchase entry and the station transaction it belongs to. */
export interface JournalRecord {
  txnId: string;
  tradeId: string | null;
  entry: PendingEntry;
  /** Set once the card proof is in hand; the record stays until the station holds the commit. */
  outcome?: PurchaseOutcome;
}

/**
 * The handheld's write-ahead journal as a file (stands in for IndexedDB on the real handheld): it outlives
 * the in-memory ExitPurchase, so a "restart" finds the pending entry and recovers on the same card.
 * Written with a rename so a half-written file never replaces a good one.
 */
export class FileJournal implements PurchaseJournal {
  private pending = new Map<string, JournalRecord>();
  /** The station transaction the next pending entry belongs to (set before each purchase). */
  txnId = '';
  /** Called after the entry is on disk, before DEBIT: the announcement to the station. */
  onPending: (rec: JournalRecord) => Promise<void> = async () => {};

  constructor(private readonly file: string) {
    if (existsSync(file)) {
      const list = JSON.parse(readFileSync(file, 'utf8')) as JournalRecord[];
      for (const r of list) this.pending.set(r.entry.id, r);
    }
  }

  private flush(): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.pending.values()]));
    renameSync(`${this.file}.tmp`, this.file);
  }

  async writePending(entry: PendingEntry): Promise<void> {
    const rec: JournalRecord = { txnId: this.txnId, tradeId: null, entry };
    this.pending.set(entry.id, rec);
    this.flush();
    await this.onPending(rec);
  }

  setTradeId(entryId: string, tradeId: string): void {
    const r = this.pending.get(entryId);
    if (r) {
      r.tradeId = tradeId;
      this.flush();
    }
  }

  async markDone(entry: PendingEntry, result: PurchaseOutcome): Promise<void> {
    const r = this.pending.get(entry.id);
    if (r) {
      r.outcome = result;
      this.flush();
    }
  }

  async markNotDebited(entry: PendingEntry): Promise<void> {
    this.remove(entry.id);
  }

  /** After the station holds the record (or the void intent), the entry is settled. */
  remove(id: string): void {
    if (this.pending.delete(id)) this.flush();
  }

  list(): JournalRecord[] {
    return [...this.pending.values()];
  }

  /** A fresh read from disk, as a restarted handheld would see it. */
  static reload(file: string): FileJournal {
    return new FileJournal(file);
  }
}
