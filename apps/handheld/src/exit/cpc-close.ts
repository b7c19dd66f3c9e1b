import type { CpcPaymentIntent, EtcPurchaseProof, PaymentStatus } from '@tollpad/station-api';
import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import type { CpcDesk, CpcWriteOutcome } from '../card/cpc-desk';
import { HandheldError, toUserFacing, type UserFacingError } from '../errors';
import type { JournalStore } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';
import type { PayMethod } from './cpc-payment';
import type { ExitPhase } from './phase';

/** The finished CPC exit: what was paid and how, the trade ID and what became of the card write. */
export interface CpcExitResult {
  /** fen */
  amount: number;
  tradeId: string;
  method: PayMethod;
  /** The station's payment at the commit (cash: tendered and change; QR: channel, platform order); null from
   * a station without payments. */
  payment: PaymentStatus | null;
  /** `none`: a no-card exit, nothing to write. */
  cardWrite: CpcWriteOutcome['outcome'] | 'none';
  /** Why the write failed (not-written only). */
  reason: string | null;
  /** Paid by the driver's ETC card: its number and its balance after the debit (fen). */
  etcCard?: { cardNo: string; postBalance: number };
}

/** What the close tells the screen as it goes (setters; `alive` is false once the screen closed). */
export interface CpcCloseView {
  alive: () => boolean;
  phase: (p: ExitPhase) => void;
  txn: (t: ExitTxn | ((t: ExitTxn | null) => ExitTxn | null)) => void;
  error: (e: UserFacingError | null) => void;
  /** The payment as the station last told it (progress line, outcome). */
  payment: (s: PaymentStatus | null) => void;
  result: (r: CpcExitResult) => void;
}

export interface CpcCloseDeps {
  client: Pick<
    StationClient,
    'cpcPaymentIntent' | 'commitCpc' | 'payment' | 'stopPayment' | 'paymentAttempt' | 'recover'
  >;
  /** The CPC to close after the payment; null for a no-card exit (nothing written, commit `cardWrite: 'none'`). */
  cpc: Pick<CpcDesk, 'close'> | null;
  /** The durable journal's CPC store: the exit is kept there from before the payment until its commit. */
  journal: JournalStore<PendingCpcWrite>;
  laneId: string;
  now?: () => Date;
}

/** What the collector chose at the payment step. */
export type CpcPayChoice =
  | { method: 'cash' /** fen; absent: the exact amount */; tendered?: number }
  /** 【免费放行】: a fee of 0 (a passed 绿通查验…), nothing taken. */
  | { method: 'free' }
  | {
      method: 'qr' /** 被扫: the driver's code; absent: 主扫 (a code the driver scans) */;
      authCode?: string;
    };

export interface CpcPayRequest {
  txnId: string;
  cpcId: string;
  amount: number;
  pay: CpcPayChoice;
}

/** The payment the exit is waiting on (after the intent's answer, or found on reopening). */
export interface CpcPaid {
  txnId: string;
  cpcId: string;
  amount: number;
  tradeId: string;
  method: PayMethod;
}

/** The station answered (an HTTP error): it holds no payment for this exit, so nothing is left to finish. */
function stationRefused(e: unknown): boolean {
  return e instanceof HandheldError && e.status > 0;
}

function intentBody(amount: number, pay: CpcPayChoice): CpcPaymentIntent {
  if (pay.method === 'free') return { payment: 'free', amount: 0 };
  if (pay.method === 'cash')
    return pay.tendered === undefined
      ? { payment: 'cash', amount }
      : { payment: 'cash', amount, tendered: pay.tendered };
  return pay.authCode === undefined
    ? { payment: 'qr', amount, mode: 'dynamic' }
    : { payment: 'qr', amount, mode: 'code', authCode: pay.authCode };
}

