import {
  CARD_TYPES,
  type CardSnapshot,
  ExitPurchase,
  encodeBalance,
  type PendingEntry,
  type PsamDriver,
  PurchaseError,
  type PurchaseJournal,
  type PurchaseOutcome,
  paymentOnlyDecision,
  pollingWaiter,
  type RecoveryResult,
} from '@tollpad/card';
import { fen } from '@tollpad/domain';
import { HandheldError, handheldError } from '../errors';
import { SHORT_WAIT } from './etc-desk';
import type { PayCardDesk, PayCardRead } from './pay-card-desk';
import type { ReaderHub } from './reader-hub-types';

const NO_JOURNAL: PurchaseJournal = {
  writePending: async () => {},
  markDone: async () => {},
  markNotDebited: async () => {},
};

function toHandheld(e: unknown): unknown {
  if (e instanceof HandheldError) return e;
  if (e instanceof PurchaseError)
    return new HandheldError(`CARD_${e.code}`, e.messageZh, '请车主以其他方式缴费，或将ETC卡放好后重试', {
      cause: e,
    });
  if (e instanceof Error && e.name === 'CodecError')
    return handheldError('HH_ERR_CARD_UNREADABLE', { cause: e });
  return e;
}

/** PayCardDesk over @tollpad/card's ExitPurchase, the active reader and the PSAM (payment only). */
export class EtcPayCardDesk implements PayCardDesk {
  private snapshot: CardSnapshot | null = null;

  constructor(
    private readonly hub: ReaderHub,
    private readonly psam: () => Promise<PsamDriver>,
    private readonly layout0019: 'legacy' | '2019' = '2019',
    private readonly shortWait = SHORT_WAIT,
  ) {}

  private async manager(journal: PurchaseJournal): Promise<ExitPurchase> {
    return new ExitPurchase({
      card: this.hub.reader(),
      psam: await this.psam(),
      journal,
      waiter: pollingWaiter(this.shortWait),
      // Stored-value cards are read with their balance (the check before the debit); account cards skip it.
      config: { layout0019: this.layout0019 },
    });
  }

  async read(): Promise<PayCardRead> {
    if (!this.hub.reader().isCardPresent()) throw handheldError('HH_ERR_CARD_ABSENT');
    try {
      const s = await (await this.manager(NO_JOURNAL)).readCard();
      this.snapshot = s;
      return {
        payload: {
          ef0015: s.raw0015,
          ef0019: s.raw0019,
          balance: s.balance === null ? 0 : encodeBalance(s.balance),
          layout0019: this.layout0019,
        },
        summary: {
          cardNo: s.ef0015.cardNumber,
          cardKind: s.ef0015.cardKind,
          cardTypeName: CARD_TYPES.get(s.ef0015.cardType) ?? `0x${s.ef0015.cardType.toString(16)}`,
          plate: s.ef0015.plate,
          balance: s.balance,
        },
      };
    } catch (e) {
      throw toHandheld(e);
    }
  }

  async debit(req: { cardNo: string; amount: number }, journal: PurchaseJournal): Promise<PurchaseOutcome> {
    const snap = this.snapshot;
    if (!snap || snap.ef0015.cardNumber !== req.cardNo) throw handheldError('HH_ERR_WRONG_CARD');
    try {
      // The card pays only: its own 0019 goes back unchanged (payments.md §6; paymentOnlyDecision).
      return await (await this.manager(journal)).purchase(snap, paymentOnlyDecision(snap, fen(req.amount)));
    } catch (e) {
      throw toHandheld(e);
    } finally {
      this.snapshot = null;
    }
  }

  async recover(entry: PendingEntry, journal: PurchaseJournal): Promise<RecoveryResult> {
    try {
      return await (await this.manager(journal)).recoverPending(entry);
    } catch (e) {
      throw toHandheld(e);
    }
  }
}
