import { bytesToHex, CardError, CpcExit, type CpcFiles, type PsamDriver, pollingWaiter } from '@tollpad/card';
import { VirtualCpc, VirtualReader } from '@tollpad/card/sim';
import {
  CPC_CLOSE_CARD_ERRORS,
  type CpcCloseCardError,
  type CpcRead,
  type DebitIntentResult,
  type EtcPurchaseProof,
} from '@tollpad/station-api';
import type { Network } from '@tollpad/tariff';
import { planCpcTrip } from '../../../scripts/sim/trip-cpc';
import type { CpcVehicle } from './cpc-vehicles';
import type { DriverWallet } from './driver-wallet';
import { type EtcCardTaken, payByEtcCard } from './etc-card-payment';
import type { FaultLog } from './fault-log';
import { reportPassages } from './gantry-passages';
import { inspectGreen } from './green-inspection';
import { exitPayable, type Payable, type Payer, payAtHandheld } from './handheld-payment';
import { serveNone } from './none-exit';
import type { PaymentFaultHooks } from './payment-faults';
import { openPaidExit } from './price-paid-exit';
import { failExit } from './price-steps';
import type { Prng } from './prng';
import type {
  CashTaken,
  CpcFact,
  GreenFact,
  HandheldPayment,
  Outcome,
  VehicleResult,
} from './served-vehicle';
import type { RetryStats } from './station-client';
import type { StationSession } from './station-session';

/** What a handheld exit paid at the handheld needs (CPC, no card). */
export interface PaidExitContext {
  session: StationSession;
  centreUrl: string;
  laneId: string;
  exitStationId: string;
  network: Network;
  psam: () => PsamDriver;
  /** The plate photo the handheld uploaded at the start of its shift. */
  photoSha: string;
  /** Photos of a load from several sides (TEST images), uploaded once per handheld. */
  loadPhotos: () => Promise<string[]>;
  monitorToken: () => string;
  stats: RetryStats;
  t0: number;
  /** The day's fault log (the CPC faults are counted there). */
  faults: FaultLog;
  /** How a payment fault is injected (a mixed day with payment faults). */
  paymentFaults?: PaymentFaultHooks;
  /** The drivers' phones for 主扫 (a mixed day: the paygate's driver route). */
  wallet?: DriverWallet;
}

/** Every way an exit paid at the handheld can be paid: 主扫 with the driver's phone, the driver's ETC card. */
export const exitPayableOf = (c: PaidExitContext, txnId: string, v: Payer): Payable =>
  exitPayable(c.session, txnId, {
    ...(c.wallet ? { wallet: c.wallet } : {}),
    etcCard: (amount) => payByEtcCard(c.session, `/exits/${txnId}/debit-intent`, c.psam(), v.index, amount),
  });

/** The vehicle's payment fault with the means to inject it, if it meets one. */
export const faultAt = (c: PaidExitContext, v: Payer) =>
  v.paymentFault && c.paymentFaults ? { f: v.paymentFault, hooks: c.paymentFaults } : undefined;

/** The payment of an exit paid at the handheld, by the driver's channel, with the fault it meets. */
export const payExit = (
  c: PaidExitContext,
  txnId: string,
  amount: number,
  v: Payer,
  onAnnounce: () => void,
) => payAtHandheld(exitPayableOf(c, txnId, v), amount, v, onAnnounce, 1, faultAt(c, v));

/**
 * One CPC vehicle at a simulated handheld (TEST), over the station's HTTP API as the handheld does it: the
 * trip's gantries report the passages to the centre, the virtual CPC written by the synthetic entry and
 * gantries is read through the card layer's CpcExit, 【读卡】 → image → 【算费】 (→ 班长授权) → the payment intent
 * (cash with the tendered amount, or 被扫 with the driver's TEST code against the real payment platform,
 * followed by long poll; a declined code → cash) → the exit write (close the CPC) → 【提交数据】.
 */
