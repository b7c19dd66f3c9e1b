import {
  type CardSnapshot,
  CardStatusError,
  type Ef0019,
  ExitPurchase,
  hexToBytes,
  isIoError,
  type PsamDriver,
  type PurchaseOutcome,
  pollingWaiter,
  WrongCardError,
} from '@tollpad/card';
import { type VirtualEtcCard, VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import type { Fen } from '@tollpad/domain';
import type { DebitIntentResult, ExitTransaction, Shift, StoredImage } from '@tollpad/station-api';
import { commitBodyOf, debitIntentOf, exitCardBody } from '../../../apps/station/src/testing/exit-bodies';
import { testPng } from '../../../scripts/sim/test-png';
import { takePayback } from './arrears-payback';
import type { ArrearsVehicle } from './arrears-vehicles';
import { type PaidExitContext, serveCpc } from './cpc-exit';
import type { CpcVehicle } from './cpc-vehicles';
import { CrashableReader, HandheldCrash } from './crashable-reader';
import type { DriverWallet } from './driver-wallet';
import type { FaultLog } from './fault-log';
import { FileJournal, type JournalRecord } from './journal-file';
import { recoverJournal } from './journal-recovery';
import { serveNone } from './none-exit';
import type { NoneVehicle } from './none-vehicles';
import type { PaymentFaultHooks } from './payment-faults';
import { priceExit } from './price-exit';
import { failExit } from './price-steps';
import type { Prng } from './prng';
import { openPsamAtCentre } from './psam-at-centre';
import type { Outcome, PaybackFact, VehicleFault, VehicleResult } from './served-vehicle';
import { ApiError, type RetryStats } from './station-client';
import { StationSession } from './station-session';
import { cardNumberOf, issueVehicleCard, type Vehicle, type VehicleWorld } from './vehicles';

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
  /** How payment faults are injected (a mixed day). */
  paymentFaults?: PaymentFaultHooks;
  /** The drivers' phones for 主扫 (a mixed day). */
  wallet?: DriverWallet;
}

/**
 * A simulated handheld (TEST) in the driver process: the real composite purchase (@tollpad/card) on a
 * TEST card in a virtual reader with a virtual PSAM, the write-ahead journal in a file, and the real station
 * API over HTTP. Faults are injected at the card (tears, swaps) and at the handheld itself (restart).
 */
export class Handheld {
  private readonly session: StationSession;
  private photoSha = '';
  private psamDriver: PsamDriver | undefined;
  private journal: FileJournal;
  /** The PSAM module outlives a handheld restart (its transaction serial is in the module). */
  private readonly psamCard: VirtualPsam;
  /** The shift this handheld's collector works in (its cash goes into that shift's till). */
  shift = '';

  constructor(private readonly c: HandheldContext) {
    this.session = new StationSession(c.stationUrl, c.stats);
    this.journal = new FileJournal(c.journalFile);
    this.psamCard = new VirtualPsam({ terminalId: hexToBytes(c.psamTerminalNo), requireAuthorisation: true });
  }

  /** Start of shift: login on the terminal, a shift open, the plate photo uploaded, the PSAM authorised. */
  async start(): Promise<void> {
    await this.session.login(this.c.username, this.c.password, this.c.terminalId);
    const current = await this.session.call<Shift>('GET', '/shifts/current').catch(() => null);
    this.shift = current ? current.id : (await this.session.call<Shift>('POST', '/shifts')).id;
    const img = await this.session.call<StoredImage>('POST', '/images', {
      raw: { data: this.c.photo, type: 'image/png' },
    });
    this.photoSha = img.sha256;
    await this.openPsam();
  }

  async shiftId(): Promise<string> {
    const s = await this.session.call<Shift>('GET', '/shifts/current');
    return s.id;
  }

