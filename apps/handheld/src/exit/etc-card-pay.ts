import type { PendingEntry, PurchaseJournal, PurchaseOutcome } from '@tollpad/card';
import type { CpcEtcCardPayment, EtcPurchaseProof } from '@tollpad/station-api';
import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import type { PayCardDesk, PayCardRead } from '../card/pay-card-desk';
import { HandheldError } from '../errors';
import type { JournalStore } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';

/**
 * 【ETC卡支付】 of a CPC exit (payments.md §6): the driver's own ETC card, on the handheld's reader without its
 * OBU, pays the non-ETC fee and nothing else — the composite purchase writes the card's own 0019 back
 * unchanged (card layer `paymentOnlyDecision`). The CPC exit's durable journal entry holds the purchase's
 * entry from before DEBIT and its proof after, so a reload recovers on the same card and never debits twice.
 * Order: this debit → the CPC exit flag (cpc-close.ts) → one commit carrying both.
 */

/** A stored-value card whose balance cannot pay (special 27): refused before any request, as the station would. */
export function payCardRefusal(summary: PayCardRead['summary'], amount: number): HandheldError | null {
  if (summary.cardKind === 'stored-value' && summary.balance !== null && summary.balance < amount)
    return new HandheldError(
      'HH_ERR_PAY_CARD_BALANCE',
      '该ETC储值卡余额不足（特情27），不能支付本次通行费',
      '请车主以其他方式缴费（扫码或现金）',
    );
  if (summary.cardKind === 'other')
    return new HandheldError(
      'HH_ERR_PAY_CARD_TYPE',
      '该卡不是ETC用户卡，不能支付',
      '请车主以其他方式缴费（扫码或现金）',
    );
  return null;
}

const serialHex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');

/** The payment intent, announced from the journal entry just before DEBIT (station-api payments.ts). */
export function etcCardIntent(files: PayCardRead['payload'], e: PendingEntry): CpcEtcCardPayment {
  return {
    payment: 'etc-card',
    amount: e.amount,
    cardId: e.cardNumber,
    cardAtc: e.atc,
    psamTerminalNo: e.terminalId,
    terminalTransNo: serialHex(e.terminalSerial),
    datetime: e.datetime,
    card: files,
  };
}

/** The card's proof the commit carries beside the CPC write outcome. */
export function etcCardProof(o: PurchaseOutcome): EtcPurchaseProof {
  return {
    tac: o.tac,
    psamTerminalNo: o.terminalId,
    terminalTransNo: serialHex(o.terminalSerial),
    cardTransNo: o.atcBefore,
    preBalance: o.balanceAfter + o.amount,
    postBalance: o.balanceAfter,
    algorithm: o.algorithm === 'sm4' ? 2 : 1,
  };
}

export interface EtcCardPayDeps {
  client: Pick<StationClient, 'cpcPaymentIntent' | 'recover'>;
  payCard: PayCardDesk;
  journal: JournalStore<PendingCpcWrite>;
  laneId: string;
  now?: () => Date;
}

/** The card's debit, its trade ID and proof: what the card write and the commit need next. */
export interface EtcCardPaid {
  tradeId: string;
  cardNo: string;
  outcome: PurchaseOutcome;
}

