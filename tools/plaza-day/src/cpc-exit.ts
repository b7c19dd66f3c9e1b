import { bytesToHex, CardError, CpcExit, type CpcFiles, type PsamDriver, pollingWaiter } from '@tollpad/card';
import { VirtualCpc, VirtualReader } from '@tollpad/card/sim';
import {
  CPC_CLOSE_CARD_ERRORS,
  type CpcCloseCardError,
  type CpcRead,
  type DebitIntentResult,
  type ExitTransaction,
  type PaymentStatus,
} from '@tollpad/station-api';
import type { Network } from '@tollpad/tariff';
import { planCpcTrip } from '../../../scripts/sim/trip-cpc';
import { type CpcVehicle, qrCodeOf, tenderedFor } from './cpc-vehicles';
import type { PayChannel } from './mix';
import type { Prng } from './prng';
import type { CashTaken, CpcFact, HandheldPayment, Outcome, VehicleResult } from './served-vehicle';
import { ApiError, callJson, type RetryStats } from './station-client';
import type { StationSession } from './station-session';

export interface CpcExitContext {
  session: StationSession;
  centreUrl: string;
  laneId: string;
  exitStationId: string;
  network: Network;
  psam: () => PsamDriver;
  /** The plate photo the handheld uploaded at the start of its shift. */
  photoSha: string;
  monitorToken: () => string;
  stats: RetryStats;
  t0: number;
}

/** Attempts at most per exit (QR codes, then cash): a driver does not offer a tenth code. */
const MAX_ATTEMPTS = 4;
/** How long the collector follows one payment before calling it stuck (station restarts included). */
const FOLLOW_MS = 180_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One CPC vehicle at a simulated handheld (TEST), over the station's HTTP API as the handheld does it: the
 * trip's gantries report the passages to the centre, the virtual CPC written by the synthetic entry and
 * gantries is read through the card layer's CpcExit, 【读卡】 → image → 【算费】 (→ 班长授权) → the payment intent
 * (cash with the tendered amount, or 被扫 with the driver's TEST code against the real payment platform,
 * followed by long poll; a declined code → cash) → the exit write (close the CPC) → 【提交数据】.
 */
export async function serveCpc(c: CpcExitContext, v: CpcVehicle, rng: Prng): Promise<VehicleResult> {
  const started = Date.now();
  const trip = planCpcTrip(c.network, v.spec, { exitStationId: c.exitStationId, exitTime: new Date() });
  const card = new VirtualCpc(trip.images);
  const reader = new VirtualReader('cpc');
  reader.insert(card);
  const exit = new CpcExit({
    card: reader,
    psam: c.psam(),
    waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }),
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
  let cash: CashTaken | undefined;
  const done = (outcome: Outcome, fee: number | null, error?: string): VehicleResult => {
    const flags = card.file('entry').slice(23, 25);
    fact.exitWritten = flags[0] === exit.exitFlags[0] && flags[1] === exit.exitFlags[1];
    return {
      index: v.index,
      medium: 'cpc',
      caseId: v.caseId,
      outcome,
      fee,
      tradeId: payment?.tradeId ?? null,
      endedAt: Date.now() - c.t0,
      latencyMs: Date.now() - started,
      ...(txnId ? { txnId } : {}),
      ...(payment ? { payment } : {}),
      ...(cash ? { cash } : {}),
      cpc: { ...fact },
      ...(error ? { error } : {}),
    };
  };
  let announced = false;
  try {
    // The gantries on the way reported the vehicle (with the plate their cameras read) to the centre.
    if (trip.plan.gantries.length > 0) {
      await callJson(
        c.centreUrl,
        'POST',
        '/gantry-passages',
        {
          body: {
            passages: trip.plan.gantries.map((g) => ({
              passId: trip.plan.passId,
              gantry: g.id,
              time: g.time.toISOString(),
              vehicleClass: v.spec.vehicleClass,
              plate: v.spec.plate,
            })),
          },
        },
        c.stats,
      );
    }
    let files: CpcFiles;
    try {
      files = await exit.read();
    } catch (e) {
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
    const created = await c.session.call<ExitTransaction>('POST', '/exits', {
      body: { laneId: c.laneId, cpc },
    });
    txnId = created.id;
    const priced = await priceCpc(c, created, v, trip.plan.entryStationHex, rng);
    if (!priced.ok) return done(priced.outcome, priced.fee);
    const amount = priced.amount;

    // The payment: the driver's first choice, then cash when a QR code ends not paid.
    const order: PayChannel[] = amount > 0 ? [v.channel] : ['cash'];
    let paid: { intent: DebitIntentResult; status: PaymentStatus; channel: PayChannel } | null = null;
    for (let attempt = 1; !paid; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`not paid after ${MAX_ATTEMPTS} attempts`);
      const channel = order[attempt - 1] ?? 'cash';
      if (attempt > 1) {
        // The QR attempt ended not paid: undo the intent (the station refuses while money may still move).
        await untilSettled(() =>
          c.session.call('POST', `/exits/${txnId}/recover`, { body: { outcome: 'not-debited' } }),
        );
      }
      const body =
        channel === 'cash'
          ? { payment: 'cash', amount, tendered: tenderedFor(amount, v.tenderStep) }
          : { payment: 'qr', amount, mode: 'code', authCode: qrCodeOf(channel, v.index, attempt, v.qr) };
      announced = true;
      const intent = await announce(c, txnId, body);
      const status = intent.payment?.final
        ? intent.payment
        : await follow(c.session, txnId, intent.payment?.version ?? -1);
      if (status.phase === 'succeeded') {
        paid = { intent, status, channel };
        if (channel === 'cash' && status.cash) {
          cash = {
            tradeId: intent.tradeId,
            passId: intent.passId,
            amount,
            tendered: status.cash.tendered,
            change: status.cash.change,
          };
        }
      }
    }
    payment = {
      channel: paid.channel,
      tried: order[0] ?? 'cash',
      tradeId: paid.intent.tradeId,
      payId: paid.status.payId,
      amount,
    };

    // 【写卡】: the exit flags on the CPC, then 【提交数据】 with what became of the write.
    const closed = await exit.close();
    fact.closed = true;
    const cardError = (CPC_CLOSE_CARD_ERRORS as readonly string[]).includes(closed.reason ?? '')
      ? (closed.reason as CpcCloseCardError)
      : undefined;
    await c.session.call('POST', `/exits/${txnId}/commit`, {
      body: {
        tradeId: paid.intent.tradeId,
        cardWrite: closed.outcome,
        ...(closed.reason ? { reason: closed.reason } : {}),
        ...(closed.outcome === 'not-written' && cardError ? { cardError } : {}),
      },
    });
    fact.cardWrite = closed.outcome;
    return done('paid', amount);
  } catch (e) {
    const msg = e instanceof ApiError ? `${e.path} ${e.status} ${e.code}` : String(e);
    if (!announced && txnId)
      await c.session
        .call('POST', `/exits/${txnId}/cancel`, { body: { reason: 'plaza-day: failed' } })
        .catch(() => {});
    return done('failed', null, msg);
  }
}

