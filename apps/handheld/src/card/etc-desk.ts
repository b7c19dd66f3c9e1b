import {
  CARD_TYPES,
  CardNotReturnedError,
  type CardSnapshot,
  cardTimeToDate,
  type Ef0019,
  ExitPurchase,
  encodeBalance,
  type PendingEntry,
  type PsamDriver,
  PurchaseError,
  type PurchaseJournal,
  type PurchaseOutcome,
  plateColourOf,
  pollingWaiter,
  vehicleClassOf,
} from '@tollpad/card';
import { fen, hasEntry, toBeijingSeconds } from '@tollpad/domain';
import type { CardSummary } from '../api/types';
import { HandheldError, handheldError } from '../errors';
import type { JournalStore, PendingDebit } from '../journal/idb-journal';
import {
  type CardDesk,
  type CardRead,
  type PurchaseHooks,
  type PurchaseRequest,
  type PurchaseStep,
  TornDebitError,
} from './card-desk';
import type { ReaderHub } from './reader-hub-types';

export interface DeskContext {
  /** This station's HEX (8 hex digits: network 4 + station 4), for the exit 0019. */
  stationHex(): string | null;
  /** [P] the lane number written into 0019: the last byte of the lane's HEX. */
  laneNo(laneId: string): number;
  /** [P] 0019 layout of the province. */
  layout0019: 'legacy' | '2019';
  /** How long the purchase itself waits for a pulled card (default 40 × 250 ms). */
  shortWait?: { attempts: number; intervalMs: number };
}

/** How long the purchase itself waits for a pulled card before handing over to the screen. [P] */
export const SHORT_WAIT = { attempts: 40, intervalMs: 250 };

function summaryOf(s: CardSnapshot): CardSummary {
  const e = s.ef0015;
  const f = s.ef0019;
  const entered = hasEntry(f);
  return {
    cardNo: e.cardNumber,
    cardKind: e.cardKind,
    cardTypeName: CARD_TYPES.get(e.cardType) ?? `0x${e.cardType.toString(16)}`,
    userType: e.userType,
    plate: e.plate,
    plateColour: e.plateColour.raw,
    vehicleClass: 'vehicleClass' in e && e.vehicleClass ? e.vehicleClass.raw : f.vehicleClass.raw,
    balance: s.balance,
    expiry: e.validUntil,
    entryStation: entered ? `${f.network}${f.station}` : null,
    entryTime: entered ? cardTimeToDate(f.time).toISOString() : null,
  };
}

/** The card package's journal port, writing into the handheld's IndexedDB journal for one transaction. */
class TxnJournal implements PurchaseJournal {
  tradeId: string | null = null;

  constructor(
    private readonly store: JournalStore,
    private readonly req: { txnId: string; laneId: string; cardNo: string },
    private readonly announce: ((entry: PendingEntry) => Promise<string>) | null,
  ) {}

  private async put(entry: PendingEntry, patch: Partial<PendingDebit>, durable: boolean): Promise<void> {
    await this.store.put(
      {
        txnId: this.req.txnId,
        laneId: this.req.laneId,
        cardNo: this.req.cardNo,
        tradeId: this.tradeId,
        entry,
        phase: 'intent',
        updatedAt: new Date().toISOString(),
        ...patch,
      },
      { durable },
    );
  }

  async writePending(entry: PendingEntry): Promise<void> {
    // Durable first, then announced: a crash between the two is recovered from the journal (the trade
    // ID, if the announcement got through, is read back from the station).
    await this.put(entry, { phase: 'intent' }, true);
    if (this.announce) {
      try {
        this.tradeId = await this.announce(entry);
      } catch (e) {
        // Not announced → DEBIT is not sent: the entry is void.
        await this.store.delete(this.req.txnId);
        throw e;
      }
    }
  }

  // The outcome updates may be lost in a crash without harm: the card still proves (or not) the debit.
  async markDone(entry: PendingEntry, result: PurchaseOutcome): Promise<void> {
    await this.put(entry, { phase: 'resolved', outcome: { debited: true, result } }, false);
  }

  async markNotDebited(entry: PendingEntry): Promise<void> {
    await this.put(entry, { phase: 'resolved', outcome: { debited: false } }, false);
  }
}

function toHandheld(e: unknown): unknown {
  if (e instanceof PurchaseError)
    return new HandheldError(`CARD_${e.code}`, e.messageZh, actionFor(e.code), { cause: e });
  return e;
}

function actionFor(code: string): string {
  switch (code) {
    case 'INSUFFICIENT_BALANCE':
      return '请车主以其他方式缴费（现金/移动支付）';
    case 'WRONG_CARD':
      return '请放回原卡';
    case 'CARD_NOT_RETURNED':
      return '请放回原卡，系统将确认扣款结果';
    default:
      return '请返回ETC联动主页重试，仍失败请联系班长';
  }
}

/** CardDesk over @tollpad/card's ExitPurchase, the active reader and the PSAM. */
export class EtcCardDesk implements CardDesk {
  private snapshot: CardSnapshot | null = null;

