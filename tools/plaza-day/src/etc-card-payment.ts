import {
  type CardSnapshot,
  ExitPurchase,
  encodeBalance,
  MemoryJournal,
  type PsamDriver,
  paymentOnlyDecision,
  pollingWaiter,
} from '@tollpad/card';
import { issueCard, VirtualReader } from '@tollpad/card/sim';
import type { Fen } from '@tollpad/domain';
import type { DebitIntentResult, EtcPurchaseProof } from '@tollpad/station-api';
import { debitIntentOf, purchaseProofOf } from '../../../apps/station/src/testing/exit-bodies';
import type { StationSession } from './station-session';
import { cardNumberOf } from './vehicles';

/**
 * 【ETC卡支付】 of an exit paid at the handheld (payments.md §6, national payType 4): the driver's own TEST ETC
 * card on the handheld's reader, without its OBU, pays the non-ETC fee only — the composite purchase writes
 * the card's 0019 back unchanged (`paymentOnlyDecision`); the intent is announced from the journal entry just
 * before DEBIT (the station checks the card and mints the trade ID), the commit carries the card's proof.
 */

/** Driver's pay cards: serials of their own (vehicles 10 M+, listed 70 M+, bystanders 80 M+). */
const PAY_CARD_SERIAL_BASE = 60_000_000;
/** [P] A driver's pay card holds ¥2,000: enough for any fee of the synthetic province. */
const PAY_CARD_BALANCE = 200_000;

/** The driver's card after paying: its own debit log is the ground truth for the ETC-card line. */
export interface EtcCardTaken {
  tradeId: string;
  passId: string;
  cardNo: string;
  amount: number;
  /** The card's own debit log (ATC before each debit, amount). */
  debits: { atc: number; amount: number }[];
}

export interface EtcCardPaid {
  taken: EtcCardTaken;
  /** The card's proof, for the commit's `etcCard`. */
  proof: EtcPurchaseProof;
}

/** Pays `amount` at `intentPath` with vehicle `index`'s TEST card, on the handheld's PSAM. */
export async function payByEtcCard(
  session: StationSession,
  intentPath: string,
  psam: PsamDriver,
  index: number,
  amount: number,
): Promise<EtcCardPaid> {
  const serial = PAY_CARD_SERIAL_BASE + index;
  const { card } = issueCard({
    plate: `测P${String(index).padStart(5, '0')}`,
    colour: 0,
    class: 1,
    cardType: 'stored-value',
    algorithm: index % 2 === 0 ? '3des' : 'sm4',
    balance: PAY_CARD_BALANCE,
    serial,
  });
  const reader = new VirtualReader('card');
  reader.insert(card);
  const journal = new MemoryJournal();
  let snap: CardSnapshot | undefined;
  let answer: DebitIntentResult | undefined;
  const purchase = new ExitPurchase({
    card: reader,
    psam,
    journal: {
      writePending: async (e) => {
        await journal.writePending(e);
        if (!snap) throw new Error('ETC card: no snapshot before DEBIT');
        answer = await session.call<DebitIntentResult>('POST', intentPath, {
          body: {
            payment: 'etc-card',
            ...debitIntentOf(e),
            card: { ef0015: snap.raw0015, ef0019: snap.raw0019, balance: encodeBalance(snap.balance ?? 0) },
          },
        });
      },
      markDone: (e, r) => journal.markDone(e, r),
      markNotDebited: (e) => journal.markNotDebited(e),
    },
    waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }),
  });
  snap = await purchase.readCard();
  const outcome = await purchase.purchase(snap, paymentOnlyDecision(snap, amount as Fen));
  if (!answer?.tradeId) throw new Error(`${intentPath}: no trade ID announced for the ETC card`);
  return {
    taken: {
      tradeId: answer.tradeId,
      passId: answer.passId,
      cardNo: cardNumberOf(serial),
      amount,
      debits: card.debits.map((d) => ({ atc: d.atc - 1, amount: d.amount })),
    },
    proof: purchaseProofOf(outcome),
  };
}
