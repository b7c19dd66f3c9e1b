import {
  type CardSnapshot,
  CardStatusError,
  type Ef0019,
  ExitPurchase,
  hexToBytes,
  isIoError,
  PsamDriver,
  type PurchaseOutcome,
  pollingWaiter,
  WrongCardError,
} from '@tollpad/card';
import { type VirtualEtcCard, VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import type { Fen } from '@tollpad/domain';
import type {
  DebitIntentResult,
  ExitTransaction,
  LoginResult,
  Shift,
  StoredImage,
} from '@tollpad/station-api';
import { commitBodyOf, debitIntentOf, exitCardBody } from '../../../apps/station/src/testing/exit-bodies';
import { CrashableReader, HandheldCrash } from './crashable-reader';
import type { FaultLog } from './fault-log';
import { FileJournal, type JournalRecord } from './journal-file';
import type { Prng } from './prng';
import type { CardFact } from './reconcile';
import { ApiError, type CallOptions, callJson, type RetryStats } from './station-client';
import { issueVehicleCard, type Vehicle } from './vehicles';

type Json = Record<string, unknown>;

/** The handheld-side fault a vehicle meets (at most one, drawn from the seed). */
export type VehicleFault =
  | { kind: 'tear'; phase: 'read' | 'purchase'; nth: number; when: 'before' | 'after' }
  | { kind: 'swap'; nth: number; when: 'before' | 'after' }
  | { kind: 'handheld-restart'; when: 'before' | 'after' }
  | null;

export type Outcome =
  | 'debited'
  | 'refused-at-read'
  | 'blocked'
  | 'auth-refused'
  | 'not-payable'
  | 'insufficient'
  | 'failed';

export interface VehicleResult {
  index: number;
  caseId: string;
  outcome: Outcome;
  fee: number | null;
  tradeId: string | null;
  /** ms since the start of the day. */
  endedAt: number;
  latencyMs: number;
  card: CardFact;
  error?: string;
}

export interface HandheldContext {
  stationUrl: string;
  centreUrl: string;
  laneId: string;
  terminalId: string;
  psamTerminalNo: string;
  username: string;
  password: string;
  journalFile: string;
  photo: Uint8Array;
  monitorToken: () => string;
  stats: RetryStats;
  faults: FaultLog;
  /** A card of nobody at this lane, for swaps. */
  bystander: () => VirtualEtcCard;
  t0: number;
}

/**
 * A simulated handheld (TEST) in the driver process: the real composite purchase (@tollpad/card) on a
 * TEST card in a virtual reader with a virtual PSAM, the write-ahead journal in a file, and the real station
 * API over HTTP. Faults are injected at the card (tears, swaps) and at the handheld itself (restart).
 */
export class Handheld {
  private token = '';
  private photoSha = '';
  private psamDriver: PsamDriver | undefined;
  private journal: FileJournal;
  /** The PSAM module outlives a handheld restart (its transaction serial is in the module). */
  private readonly psamCard: VirtualPsam;

  constructor(private readonly c: HandheldContext) {
    this.journal = new FileJournal(c.journalFile);
    this.psamCard = new VirtualPsam({ terminalId: hexToBytes(c.psamTerminalNo), requireAuthorisation: true });
  }

  /** One call; `T` names the contract's answer (the plaza day trusts the station it drives to answer with it). */
  private async call<T = Json>(method: string, path: string, o: CallOptions = {}): Promise<T> {
    return (await callJson<T>(this.c.stationUrl, method, path, { token: this.token, ...o }, this.c.stats))
      .value;
  }

  async start(): Promise<void> {
    const r = await this.call<LoginResult>('POST', '/auth/login', {
      body: { username: this.c.username, password: this.c.password, terminalId: this.c.terminalId },
    });
    if (!r.token) throw new Error('the station gave the plaza-day handheld no bearer token');
    this.token = r.token;
    const current = await this.call<Shift>('GET', '/shifts/current').catch(() => null);
    if (!current) await this.call<Shift>('POST', '/shifts');
    const img = await this.call<StoredImage>('POST', '/images', {
      raw: { data: this.c.photo, type: 'image/png' },
    });
    this.photoSha = img.sha256;
    await this.openPsam();
  }

  async shiftId(): Promise<string> {
    const s = await this.call<Shift>('GET', '/shifts/current');
    return s.id;
  }

  /** Start of shift for the PSAM (and again after a restart): online authorisation at the centre. */
  private async openPsam(): Promise<PsamDriver> {
    const reader = new VirtualReader('psam');
    reader.insert(this.psamCard);
    const driver = new PsamDriver(reader, {
      authoriser: {
        authorise: async (req) => {
          const r = await callJson<{ apdu: string }>(
            this.c.centreUrl,
            'POST',
            '/psam/auth',
            {
              body: {
                laneId: this.c.laneId,
                terminalNo: req.terminalId,
                psamNo: req.psamSerial,
                version: req.version,
                keyType: req.keyType,
                random: req.challenge.slice(0, 8),
              },
            },
            this.c.stats,
          );
          return hexToBytes(r.value.apdu);
        },
      },
    });
    await driver.open();
    this.psamDriver = driver;
    return driver;
  }

  private newPurchase(reader: CrashableReader, hand: () => void): ExitPurchase {
    if (!this.psamDriver) throw new Error('PSAM not open');
    return new ExitPurchase({
      card: reader,
      psam: this.psamDriver,
      journal: this.journal,
      // The collector's hand: each poll of an empty slot puts a card back (the right one, or in a swap the
      // wrong one first).
      waiter: pollingWaiter({ attempts: 4, intervalMs: 0, sleep: async () => hand() }),
      config: { readAccountBalance: true },
    });
  }

  private wireJournal(trade: { id: string | null }): void {
    this.journal.onPending = async (rec: JournalRecord) => {
      const r = await this.call<DebitIntentResult>('POST', `/exits/${rec.txnId}/debit-intent`, {
        body: debitIntentOf(rec.entry),
      });
      trade.id = r.tradeId;
      this.journal.setTradeId(rec.entry.id, r.tradeId);
    };
  }

  private async cancel(txnId: string, reason: string): Promise<void> {
    await this.call('POST', `/exits/${txnId}/cancel`, { body: { reason } });
  }

  /** One vehicle, from 【读卡】 to the committed record (or a refusal before any debit). */
  async serve(v: Vehicle, fault: VehicleFault, rng: Prng): Promise<VehicleResult> {
    const started = Date.now();
    const card = issueVehicleCard(v);
    const initialBalance = card.balance;
    const slot = new VirtualReader('card');
    slot.insert(card);
    let reader = new CrashableReader(slot);
    let swapPending = false;
    let handUsed = false;
    const hand = () => {
      handUsed = true;
      if (swapPending) {
        swapPending = false;
        slot.insert(this.c.bystander());
      } else slot.insert(card);
    };
    const trade: { id: string | null } = { id: null };
    this.wireJournal(trade);
    let purchase = this.newPurchase(reader, hand);
    const done = (outcome: Outcome, fee: number | null, error?: string): VehicleResult => ({
      index: v.index,
      caseId: v.caseId,
      outcome,
      fee,
      tradeId: outcome === 'debited' ? trade.id : null,
      endedAt: Date.now() - this.c.t0,
      latencyMs: Date.now() - started,
      card: {
        cardNo: `9901${String(v.serial).padStart(16, '0')}`,
        vehicle: v.index,
        initialBalance,
        finalBalance: card.balance,
        debits: card.debits.map((d) => ({ atc: d.atc - 1, amount: d.amount, datetime: d.datetime })),
      },
      ...(error ? { error } : {}),
    });
    let txnId = '';
    let state: 'pre-debit' | 'debit' = 'pre-debit';
    try {
      // 【读卡】 (a tear here: the collector presses 读卡 again)
      let snap: CardSnapshot | undefined;
      if (fault?.kind === 'tear' && fault.phase === 'read') slot.armTear(fault.nth, fault.when);
      for (let attempt = 1; !snap; attempt++) {
        try {
          snap = await purchase.readCard();
        } catch (e) {
          if (isIoError(e) && attempt < 4) {
            this.c.faults.inject('tear');
            this.c.faults.recover('tear', 'read again (读卡)');
            slot.disarmTears();
            slot.insert(card);
            purchase.resetSession();
            continue;
          }
          if (e instanceof CardStatusError) return done('refused-at-read', null);
          throw e;
        }
      }
      slot.disarmTears();
      const created = await this.call<ExitTransaction>('POST', '/exits', {
        body: {
          laneId: this.c.laneId,
          card: exitCardBody(snap, v),
        },
      });
      txnId = created.id;
      if (created.checks.blocked) {
        await this.cancel(txnId, '卡片校验未通过 (plaza-day TEST)');
        return done('blocked', null);
      }
      await this.call('POST', `/exits/${txnId}/image`, {
        body: { plate: v.actualPlate, plateColour: v.colour, photoSha256: this.photoSha },
      });
      let priced: ExitTransaction;
      try {
        priced = await this.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
          body: { vehicleClass: v.vehicleClass, vehicleKind: 0 },
        });
      } catch (e) {
        // No entry on the card: the collector asks the driver and types the entry station.
        if (!(e instanceof ApiError && e.code === 'STN_ERR_EXIT_ENTRY_REQUIRED' && v.declaredEntryHex))
          throw e;
        priced = await this.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
          body: { vehicleClass: v.vehicleClass, vehicleKind: 0, entryStation: v.declaredEntryHex },
        });
      }
      if (priced.authorisation.status === 'required') {
        const approve = rng.chance(0.9);
        await callJson(
          this.c.stationUrl,
          'POST',
          `/exits/${txnId}/authorisation`,
          {
            token: this.c.monitorToken(),
            body: { approve, reason: approve ? '班长授权 (plaza-day TEST)' : '班长拒绝 (plaza-day TEST)' },
          },
          this.c.stats,
        );
        priced = await this.call<ExitTransaction>('GET', `/exits/${txnId}`);
        if (priced.authorisation.status !== 'approved') {
          await this.cancel(txnId, '班长未授权 (plaza-day TEST)');
          return done('auth-refused', null);
        }
      }
      const fee = priced.fee;
      if (!fee?.etcPayable) {
        await this.cancel(txnId, '不可ETC支付 (plaza-day TEST)');
        return done('not-payable', fee?.fee ?? null);
      }
      const amount = fee.fee;
      if (snap.balance !== null && snap.ef0015.cardKind === 'stored-value' && amount > snap.balance) {
        await this.cancel(txnId, '余额不足 (plaza-day TEST)');
        return done('insufficient', amount);
      }

      // 【提交数据】: the composite purchase, with this vehicle's fault armed on the first round.
      let outcome: PurchaseOutcome | null = null;
      let committedByRecovery = false;
      for (let round = 1; !outcome; round++) {
        if (round > 6) throw new Error('purchase did not settle in 6 rounds');
        this.journal.txnId = txnId;
        handUsed = false;
        if (round === 1 && fault?.kind === 'tear' && fault.phase === 'purchase')
          slot.armTear(fault.nth, fault.when);
        if (round === 1 && fault?.kind === 'swap') {
          slot.armTear(fault.nth, fault.when);
          swapPending = true;
        }
        if (round === 1 && fault?.kind === 'handheld-restart') reader.crashAt = fault.when;
        state = 'debit';
        try {
          outcome = await purchase.purchase(snap, {
            amount: amount as Fen,
            exit0019: { ...snap.ef0019, status: 0x04 } as Ef0019,
          });
          if (handUsed && fault?.kind === 'tear' && round === 1) {
            this.c.faults.inject('tear');
            this.c.faults.recover(
              'tear',
              outcome.recovered ? 'proven by GET TRANSACTION PROVE' : 'restarted from INITIALIZE',
            );
          }
        } catch (e) {
          slot.disarmTears();
          swapPending = false;
          if (reader.dead || e instanceof HandheldCrash) {
            // The handheld restarted: everything in memory is gone; the journal file and the card are not.
            this.c.faults.inject('handheld-restart');
            this.journal = FileJournal.reload(this.c.journalFile);
            this.wireJournal(trade);
            await this.openPsam();
            reader = new CrashableReader(slot);
            if (!slot.isCardPresent()) slot.insert(card);
            purchase = this.newPurchase(reader, hand);
            const r = await this.recoverJournal(purchase, 'handheld-restart');
            if (r.committed) {
              outcome = r.committed;
              committedByRecovery = true;
            } else snap = await purchase.readCard(); // the collector reads the card again
            continue;
          }
          if (e instanceof WrongCardError) {
            this.c.faults.inject('swap');
            // 请放回原卡: the collector takes the wrong card out and puts the vehicle's card back.
            slot.remove();
            slot.insert(card);
            purchase.resetSession();
            const r = await this.recoverJournal(purchase, 'swap');
            if (r.committed) {
              outcome = r.committed;
              committedByRecovery = true;
            } else if (!r.found)
              this.c.faults.recover('swap', 'wrong card refused before DEBIT, purchase again');
            continue;
          }
          throw e;
        }
      }
      if (!committedByRecovery) {
        const tradeId = trade.id;
        if (!tradeId) throw new Error('no trade ID announced');
        await this.call('POST', `/exits/${txnId}/commit`, { body: commitBodyOf(tradeId, outcome) });
        for (const rec of this.journal.list()) this.journal.remove(rec.entry.id);
      }
      return done('debited', amount);
    } catch (e) {
      const msg = e instanceof ApiError ? `${e.path} ${e.status} ${e.code}` : String(e);
      if (state === 'pre-debit' && txnId) await this.cancel(txnId, 'plaza-day: failed').catch(() => {});
      return done('failed', null, msg);
    } finally {
      slot.disarmTears();
    }
  }

  /**
   * Settles what the journal holds, on the card now in the slot: a finished purchase is committed, a pending
   * one is proven with GET TRANSACTION PROVE — debited → the record via /recover; not debited → the intent
   * is voided at the station and the purchase runs again.
   */
  private async recoverJournal(
    purchase: ExitPurchase,
    kind: 'swap' | 'handheld-restart',
  ): Promise<{ committed: PurchaseOutcome | null; found: boolean }> {
    let committed: PurchaseOutcome | null = null;
    let found = false;
    for (const rec of this.journal.list()) {
      found = true;
      const tradeId = rec.tradeId ?? (await this.call<ExitTransaction>('GET', `/exits/${rec.txnId}`)).tradeId;
      let outcome = rec.outcome ?? null;
      if (!outcome) {
        const r = await purchase.recoverPending(rec.entry);
        if (r.status === 'not-debited') {
          await this.call('POST', `/exits/${rec.txnId}/recover`, {
            body: { outcome: 'not-debited', cardAtc: rec.entry.atc },
          });
          this.c.faults.recover(kind, 'not debited (9406): intent voided, purchase again');
          continue;
        }
        outcome = r.outcome;
      }
      // A debit whose intent the station never recorded cannot be proven to it; the day's reconciliation reports it.
      if (!tradeId)
        throw new Error(`journal entry ${rec.entry.id} debited without a trade ID at the station`);
      await this.call('POST', `/exits/${rec.txnId}/recover`, {
        body: { outcome: 'debited', commit: commitBodyOf(tradeId, outcome) },
      });
      this.journal.remove(rec.entry.id);
      this.c.faults.recover(kind, 'debited: proven and recorded via /recover');
      committed = outcome;
    }
    return { committed, found };
  }
}