/** The card package's journal port, writing into the CPC exit's journal entry. */
function cpcEntryJournal(
  deps: EtcCardPayDeps,
  base: () => Promise<PendingCpcWrite>,
  announce: ((e: PendingEntry) => Promise<string>) | null,
): PurchaseJournal & { tradeId: string | null } {
  const now = deps.now ?? (() => new Date());
  const put = async (
    etcCard: PendingCpcWrite['etcCard'],
    patch: Partial<PendingCpcWrite>,
    durable: boolean,
  ) =>
    deps.journal.put({ ...(await base()), ...patch, etcCard, updatedAt: now().toISOString() }, { durable });
  const port = {
    tradeId: null as string | null,
    async writePending(entry: PendingEntry) {
      // What the journal held before this attempt: an earlier announcement of this exit (a retry after the
      // card proved it not debited, or a card, cash or QR intent whose answer was lost) may still be pending
      // at the station.
      const before = await deps.journal.get((await base()).txnId);
      // Durable first, then announced: a crash between the two is recovered from the journal.
      await put({ cardNo: entry.cardNumber, entry, phase: 'intent' }, {}, true);
      if (!announce) return;
      try {
        port.tradeId = await announce(entry);
      } catch (e) {
        // DEBIT is not sent. The station refused this announcement: nothing new is pending, but an earlier
        // one may be, and only its entry lets the exit be finished (the card prove it not debited, or the
        // payment be followed) instead of staying pending forever or being closed as paid — so that entry
        // goes back; with none, nothing is pending anywhere.
        // No answer: the intent may be there, so the entry stays and a reopen has the card prove it.
        if (e instanceof HandheldError && e.status > 0) {
          if (before) await deps.journal.put(before, { durable: true });
          else await deps.journal.delete((await base()).txnId).catch(() => undefined);
        }
        throw e;
      }
      await put({ cardNo: entry.cardNumber, entry, phase: 'intent' }, { tradeId: port.tradeId }, false);
    },
    // Later updates may be lost without harm: the card still proves (or not) the debit.
    async markDone(entry: PendingEntry, result: PurchaseOutcome) {
      await put(
        { cardNo: entry.cardNumber, entry, phase: 'resolved', outcome: { debited: true, result } },
        port.tradeId ? { tradeId: port.tradeId } : {},
        false,
      );
    },
    async markNotDebited(entry: PendingEntry) {
      await put(
        { cardNo: entry.cardNumber, entry, phase: 'resolved', outcome: { debited: false } },
        {},
        false,
      );
    },
  };
  return port;
}

/**
 * 【ETC卡扣款】: refuses a card that cannot pay, keeps the exit in the journal, announces the intent from the
 * purchase's entry just before DEBIT (the station checks the card and mints the trade ID), debits.
 */
export async function payByEtcCard(
  deps: EtcCardPayDeps,
  req: { txnId: string; cpcId: string; amount: number },
  read: PayCardRead,
  onTxn?: (t: ExitTxn) => void,
): Promise<EtcCardPaid> {
  const refused = payCardRefusal(read.summary, req.amount);
  if (refused) throw refused;
  const now = deps.now ?? (() => new Date());
  const first: PendingCpcWrite = {
    txnId: req.txnId,
    laneId: deps.laneId,
    cpcId: req.cpcId,
    amount: req.amount,
    tradeId: null,
    method: 'etc-card',
    updatedAt: now().toISOString(),
  };
  const base = async () => (await deps.journal.get(req.txnId)) ?? first;
  const journal = cpcEntryJournal(deps, base, async (entry) => {
    const r = await deps.client.cpcPaymentIntent(req.txnId, etcCardIntent(read.payload, entry));
    onTxn?.(r.txn);
    return r.tradeId;
  });
  const outcome = await deps.payCard.debit({ cardNo: read.summary.cardNo, amount: req.amount }, journal);
  if (!journal.tradeId) throw new HandheldError('HH_ERR_INTERNAL', '未取得交易编号', '请联系班长');
  return { tradeId: journal.tradeId, cardNo: read.summary.cardNo, outcome };
}

/**
 * A reopened exit whose card payment was under way: a resolved entry answers at once; a pending one asks the
 * card now on the reader (the driver's, the same card required). Debited → its proof; not debited → the
 * station is told (the card's ATC unchanged), the trade ID is void and another method may follow.
 */
export async function recoverEtcCard(
  deps: EtcCardPayDeps,
  p: PendingCpcWrite,
): Promise<{ status: 'debited'; paid: EtcCardPaid } | { status: 'not-debited'; txn: ExitTxn }> {
  const card = p.etcCard;
  if (!card || !p.tradeId) throw new HandheldError('HH_ERR_INTERNAL', '没有待确认的ETC卡扣款', '请联系班长');
  const tradeId = p.tradeId;
  let outcome = card.outcome;
  if (card.phase !== 'resolved' || !outcome) {
    const journal = cpcEntryJournal(deps, async () => (await deps.journal.get(p.txnId)) ?? p, null);
    journal.tradeId = tradeId;
    const r = await deps.payCard.recover(card.entry, journal);
    outcome = r.status === 'debited' ? { debited: true, result: r.outcome } : { debited: false };
  }
  if (outcome.debited)
    return { status: 'debited', paid: { tradeId, cardNo: card.cardNo, outcome: outcome.result } };
  const txn = await deps.client.recover(p.txnId, { outcome: 'not-debited', cardAtc: card.entry.atc });
  await deps.journal.delete(p.txnId).catch(() => undefined);
  return { status: 'not-debited', txn };
}