  private async openPsam(): Promise<void> {
    this.psamDriver = await openPsamAtCentre(this.psamCard, this.c);
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
      const r = await this.session.call<DebitIntentResult>('POST', `/exits/${rec.txnId}/debit-intent`, {
        body: debitIntentOf(rec.entry),
      });
      trade.id = r.tradeId;
      this.journal.setTradeId(rec.entry.id, r.tradeId);
    };
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
      medium: 'etc',
      caseId: v.caseId,
      outcome,
      fee,
      tradeId: outcome === 'debited' ? trade.id : null,
      endedAt: Date.now() - this.c.t0,
      latencyMs: Date.now() - started,
      card: {
        cardNo: cardNumberOf(v.serial),
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
      const created = await this.session.call<ExitTransaction>('POST', '/exits', {
        body: { laneId: this.c.laneId, card: exitCardBody(snap, v) },
      });
      txnId = created.id;
      const priced = await priceExit(
        {
          session: this.session,
          photoSha: this.photoSha,
          monitorToken: this.c.monitorToken,
          stats: this.c.stats,
        },
        created,
        v,
        snap,
        rng,
      );
      if (!priced.ok) return done(priced.outcome, priced.fee);
      const amount = priced.amount;

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
            const r = await this.recover(purchase, 'handheld-restart');
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
            const r = await this.recover(purchase, 'swap');
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
        await this.session.call('POST', `/exits/${txnId}/commit`, { body: commitBodyOf(tradeId, outcome) });
        for (const rec of this.journal.list()) this.journal.remove(rec.entry.id);
      }
      return done('debited', amount);
    } catch (e) {
      return done('failed', null, await failExit(this.session, txnId, state === 'pre-debit', e));
    } finally {
      slot.disarmTears();
    }
  }

  private loadShas: Promise<string[]> | undefined;

  /** What an exit paid at this handheld needs (CPC, no card, green channel, arrears). */
  private paidContext(world: VehicleWorld): PaidExitContext {
    return {
      session: this.session,
      centreUrl: this.c.centreUrl,
      laneId: this.c.laneId,
      exitStationId: world.exitStationId,
      network: world.network,
      psam: () => {
        if (!this.psamDriver) throw new Error('PSAM not open');
        return this.psamDriver;
      },
      photoSha: this.photoSha,
      loadPhotos: () => {
        // Four sides of a load (TEST images of different sizes, so different photos), uploaded once.
        this.loadShas ??= Promise.all(
          [0, 1, 2, 3].map(async (k) => {
            const img = await this.session.call<StoredImage>('POST', '/images', {
              raw: { data: testPng(60 + k, 40), type: 'image/png' },
            });
            return img.sha256;
          }),
        );
        return this.loadShas;
      },
      monitorToken: this.c.monitorToken,
      stats: this.c.stats,
      t0: this.c.t0,
      faults: this.c.faults,
      ...(this.c.paymentFaults ? { paymentFaults: this.c.paymentFaults } : {}),
      ...(this.c.wallet ? { wallet: this.c.wallet } : {}),
    };
  }

  /** One CPC vehicle (a green-channel truck too), from the trip's gantries to the committed record. */
  serveCpc(v: CpcVehicle, world: VehicleWorld, rng: Prng): Promise<VehicleResult> {
    return serveCpc(this.paidContext(world), v, rng);
  }

  /** One vehicle without a usable card (none-exit.ts). */
  serveNone(v: NoneVehicle, world: VehicleWorld, rng: Prng): Promise<VehicleResult> {
    return serveNone(this.paidContext(world), v, rng);
  }

  /** An arrears plate: the payback first (arrears-payback.ts), then the vehicle's CPC exit. */
  async serveArrears(v: ArrearsVehicle, world: VehicleWorld, rng: Prng): Promise<VehicleResult> {
    const started = Date.now();
    let announced = false;
    let payback: PaybackFact | undefined;
    try {
      payback = await takePayback(
        this.session,
        this.c.laneId,
        v,
        () => {
          announced = true;
        },
        this.c.wallet,
      );
    } catch (e) {
      const msg = e instanceof ApiError ? `${e.path} ${e.status} ${e.code}` : String(e);
      return {
        index: v.index,
        medium: 'arrears',
        caseId: v.caseId,
        outcome: 'failed',
        fee: null,
        tradeId: null,
        endedAt: Date.now() - this.c.t0,
        latencyMs: Date.now() - started,
        error: `payback${announced ? ' (payment announced)' : ''}: ${msg}`,
      };
    }
    const exit = await serveCpc(this.paidContext(world), v, rng);
    return { ...exit, medium: 'arrears', payback, latencyMs: Date.now() - started };
  }

  private recover(purchase: ExitPurchase, kind: 'swap' | 'handheld-restart') {
    return recoverJournal(this.journal, purchase, this.session, this.c.faults, kind);
  }
}
