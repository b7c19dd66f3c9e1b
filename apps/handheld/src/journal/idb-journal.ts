/**
 * The pending-debit journal in IndexedDB. An entry is written BEFORE the DEBIT is sent and removed only
 * once the station has the outcome, so a reload or crash in between finds it and recovers on the same
 * card (GET TRANSACTION PROVE) instead of debiting again.
 */

import type { PendingEntry, PurchaseOutcome } from '@tollpad/card';

export type PendingPhase =
  /** Written before DEBIT: the card may or may not have been debited. */
  | 'intent'
  /** The card's outcome is known (debited with TAC, or proved not debited); the station not yet told. */
  | 'resolved';

export interface PendingDebit {
  /** The station's exit transaction ID (one vehicle). */
  txnId: string;
  laneId: string;
  cardNo: string;
  /** The exit trade ID the station allocated when the intent was announced. */
  tradeId: string | null;
  /** The card package's pending entry (card number, ATC, amount, terminal, serial, datetime). */
  entry: PendingEntry;
  phase: PendingPhase;
  outcome?: { debited: true; result: PurchaseOutcome } | { debited: false };
  updatedAt: string;
}

export interface JournalStore {
  /**
   * `durable` (default) waits for the disk ('strict'): required for the entry written before DEBIT. Later
   * updates may be relaxed: if they are lost, recovery asks the card again.
   */
  put(entry: PendingDebit, opts?: { durable?: boolean }): Promise<void>;
  get(txnId: string): Promise<PendingDebit | undefined>;
  delete(txnId: string): Promise<void>;
  list(): Promise<PendingDebit[]>;
}

const DB_NAME = 'tollpad-handheld';
const STORE = 'pending-debits';

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** IndexedDB-backed journal; each write is its own committed transaction (durable before DEBIT). */
export class IdbJournal implements JournalStore {
  private dbp: Promise<IDBDatabase> | undefined;

  private db(): Promise<IDBDatabase> {
    this.dbp ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE))
          req.result.createObjectStore(STORE, { keyPath: 'txnId' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.dbp;
  }

  private async tx<T>(
    mode: IDBTransactionMode,
    f: (s: IDBObjectStore) => IDBRequest<T>,
    durability: IDBTransactionDurability = 'strict',
  ): Promise<T> {
    const db = await this.db();
    const t = db.transaction(STORE, mode, { durability });
    const result = promisify(f(t.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
    return result;
  }

  async put(entry: PendingDebit, opts: { durable?: boolean } = {}): Promise<void> {
    await this.tx('readwrite', (s) => s.put(entry), opts.durable === false ? 'relaxed' : 'strict');
  }

  get(txnId: string): Promise<PendingDebit | undefined> {
    return this.tx('readonly', (s) => s.get(txnId) as IDBRequest<PendingDebit | undefined>);
  }

  async delete(txnId: string): Promise<void> {
    // Relaxed: a lost delete only means a settled entry is settled again (idempotent at the station).
    await this.tx('readwrite', (s) => s.delete(txnId), 'relaxed');
  }

  list(): Promise<PendingDebit[]> {
    return this.tx('readonly', (s) => s.getAll() as IDBRequest<PendingDebit[]>);
  }
}

/** In-memory journal for unit tests and browsers without IndexedDB (private mode). */
export class MemoryJournal implements JournalStore {
  private readonly map = new Map<string, PendingDebit>();
  async put(entry: PendingDebit, _opts?: { durable?: boolean }): Promise<void> {
    this.map.set(entry.txnId, structuredClone(entry));
  }
  async get(txnId: string): Promise<PendingDebit | undefined> {
    const e = this.map.get(txnId);
    return e ? structuredClone(e) : undefined;
  }
  async delete(txnId: string): Promise<void> {
    this.map.delete(txnId);
  }
  async list(): Promise<PendingDebit[]> {
    return [...this.map.values()].map((e) => structuredClone(e));
  }
}