type Priced = { ok: true; amount: number } | { ok: false; outcome: Outcome; fee: number | null };

/** Image, 【算费】 (the driver names the entry when the station asks), 班长授权 (approved nine times in ten). */
async function priceCpc(
  c: CpcExitContext,
  created: ExitTransaction,
  v: CpcVehicle,
  statedEntry: string,
  rng: Prng,
): Promise<Priced> {
  const txnId = created.id;
  const stop = async (outcome: Outcome, fee: number | null, reason: string): Promise<Priced> => {
    await c.session.call('POST', `/exits/${txnId}/cancel`, { body: { reason } });
    return { ok: false, outcome, fee };
  };
  if (created.checks.blocked) return stop('blocked', null, 'CPC校验未通过 (plaza-day TEST)');
  await c.session.call('POST', `/exits/${txnId}/image`, {
    body: { plate: v.spec.plate, plateColour: v.spec.colour, photoSha256: c.photoSha },
  });
  const feeBody = { vehicleClass: v.spec.vehicleClass, vehicleKind: 0 };
  let priced: ExitTransaction;
  try {
    priced = await c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, { body: feeBody });
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'STN_ERR_EXIT_ENTRY_REQUIRED')) throw e;
    priced = await c.session.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, {
      body: { ...feeBody, entryStation: statedEntry },
    });
  }
  if (priced.authorisation.status === 'required') {
    const approve = rng.chance(0.9);
    await callJson(
      c.session.stationUrl,
      'POST',
      `/exits/${txnId}/authorisation`,
      {
        token: c.monitorToken(),
        body: { approve, reason: approve ? '班长授权 (plaza-day TEST)' : '班长拒绝 (plaza-day TEST)' },
      },
      c.stats,
    );
    priced = await c.session.call<ExitTransaction>('GET', `/exits/${txnId}`);
    if (priced.authorisation.status !== 'approved')
      return stop('auth-refused', null, '班长未授权 (plaza-day TEST)');
  }
  const fee = priced.fee;
  if (!fee?.payable)
    return stop('not-payable', fee?.fee ?? null, `不可支付：${fee?.notPayableReason ?? '未说明'}`);
  return { ok: true, amount: fee.fee };
}

/**
 * The payment intent. Its answer may be lost (a station SIGKILL, a dropped connection) after the station took
 * it: the retry is then refused, and the transaction itself says what became of it.
 */
async function announce(c: CpcExitContext, txnId: string, body: unknown): Promise<DebitIntentResult> {
  try {
    return await c.session.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, { body });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const t = await c.session.call<ExitTransaction>('GET', `/exits/${txnId}`);
    if (t.state !== 'debit_pending' || !t.tradeId) throw e;
    const payment = await c.session.call<PaymentStatus>('GET', `/exits/${txnId}/payment?waitMs=0`);
    const debit = (t.debit ?? {}) as { passId?: string; exTime?: string };
    return {
      tradeId: t.tradeId,
      passId: debit.passId ?? '',
      exTime: debit.exTime ?? '',
      amount: t.fee?.fee ?? 0,
      transaction: t,
      payment,
    };
  }
}

/** The long poll (as the handheld follows a QR payment) until the payment is final. */
async function follow(session: StationSession, txnId: string, since: number): Promise<PaymentStatus> {
  const end = Date.now() + FOLLOW_MS;
  let v = since;
  for (;;) {
    const s = await session.call<PaymentStatus>('GET', `/exits/${txnId}/payment?waitMs=5000&since=${v}`);
    if (s.final) return s;
    v = s.version;
    if (Date.now() > end) throw new Error(`payment of ${txnId} not final after ${FOLLOW_MS} ms: ${s.phase}`);
  }
}

/** A call the station refuses while a payment may still move (STN_ERR_PAY_IN_FLIGHT): asked again shortly. */
async function untilSettled<T>(call: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'STN_ERR_PAY_IN_FLIGHT') || i >= 60) throw e;
      await sleep(500);
    }
  }
}
