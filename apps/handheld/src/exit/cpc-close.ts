import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import type { CpcDesk, CpcWriteOutcome } from '../card/cpc-desk';
import { HandheldError, toUserFacing, type UserFacingError } from '../errors';
import type { JournalStore } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';
import type { ExitPhase } from './phase';

/** The finished CPC exit: the cash taken, the trade ID and what became of the card write. */
export interface CpcExitResult {
  /** fen */
  amount: number;
  tradeId: string;
  cardWrite: CpcWriteOutcome['outcome'];
  /** Why the write failed (not-written only). */
  reason: string | null;
}

/** What the close tells the screen as it goes (setters; `alive` is false once the screen closed). */
export interface CpcCloseView {
  alive: () => boolean;
  phase: (p: ExitPhase) => void;
  txn: (t: ExitTxn | ((t: ExitTxn | null) => ExitTxn | null)) => void;
  error: (e: UserFacingError | null) => void;
  result: (r: CpcExitResult) => void;
}

export interface CpcCloseDeps {
  client: Pick<StationClient, 'cpcPaymentIntent' | 'commitCpc'>;
  cpc: Pick<CpcDesk, 'close'>;
  /** The durable journal's CPC store: the exit is kept there from the cash until its commit. */
  journal: JournalStore<PendingCpcWrite>;
  laneId: string;
  now?: () => Date;
}

/** The station answered (an HTTP error): it holds no cash for this exit, so nothing is left to finish. */
function stationRefused(e: unknown): boolean {
  return e instanceof HandheldError && e.status > 0;
}

/**
 * The `cash-confirmed` payment with the `cpc-exit` card write (card write timing after-payment,
 * payments.md §7): the station hears the cash the collector confirmed and mints the trade ID, then the
 * card is written (写卡/关闭CPC) and the commit carries the write's outcome. A failed write still commits:
 * the card is kept, the payment stands, the record gets the special "CPC写卡失败过车". From the cash on, the
 * exit is in the durable journal until the commit, so a closed tab leaves it to the home screen to finish.
 */
export function cpcClose(deps: CpcCloseDeps, view: CpcCloseView) {
  const { client, cpc, journal, laneId } = deps;
  const now = deps.now ?? (() => new Date());
  const keep = (req: { txnId: string; cpcId: string; amount: number }, tradeId: string | null) =>
    journal.put(
      {
        txnId: req.txnId,
        laneId,
        cpcId: req.cpcId,
        amount: req.amount,
        tradeId,
        updatedAt: now().toISOString(),
      },
      // The entry before the intent must reach the disk; the trade ID is also at the station (a lost update
      // is read back from the transaction).
      { durable: tradeId === null },
    );

  /** The card write and the commit, once the trade ID exists (also after a reload: the write is idempotent). */
  const writeAndCommit = async (req: { txnId: string; cpcId: string; amount: number; tradeId: string }) => {
    view.phase('writing');
    let outcome: CpcWriteOutcome;
    try {
      outcome = await cpc.close(req.cpcId);
    } catch (e) {
      // The desk turns card failures into not-written; anything left (no reader) is one too: the card
      // stays with the collector and the payment stands.
      outcome = { outcome: 'not-written', reason: toUserFacing(e).message.slice(0, 200) };
    }
    if (!view.alive()) return;
    view.phase('settling');
    const reason = outcome.outcome === 'not-written' ? outcome.reason : null;
    // The card layer's code, typed, so the station gives the record its special (e.g. 34 UK1 locked).
    const cardError = outcome.outcome === 'not-written' ? outcome.cardError : undefined;
    await client.commitCpc(req.txnId, {
      tradeId: req.tradeId,
      cardWrite: outcome.outcome,
      ...(reason ? { reason } : {}),
      ...(cardError ? { cardError } : {}),
    });
    // Relaxed delete: one left behind is found committed by the home screen and dropped there.
    await journal.delete(req.txnId).catch(() => undefined);
    if (!view.alive()) return;
    view.txn((t) => (t ? { ...t, state: 'committed', tradeId: req.tradeId } : t));
    view.result({ amount: req.amount, tradeId: req.tradeId, cardWrite: outcome.outcome, reason });
    view.error(null);
    view.phase('done');
  };

  const fail = (e: unknown) => {
    if (!view.alive()) return;
    view.error(toUserFacing(e));
    view.phase('idle');
  };

  return {
    /** 【确认已收现金】: the payment intent, then the write and the commit. */
    async submit(req: { txnId: string; cpcId: string; amount: number }) {
      view.error(null);
      view.phase('paying');
      try {
        await keep(req, null);
        let tradeId: string;
        try {
          const r = await client.cpcPaymentIntent(req.txnId, { payment: 'cash', amount: req.amount });
          tradeId = r.tradeId;
          if (view.alive()) view.txn(r.txn);
        } catch (e) {
          if (stationRefused(e)) await journal.delete(req.txnId).catch(() => undefined);
          throw e;
        }
        await keep(req, tradeId).catch(() => undefined);
        if (!view.alive()) return;
        await writeAndCommit({ ...req, tradeId });
      } catch (e) {
        fail(e);
      }
    },
    /** A reopened transaction whose cash was confirmed (debit_pending): write the card and commit. */
    async resume(req: { txnId: string; cpcId: string; amount: number; tradeId: string }) {
      view.error(null);
      try {
        await keep(req, req.tradeId).catch(() => undefined);
        await writeAndCommit(req);
      } catch (e) {
        fail(e);
      }
    },
  };
}