/**
 * The payment of a CPC exit with the `cpc-exit` card write (card write timing after-payment, payments.md §7):
 * the station hears the payment (cash with the tendered amount, or a QR code it sends to the platform) and
 * mints the trade ID; a QR payment is followed by long poll until it ends; once it succeeded the card is
 * written (写卡/关闭CPC) and the commit carries the write's outcome. A failed write still commits: the card
 * is kept, the payment stands, the record gets the special "CPC写卡失败过车". From before the intent the exit
 * is in the durable journal until the commit, so a closed tab leaves it to the home screen to follow and finish.
 */
export function cpcClose(deps: CpcCloseDeps, view: CpcCloseView) {
  const { client, cpc, journal, laneId } = deps;
  const now = deps.now ?? (() => new Date());
  const keep = (
    req: { txnId: string; cpcId: string; amount: number; method: PayMethod },
    tradeId: string | null,
  ) =>
    journal.put(
      {
        txnId: req.txnId,
        laneId,
        cpcId: req.cpcId,
        amount: req.amount,
        tradeId,
        method: req.method,
        ...(cpc === null ? { medium: 'none' as const } : {}),
        updatedAt: now().toISOString(),
      },
      // The entry before the intent must reach the disk; the trade ID is also at the station (a lost update
      // is read back from the transaction).
      { durable: tradeId === null },
    );

  /** The card write and the commit, once paid (also after a reload: the write is idempotent). */
  const writeAndCommit = async (
    req: CpcPaid,
    payment: PaymentStatus | null,
    card?: { cardNo: string; proof: EtcPurchaseProof },
  ) => {
    if (cpc === null) {
      // No card: nothing to write; the commit says so (the driver's ETC card's proof when it paid).
      view.phase('settling');
      await client.commitCpc(req.txnId, {
        tradeId: req.tradeId,
        cardWrite: 'none',
        ...(card ? { etcCard: card.proof } : {}),
      });
      await journal.delete(req.txnId).catch(() => undefined);
      if (!view.alive()) return;
      view.txn((t) => (t ? { ...t, state: 'committed', tradeId: req.tradeId } : t));
      view.result({
        amount: req.amount,
        tradeId: req.tradeId,
        method: req.method,
        payment,
        cardWrite: 'none',
        reason: null,
        ...(card ? { etcCard: { cardNo: card.cardNo, postBalance: card.proof.postBalance } } : {}),
      });
      view.error(null);
      view.phase('done');
      return;
    }
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
      // The driver's ETC card paid: its proof goes with the write's outcome, one record for both.
      ...(card ? { etcCard: card.proof } : {}),
    });
    // Relaxed delete: one left behind is found committed by the home screen and dropped there.
    await journal.delete(req.txnId).catch(() => undefined);
    if (!view.alive()) return;
    view.txn((t) => (t ? { ...t, state: 'committed', tradeId: req.tradeId } : t));
    view.result({
      amount: req.amount,
      tradeId: req.tradeId,
      method: req.method,
      payment,
      cardWrite: outcome.outcome,
      reason,
      ...(card ? { etcCard: { cardNo: card.cardNo, postBalance: card.proof.postBalance } } : {}),
    });
    view.error(null);
    view.phase('done');
  };

  /**
   * Follows the station's payment until it ends (long poll), then writes and commits if it succeeded. Never
   * starts a payment: a reopened exit only follows what the station has.
   */
  const follow = async (req: CpcPaid, from: PaymentStatus | null) => {
    let s = from ?? (await client.payment(req.txnId, -1, 0));
    view.payment(s);
    view.phase('paying');
    while (!s.final && view.alive()) {
      s = await client.payment(req.txnId, s.version);
      if (view.alive()) view.payment(s);
    }
    if (!view.alive()) return;
    if (s.phase === 'succeeded') await writeAndCommit(req, s);
    else view.phase('idle'); // ended not paid: the screen offers another code or cash
  };

  const fail = (e: unknown) => {
    if (!view.alive()) return;
    view.error(toUserFacing(e));
    view.phase('idle');
  };

  const close = {
    /**
     * After the driver's ETC card paid (etc-card-pay.ts) and the CPC is back on the reader: 写卡/关闭CPC and the
     * commit carrying the card's proof (also after a reload: the write is idempotent, the commit too).
     */
    async finishCard(req: CpcPaid, card: { cardNo: string; proof: EtcPurchaseProof }) {
      view.error(null);
      try {
        // The journal's entry (with the card's proof) stays as written until the commit is done.
        await writeAndCommit(req, null, card);
      } catch (e) {
        fail(e);
      }
    },
    /** 【确认收款】/ a scanned code: the payment intent, the payment followed, then the write and the commit. */
    async submit(req: CpcPayRequest) {
      view.error(null);
      view.payment(null);
      view.phase('paying');
      const method = req.pay.method;
      try {
        // A driver's ETC-card intent whose answer was lost may be pending at the station (which then refuses
        // this one): its entry is the only way the card can prove it not debited, so a refusal puts it back.
        const before = await journal.get(req.txnId);
        await keep({ ...req, method }, null);
        let r: Awaited<ReturnType<typeof client.cpcPaymentIntent>>;
        try {
          r = await client.cpcPaymentIntent(req.txnId, intentBody(req.amount, req.pay));
          if (view.alive()) view.txn(r.txn);
        } catch (e) {
          if (stationRefused(e)) {
            if (before?.etcCard) await journal.put(before, { durable: true });
            else await journal.delete(req.txnId).catch(() => undefined);
          }
          throw e;
        }
        await keep({ ...req, method }, r.tradeId).catch(() => undefined);
        if (!view.alive()) return;
        const paid = { txnId: req.txnId, cpcId: req.cpcId, amount: req.amount, tradeId: r.tradeId, method };
        // Cash from a station without payment statuses is taken when the intent is answered.
        // Free: nothing to follow, the card write commits it.
        if (method === 'free' || (method === 'cash' && r.payment === null)) await writeAndCommit(paid, null);
        else await follow(paid, r.payment);
      } catch (e) {
        fail(e);
      }
    },
    /** A reopened exit (debit_pending): follow the station's payment, then write the card and commit. */
    async resume(req: CpcPaid) {
      view.error(null);
      try {
        await keep(req, req.tradeId).catch(() => undefined);
        if (req.method === 'cash') {
          // A cash exit is paid once its intent was answered (a station without statuses has none to follow).
          const s = await client.payment(req.txnId, -1, 0).catch(() => null);
          await writeAndCommit(req, s);
        } else await follow(req, null);
      } catch (e) {
        fail(e);
      }
    },
    /** The collector stops waiting: the station queries, then cancels; the outcome is followed. */
    async stop(req: CpcPaid) {
      view.error(null);
      try {
        await client.stopPayment(req.txnId);
        await follow(req, null);
      } catch (e) {
        fail(e);
      }
    },
    /** Another code under the same pay ID and amount, after the last attempt ended not paid. */
    async retry(req: CpcPaid, authCode: string | undefined) {
      view.error(null);
      view.phase('paying');
      try {
        await client.paymentAttempt(
          req.txnId,
          authCode === undefined ? { mode: 'dynamic' } : { mode: 'code', authCode },
        );
        await follow(req, null);
      } catch (e) {
        fail(e);
      }
    },
    /**
     * Cash after a QR payment ended not paid: the station voids the attempt's trade ID (refused while an
     * attempt may still take money, STN_ERR_PAY_IN_FLIGHT), then a cash intent as for a fresh exit.
     */
    async toCash(req: CpcPaid, tendered: number | undefined) {
      view.error(null);
      try {
        const t = await client.recover(req.txnId, { outcome: 'not-debited' });
        if (view.alive()) view.txn(t);
      } catch (e) {
        fail(e);
        return;
      }
      await close.submit({
        ...req,
        pay: tendered === undefined ? { method: 'cash' } : { method: 'cash', tendered },
      });
    },
  };
  return close;
}
