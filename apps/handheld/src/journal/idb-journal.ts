/**
 * The handheld's durable journal in IndexedDB, one store per kind of unfinished payment:
 * - `pending-debits`: an ETC entry is written BEFORE the DEBIT is sent and removed only once the station
 *   has the outcome, so a reload or crash in between finds it and recovers on the same card (GET
 *   TRANSACTION PROVE) instead of debiting again;
 * - `pending-cpc-writes`: a CPC exit whose cash the collector confirmed (pending-cpc.ts), kept until its
 *   card write and commit are done, so a closed tab cannot lose the exit after the money was taken;
 * - `pending-paybacks`: a payback (补缴) whose payment was started, kept until its commit (pending-paybacks.ts).
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

/** A journal store holds entries keyed by the station's exit transaction ID. */
export interface JournalEntry {
  txnId: string;
}

export interface JournalStore<T extends JournalEntry = PendingDebit> {
  /**
   * `durable` (default) waits for the disk ('strict'): required for the entry written before DEBIT. Later
   * updates may be relaxed: if they are lost, recovery asks the card again.
   */
  put(entry: T, opts?: { durable?: boolean }): Promise<void>;
  get(txnId: string): Promise<T | undefined>;
  delete(txnId: string): Promise<void>;
  list(): Promise<T[]>;
}

const DB_NAME = 'tollpad-handheld';
/** Version 2 added the CPC store, 3 the paybacks'; the stores before are kept as they were. */
const DB_VERSION = 3;
export const JOURNAL_STORES = ['pending-debits', 'pending-cpc-writes', 'pending-paybacks'] as const;
export type JournalStoreName = (typeof JOURNAL_STORES)[number];

let dbp: Promise<IDBDatabase> | undefined;

/** One connection for every store of the page. */
function openDb(): Promise<IDBDatabase> {
  dbp ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      for (const name of JOURNAL_STORES)
        if (!req.result.objectStoreNames.contains(name))
          req.result.createObjectStore(name, { keyPath: 'txnId' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbp;
}

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** IndexedDB-backed journal; each write is its own committed transaction (durable before DEBIT). */
export class IdbJournal<T extends JournalEntry = PendingDebit> implements JournalStore<T> {
  constructor(private readonly store: JournalStoreName = 'pending-debits') {}

  private async tx<R>(
    mode: IDBTransactionMode,
    f: (s: IDBObjectStore) => IDBRequest<R>,
    durability: IDBTransactionDurability = 'strict',
  ): Promise<R> {
    const db = await openDb();
    const t = db.transaction(this.store, mode, { durability });
    const result = promisify(f(t.objectStore(this.store)));
    await new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
    return result;
  }

  async put(entry: T, opts: { durable?: boolean } = {}): Promise<void> {
    await this.tx('readwrite', (s) => s.put(entry), opts.durable === false ? 'relaxed' : 'strict');
  }

  get(txnId: string): Promise<T | undefined> {
    return this.tx('readonly', (s) => s.get(txnId) as IDBRequest<T | undefined>);
  }

  async delete(txnId: string): Promise<void> {
    // Relaxed: a lost delete only means a settled entry is settled again (idempotent at the station).
    await this.tx('readwrite', (s) => s.delete(txnId), 'relaxed');
  }

  list(): Promise<T[]> {
    return this.tx('readonly', (s) => s.getAll() as IDBRequest<T[]>);
  }
}

/** In-memory journal for unit tests and browsers without IndexedDB (private mode). */
export class MemoryJournal<T extends JournalEntry = PendingDebit> implements JournalStore<T> {
  private readonly map = new Map<string, T>();
  async put(entry: T, _opts?: { durable?: boolean }): Promise<void> {
    this.map.set(entry.txnId, structuredClone(entry));
  }
  async get(txnId: string): Promise<T | undefined> {
    const e = this.map.get(txnId);
    return e ? structuredClone(e) : undefined;
  }
  async delete(txnId: string): Promise<void> {
    this.map.delete(txnId);
  }
  async list(): Promise<T[]> {
    return [...this.map.values()].map((e) => structuredClone(e));
  }
}
