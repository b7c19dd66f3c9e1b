import type { StationClient } from '../api/station-client';
import type { CommitInput, DebitResult, ExitTxn } from '../api/types';
import { handheldError } from '../errors';
import type { JournalStore, PendingDebit } from '../journal/idb-journal';

/** The station's commit input from the card's proof. */
export function commitInputOf(p: PendingDebit, tradeId: string): CommitInput {
  const o = p.outcome;
  if (!o?.debited) throw handheldError('HH_ERR_INTERNAL', { detail: 'no debit outcome' });
  const r = o.result;
  return {
    tradeId,
    tac: r.tac,
    psamTerminalNo: r.terminalId,
    terminalTransNo: r.terminalSerial.toString(16).toUpperCase().padStart(8, '0'),
    cardTransNo: r.atcBefore,
    preBalance: p.entry.balanceBefore,
    postBalance: r.balanceAfter,
    algorithm: r.algorithm === 'sm4' ? 2 : 1,
  };
}

/** What the collector is shown for a settled debit; null when the card proved not debited. */
export function debitResultOf(p: PendingDebit, tradeId: string | null): DebitResult | null {
  if (!p.outcome?.debited) return null;
  const r = p.outcome.result;
  return { tac: r.tac, amount: r.amount, balanceAfter: r.balanceAfter, tradeId, recovered: r.recovered };
}

/**
 * Tells the station the card's outcome of a pending debit and only then drops the journal entry, so a
 * failure here leaves the entry for the next try (commit and recover are idempotent at the station).
 */
export async function settle(
  client: StationClient,
  journal: JournalStore,
  p: PendingDebit,
): Promise<{ txn: ExitTxn | null; tradeId: string | null }> {
  const o = p.outcome;
  if (!o) throw handheldError('HH_ERR_INTERNAL', { detail: 'pending entry has no outcome yet' });
  let txn: ExitTxn | null = null;
  let tradeId: string | null = null;
  if (o.debited) {
    // After a crash the trade ID the station allocated is read back from it.
    tradeId = p.tradeId ?? (await client.getExit(p.txnId)).tradeId;
    if (!tradeId) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: 'no trade ID for a debited card' });
    const commit = commitInputOf(p, tradeId);
    if (o.result.recovered) txn = await client.recover(p.txnId, { outcome: 'debited', commit });
    else await client.commit(p.txnId, commit);
  } else {
    txn = await client.recover(p.txnId, { outcome: 'not-debited', cardAtc: p.entry.atc });
  }
  await journal.delete(p.txnId);
  return { txn, tradeId };
}
