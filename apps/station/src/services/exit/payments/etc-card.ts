import { hash } from 'node:crypto';
import { PAY_TYPE, SPECIAL } from '@tollpad/domain';
import type { CpcCommit, CpcEtcCardPayment } from '@tollpad/station-api';
import { StationError } from '../../../errors';
import type { StatusLists } from '../../../ports/status-lists';
import type { DebitBase } from '../../json-columns';
import type { ExitPayment, ExitTypes } from '../exit-parts';
import { type CardFacts, type CheckOptions, checkCard, decodeCard } from '../media/etc-checks';
import {
  announcePurchase,
  claimCardTrade,
  type EtcDebit,
  type EtcDebitOptions,
  purchaseProofCanon,
  purchaseRecordFields,
  reannouncePurchase,
  verifyPurchaseProof,
} from './etc-debit';

/** debit_json of a CPC exit paid by the driver's ETC card: the announced purchase and the card that pays. */
export interface EtcCardDebit extends EtcDebit, DebitBase {
  payment: 'etc-card';
  /** The paying card (20 digits): the CPC is the medium, this card only pays. */
  cardId: string;
  cardNet: string;
  /** 1 储值卡, 2 记账卡. */
  etcCardType: 1 | 2;
}

export type EtcCardTypes = ExitTypes & {
  intent: CpcEtcCardPayment;
  debit: EtcCardDebit;
  proof: CpcCommit;
  notDebited: { cardAtc?: number };
};

export interface EtcCardPaymentOptions extends EtcDebitOptions, Pick<CheckOptions, 'validNetworks'> {
  /** The status lists in force (the card list is asked before any debit). */
  lists: () => StatusLists;
}

/**
 * The driver's own ETC card as payment card for a CPC trip (payments.md §6, issue #21): read on the handheld's
 * reader without its OBU, it pays only — the non-ETC fee already computed (no ETC discount), national payType
 * 4, transPayType 2 出口ETC刷卡通行, transType 09.
 *
 * The card operation is the EXISTING composite purchase (packages/card exit-purchase.ts) with the card's OWN
 * 0019 written back byte for byte (payments.md §6 [P] names a traditional purchase first; the issue asks for the
 * composite one, whose tear recovery, journal and TAC are proven): the card's entry/exit state is untouched,
 * so the card is still the driver's for its own ETC trips; the TAC covers the debit, which the centre verifies.
 *
 * Before the trade ID: the card's validity and the card status list as for an ETC exit (etc-checks.ts); a
 * stored-value balance below the amount is special 27 and a refusal (请车主以其他方式缴费). The proof and the
 * recovery are the ETC debit's (etc-debit.ts): the handheld proves debited (GET TRANSACTION PROVE) or not
 * debited (ATC unchanged); a card debited once has exactly one record. Order: this debit → the CPC exit flag
 * write → one commit carrying both.
 */
export function etcCardPayment(opts: EtcCardPaymentOptions): ExitPayment<EtcCardTypes> {
  /** The checks a card must pass before it may pay (refusals in plain Chinese by code). */
  const payingCard = (intent: CpcEtcCardPayment, now: Date): CardFacts => {
    const card = decodeCard({ ...intent.card }, intent.card.layout0019 ?? '2019');
    if (card.cardId !== intent.cardId) throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'cardId');
    const checks = checkCard(card, undefined, opts.lists(), now, {
      validNetworks: opts.validNetworks,
      layout0019: intent.card.layout0019 ?? '2019',
    });
    // A payment-only card needs no entry (its own trip is not this one): only what refuses a debit counts.
    const listed = checks.listHits.find((h) => h.list === 'card');
    if (checks.blocked || listed) {
      const why = [...checks.specials.map((s) => `${s.code} ${s.description}`), listed?.reason]
        .filter(Boolean)
        .join('；');
      throw new StationError('STN_ERR_PAY_ETC_CARD_REFUSED', why);
    }
    if (card.cardKind === 'stored-value' && card.balance < intent.amount) {
      throw new StationError(
        'STN_ERR_PAY_ETC_CARD_BALANCE_LOW',
        `special ${SPECIAL.BALANCE_INSUFFICIENT}: balance ${card.balance} < ${intent.amount}`,
      );
    }
    return card;
  };

  return {
    id: 'etc-card',

    // Whether a card can pay is known only once the driver hands one over (at the intent).
    payable: () => ({ payable: true, reason: null, specials: [] }),

    async announce(t, intent, { now, passId }) {
      if (intent.amount !== t.amount)
        throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `${intent.amount} ≠ ${t.amount}`);
      const card = payingCard(intent, now);
      const { announcedAt, ...purchase } = await announcePurchase(t, intent, now, opts);
      return {
        payment: 'etc-card',
        ...purchase,
        passId: passId(),
        announcedAt,
        cardId: card.cardId,
        cardNet: card.cardNet,
        etcCardType: card.cardKind === 'account' ? 2 : 1,
      };
    },

    reannounce(pending, intent, now) {
      if (pending.cardId !== intent.cardId)
        throw new StationError('STN_ERR_EXIT_BAD_STATE', 'a different card is already paying');
      return reannouncePurchase(pending, intent, now, opts.maxClockSkewSeconds);
    },

    verifyProof(debit, c) {
      if (!c.etcCard)
        throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'the ETC card’s proof is missing');
      verifyPurchaseProof(debit, c.etcCard);
    },

    // In the record's transaction: the purchase is this record's, once (another exit's replay is refused).
    bind: (_t, debit, tradeId, x) => claimCardTrade(opts.claims, debit.cardId, debit, tradeId, x),

    digest(txnId, c) {
      const card = c.etcCard ? purchaseProofCanon(c.etcCard) : null;
      const proof = [txnId, c.tradeId, c.cardWrite, c.reason ?? null, c.cardError ?? null, card];
      return hash('sha256', JSON.stringify(['etc-card', ...proof]), 'hex');
    },

    recordFields(_read, debit, c) {
      if (!c.etcCard)
        throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'the ETC card’s proof is missing');
      return {
        payType: PAY_TYPE.ETC_CARD,
        transPayType: 2,
        cardId: debit.cardId,
        cardNet: debit.cardNet,
        etcCardType: debit.etcCardType,
        ...purchaseRecordFields(debit.amount, c.etcCard),
      };
    },

    // The card proves no debit: its ATC did not move past the announced one (then another method may follow).
    verifyNotDebited(debit, proof) {
      if (proof.cardAtc === undefined)
        throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'the ETC card’s ATC is required');
      if (proof.cardAtc !== debit.cardAtc)
        throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', `ATC ${proof.cardAtc} ≠ ${debit.cardAtc}`);
    },
  };
}
