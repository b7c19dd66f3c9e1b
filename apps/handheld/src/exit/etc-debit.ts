import type { StationClient } from '../api/station-client';
import type { DebitResult, ExitTxn } from '../api/types';
import { type CardDesk, type PurchaseRequest, type PurchaseStep, TornDebitError } from '../card/card-desk';
import type { ReaderHub } from '../card/reader-hub-types';
import { handheldError, toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import type { JournalStore, PendingDebit } from '../journal/idb-journal';
import type { ExitPhase } from './phase';
import { debitResultOf, settle } from './settle';

/** What the debit tells the screen as it goes (React-style setters; `alive` is false once it closed). */
export interface DebitView {
  alive: () => boolean;
  phase: (p: ExitPhase) => void;
  step: (s: PurchaseStep) => void;
  txn: (t: ExitTxn | ((t: ExitTxn | null) => ExitTxn | null)) => void;
  error: (e: UserFacingError | null) => void;
  result: (r: DebitResult) => void;
}

export interface EtcDebitDeps {
  client: StationClient;
  journal: JournalStore;
  desk: Pick<CardDesk, 'purchase' | 'recover'>;
  hub: Pick<ReaderHub, 'waitForCard'>;
}

/** The 【提交数据】 outcome when the card proved not debited: the collector may submit again. */
function notDebited(): UserFacingError {
  return {
    code: 'HH_ERR_DEBIT_FAILED',
    message: L('卡片未扣款', 'The card was not debited'),
    action: L(
      '请将手持机放置ETC卡签旁，重新【提交数据】',
      'Hold the handheld by the card and press 【提交数据】 again',
    ),
  };
}

/**
 * The `etc-debit` payment with its `etc-0019` card write, on the handheld: the composite purchase,
 * the recovery of a torn or unsettled debit from the journal (on the same card, never a second
 * debit), and the station told the card's outcome.
 */
export function etcDebit(deps: EtcDebitDeps, view: DebitView) {
  const { client, journal, desk, hub } = deps;
  let waiting: AbortController | null = null;

  const finish = async (p: PendingDebit) => {
    view.phase('settling');
    const settled = await settle(client, journal, p);
    if (!view.alive()) return;
    if (settled.txn) view.txn(settled.txn);
    else view.txn((t) => (t ? { ...t, state: 'committed', tradeId: settled.tradeId } : t));
    const debited = debitResultOf(p, settled.tradeId);
    if (debited) {
      view.result(debited);
      view.error(null);
      view.phase('done');
    } else {
      view.phase('idle');
      view.error(notDebited());
    }
  };

  /** Settles a resolved entry; else waits for the card to come back and asks it what happened. */
  const recover = async (p: PendingDebit) => {
    try {
      if (p.phase === 'resolved' && p.outcome) {
        await finish(p);
        return;
      }
      view.phase('torn');
      waiting?.abort();
      waiting = new AbortController();
      await hub.waitForCard(waiting.signal);
      if (!view.alive()) return;
      view.phase('recovering');
      const after = await desk.recover(p, (s) => view.alive() && view.step(s));
      await finish(after);
    } catch (e) {
      if (!view.alive() || (e instanceof DOMException && e.name === 'AbortError')) return;
      view.error(toUserFacing(e));
      view.phase('torn');
    }
  };

  /** 【提交数据】: announce, debit, settle; a tear hands over to recovery. */
  const submit = async (req: PurchaseRequest) => {
    view.error(null);
    view.phase('debiting');
    view.step('connect');
    try {
      const p = await desk.purchase(req, {
        announce: async (intent) => {
          const r = await client.debitIntent(req.txnId, intent);
          if (view.alive()) view.txn(r.txn);
          return r.tradeId;
        },
        onStep: (s) => {
          if (!view.alive()) return;
          view.step(s);
          if (s === 'waiting-for-card') view.phase('torn');
          else if (s === 'recovering') view.phase('recovering');
        },
      });
      await finish(p);
    } catch (e) {
      if (!view.alive()) return;
      if (e instanceof TornDebitError) {
        view.error(toUserFacing(handheldError('HH_ERR_TORN')));
        await recover(e.pending);
        return;
      }
      view.error(toUserFacing(e));
      const pending = await journal.get(req.txnId).catch(() => undefined);
      // The card's outcome is known but the station was not told (network): keep it, retry on demand.
      view.phase(pending ? 'torn' : 'idle');
    }
  };

  return {
    submit,
    recover,
    /** Recovers the transaction's pending entry, if the journal has one. */
    async retry(txnId: string | null) {
      const p = txnId ? await journal.get(txnId) : undefined;
      if (p) await recover(p);
    },
    /** Stops waiting for the card (the screen closed). */
    stop() {
      waiting?.abort();
    },
  };
}

export type EtcDebit = ReturnType<typeof etcDebit>;