  constructor(
    private readonly hub: ReaderHub,
    private readonly psam: () => Promise<PsamDriver>,
    private readonly journal: JournalStore,
    private readonly ctx: DeskContext,
  ) {}

  private async manager(journal: PurchaseJournal, onStep?: (s: PurchaseStep) => void): Promise<ExitPurchase> {
    return new ExitPurchase({
      card: this.hub.reader(),
      psam: await this.psam(),
      journal,
      waiter: pollingWaiter(this.ctx.shortWait ?? SHORT_WAIT),
      config: { layout0019: this.ctx.layout0019 },
      onEvent: (ev) => {
        if (ev.type === 'waiting-for-card') onStep?.('waiting-for-card');
        else if (ev.type === 'recovering') onStep?.('recovering');
      },
    });
  }

  async read(): Promise<CardRead> {
    const reader = this.hub.reader();
    if (!reader.isCardPresent()) throw handheldError('HH_ERR_CARD_ABSENT');
    const m = await this.manager({
      writePending: async () => {},
      markDone: async () => {},
      markNotDebited: async () => {},
    });
    try {
      const s = await m.readCard();
      this.snapshot = s;
      return {
        payload: {
          ef0015: s.raw0015,
          ef0019: s.raw0019,
          balance: s.balance === null ? 0 : encodeBalance(s.balance),
          layout0019: this.ctx.layout0019,
        },
        summary: summaryOf(s),
      };
    } catch (e) {
      if (e instanceof HandheldError) throw e;
      const name = e instanceof Error ? e.name : '';
      if (name === 'CodecError') throw handheldError('HH_ERR_CARD_UNREADABLE', { cause: e });
      throw toHandheld(e);
    }
  }

  /** [P] The exit written into 0019 in the composite purchase: this station and lane, now, ETC exit (04). */
  private exit0019(s: CardSnapshot, req: PurchaseRequest): Ef0019 {
    const hex = this.ctx.stationHex() ?? `${s.ef0019.network}${s.ef0019.station}`;
    const common = {
      lock: 0,
      network: hex.slice(0, 4),
      station: hex.slice(4, 8),
      lane: this.ctx.laneNo(req.laneId) & 0xff,
      time: toBeijingSeconds(new Date()),
      vehicleClass: vehicleClassOf(req.vehicleClass),
      status: 0x04,
      plate: req.plate,
    };
    return s.ef0019.layout === '2019'
      ? { ...s.ef0019, ...common, plateColour: plateColourOf(req.plateColour) }
      : { ...s.ef0019, ...common };
  }

  async purchase(req: PurchaseRequest, hooks: PurchaseHooks): Promise<PendingDebit> {
    hooks.onStep?.('connect');
    let snap = this.snapshot;
    if (!snap || snap.ef0015.cardNumber !== req.cardNo) {
      // After a reload the read is gone: read again (the same card is required).
      await this.read();
      snap = this.snapshot;
    }
    if (!snap || snap.ef0015.cardNumber !== req.cardNo) throw handheldError('HH_ERR_WRONG_CARD');
    const journal = new TxnJournal(this.journal, req, async (entry) => {
      const tradeId = await hooks.announce({
        cardId: entry.cardNumber,
        cardAtc: entry.atc,
        amount: entry.amount,
        psamTerminalNo: entry.terminalId,
        terminalTransNo: entry.terminalSerial.toString(16).toUpperCase().padStart(8, '0'),
        datetime: entry.datetime,
      });
      hooks.onStep?.('debit');
      return tradeId;
    });
    const m = await this.manager(journal, hooks.onStep);
    try {
      await m.purchase(snap, { amount: fen(req.amount), exit0019: this.exit0019(snap, req) });
    } catch (e) {
      const pending = await this.journal.get(req.txnId);
      if (e instanceof CardNotReturnedError && pending && pending.phase === 'intent')
        throw new TornDebitError(pending, { cause: e });
      if (pending?.phase === 'resolved') return pending;
      throw toHandheld(e);
    } finally {
      this.snapshot = null;
    }
    hooks.onStep?.('done');
    const done = await this.journal.get(req.txnId);
    if (!done) throw handheldError('HH_ERR_INTERNAL', { detail: 'journal entry missing after purchase' });
    return done;
  }

  async recover(pending: PendingDebit, onStep?: (s: PurchaseStep) => void): Promise<PendingDebit> {
    if (pending.phase === 'resolved') return pending;
    const journal = new TxnJournal(this.journal, pending, null);
    journal.tradeId = pending.tradeId;
    const m = await this.manager(journal, onStep);
    try {
      await m.recoverPending(pending.entry);
    } catch (e) {
      throw toHandheld(e);
    }
    const after = await this.journal.get(pending.txnId);
    if (!after) throw handheldError('HH_ERR_INTERNAL', { detail: 'journal entry missing after recovery' });
    return after;
  }
}