export async function serveCpc(c: PaidExitContext, v: CpcVehicle, rng: Prng): Promise<VehicleResult> {
  const started = Date.now();
  const trip = planCpcTrip(c.network, v.spec, { exitStationId: c.exitStationId, exitTime: new Date() });
  const fault = v.cpcFault;
  const card = new VirtualCpc(trip.images, fault?.kind === 'cpc-unreadable' ? { damaged: fault.damage } : {});
  const reader = new VirtualReader('cpc');
  reader.insert(card);
  // The collector's hand: after a tear, the card goes back in the reader when the fault says so.
  let handBack = false;
  const exit = new CpcExit({
    card: reader,
    psam: c.psam(),
    waiter: pollingWaiter({
      attempts: 2,
      intervalMs: 0,
      sleep: async () => {
        if (handBack && !reader.isCardPresent()) reader.insert(card);
      },
    }),
  });
  const fact: CpcFact = {
    cpcId: v.spec.cpcId,
    passId: trip.plan.passId,
    exitWritten: false,
    closed: false,
    cardWrite: null,
  };
  let txnId = '';
  let payment: HandheldPayment | undefined;
  let tradeId: string | null = null;
  let green: GreenFact | undefined;
  let cash: CashTaken | undefined;
  let etcCard: EtcCardTaken | undefined;
  let etcProof: EtcPurchaseProof | undefined;
  const done = (outcome: Outcome, fee: number | null, error?: string): VehicleResult => {
    const flags = card.file('entry').slice(23, 25);
    fact.exitWritten = flags[0] === exit.exitFlags[0] && flags[1] === exit.exitFlags[1];
    return {
      index: v.index,
      medium: v.green ? 'green' : 'cpc',
      caseId: v.caseId,
      outcome,
      fee,
      tradeId,
      endedAt: Date.now() - c.t0,
      latencyMs: Date.now() - started,
      ...(txnId ? { txnId } : {}),
      ...(payment ? { payment } : {}),
      ...(cash ? { cash } : {}),
      ...(etcCard ? { etcCard } : {}),
      cpc: { ...fact },
      ...(green ? { green } : {}),
      ...(error ? { error } : {}),
    };
  };
  let announced = false;
  try {
    // The gantries on the way reported the vehicle (with the plate their cameras read) to the centre.
    await reportPassages(c, trip.plan, v.spec);
    let files: CpcFiles;
    try {
      files = await exit.read();
    } catch (e) {
      if (e instanceof CardError && fault?.kind === 'cpc-unreadable') {
        // 【读卡】 fails on a damaged CPC: the collector takes the no-card path with its label ID (special 35).
        c.faults.inject('cpc-unreadable');
        const none = await serveNone(
          c,
          { ...v, caseId: 'cpc-unreadable', reason: 'damaged', trip: v.spec, entry: 'unasked' },
          rng,
          { passagesReported: true },
        );
        if (none.outcome === 'paid')
          c.faults.recover(
            'cpc-unreadable',
            `read failed (${e.code}): no-card exit as damaged, paid by ${none.payment?.channel ?? '?'}`,
          );
        return { ...none, latencyMs: Date.now() - started };
      }
      if (e instanceof CardError) return done('refused-at-read', null, e.code);
      throw e;
    }
    const cpc: CpcRead = {
      sysInfo: bytesToHex(files.sysInfo),
      baseInfo: bytesToHex(files.baseInfo),
      entry: bytesToHex(files.entry),
      pass: bytesToHex(files.pass),
      feeBlocks: bytesToHex(files.feeBlocks),
    };
    const priced = await openPaidExit(c, { cpc }, v.spec, trip.plan.entryStationHex, rng, (id) => {
      txnId = id;
    });
    if (!priced.ok) return done(priced.outcome, priced.fee);
    let amount = priced.amount;
    if (v.green) {
      // 绿通查验 before the payment: photos of the load, the cargo, the verdict; the station re-prices the exit.
      const inspected = await inspectGreen(c, txnId, v.green, rng);
      green = inspected.fact;
      if (!inspected.priced.ok) return done(inspected.priced.outcome, inspected.priced.fee);
      amount = inspected.priced.amount;
    }

    if (amount === 0) {
      // Free (a passed green-channel inspection): announced as such, nothing taken.
      announced = true;
      const free = await c.session.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, {
        body: { payment: 'free', amount: 0 },
      });
      tradeId = free.tradeId;
    } else {
      const paid = await payExit(c, txnId, amount, v, () => {
        announced = true;
      });
      payment = paid.payment;
      cash = paid.cash;
      etcCard = paid.etcCard?.taken;
      etcProof = paid.etcCard?.proof;
      tradeId = paid.payment.tradeId;
    }

    // 【写卡】: the exit flags on the CPC, then 【提交数据】 with what became of the write.
    if (fault?.kind === 'cpc-tear') {
      c.faults.inject('cpc-tear');
      handBack = fault.putBack;
      reader.armTear(fault.nth, fault.when);
    }
    const closed = await exit.close();
    reader.disarmTears();
    fact.closed = true;
    if (fault?.kind === 'cpc-tear')
      c.faults.recover(
        'cpc-tear',
        closed.outcome === 'written'
          ? `card put back, re-read: written (attempt ${closed.attempts})`
          : `not written (${closed.reason ?? '?'}): committed as a failed write`,
      );
    const cardError = (CPC_CLOSE_CARD_ERRORS as readonly string[]).includes(closed.reason ?? '')
      ? (closed.reason as CpcCloseCardError)
      : undefined;
    await c.session.call('POST', `/exits/${txnId}/commit`, {
      body: {
        tradeId,
        cardWrite: closed.outcome,
        ...(closed.reason ? { reason: closed.reason } : {}),
        ...(closed.outcome === 'not-written' && cardError ? { cardError } : {}),
        ...(etcProof ? { etcCard: etcProof } : {}),
      },
    });
    fact.cardWrite = closed.outcome;
    if (green) green.tradeId = tradeId;
    return done(amount === 0 ? 'free' : 'paid', amount);
  } catch (e) {
    return done('failed', null, await failExit(c.session, txnId, !announced, e));
  }
}
