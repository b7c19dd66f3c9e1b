import { IdbJournal, type JournalStore, MemoryJournal } from './idb-journal';
import type { PendingCpcWrite } from './pending-cpc';

/**
 * Paybacks (补缴) whose payment was started and whose record is not committed, in the durable journal's own
 * store: the CPC close keeps them as it keeps a no-card exit (written before the intent, dropped after the
 * commit), `txnId` the payback's ID and `cpcId` its vehicle (plate_colour); a reload or a closed tab leaves the
 * home screen a payback to follow and finish, never a second payment.
 */
export type PendingPayback = PendingCpcWrite;

let store: JournalStore<PendingPayback> | null = null;

/** The page's one payback journal (in memory where IndexedDB is missing, e.g. private mode). */
export function paybackJournal(): JournalStore<PendingPayback> {
  store ??=
    typeof indexedDB === 'undefined'
      ? new MemoryJournal<PendingPayback>()
      : new IdbJournal<PendingPayback>('pending-paybacks');
  return store;
}
