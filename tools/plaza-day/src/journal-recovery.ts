import type { ExitPurchase, PurchaseOutcome } from '@tollpad/card';
import type { ExitTransaction } from '@tollpad/station-api';
import { commitBodyOf } from '../../../apps/station/src/testing/exit-bodies';
import type { FaultLog } from './fault-log';
import type { FileJournal } from './journal-file';
import type { StationSession } from './station-session';

/**
 * Settles what the journal holds, on the card now in the slot: a finished purchase is committed, a pending
 * one is proven with GET TRANSACTION PROVE — debited → the record via /recover; not debited → the intent
 * is voided at the station and the purchase runs again.
 */
export async function recoverJournal(
  journal: FileJournal,
  purchase: ExitPurchase,
  session: StationSession,
  faults: FaultLog,
  kind: 'swap' | 'handheld-restart',
): Promise<{ committed: PurchaseOutcome | null; found: boolean }> {
  let committed: PurchaseOutcome | null = null;
  let found = false;
  for (const rec of journal.list()) {
    found = true;
    const tradeId =
      rec.tradeId ?? (await session.call<ExitTransaction>('GET', `/exits/${rec.txnId}`)).tradeId;
    let outcome = rec.outcome ?? null;
    if (!outcome) {
      const r = await purchase.recoverPending(rec.entry);
      if (r.status === 'not-debited') {
        await session.call('POST', `/exits/${rec.txnId}/recover`, {
          body: { outcome: 'not-debited', cardAtc: rec.entry.atc },
        });
        faults.recover(kind, 'not debited (9406): intent voided, purchase again');
        continue;
      }
      outcome = r.outcome;
    }
    // A debit whose intent the station never recorded cannot be proven to it; the day's reconciliation reports it.
    if (!tradeId) throw new Error(`journal entry ${rec.entry.id} debited without a trade ID at the station`);
    await session.call('POST', `/exits/${rec.txnId}/recover`, {
      body: { outcome: 'debited', commit: commitBodyOf(tradeId, outcome) },
    });
    journal.remove(rec.entry.id);
    faults.recover(kind, 'debited: proven and recorded via /recover');
    committed = outcome;
  }
  return { committed, found };
}
