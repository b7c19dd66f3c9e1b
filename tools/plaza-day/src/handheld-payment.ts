import type { PaymentStatus } from '@tollpad/station-api';
import { type QrBehaviour, qrCodeOf, tenderedFor } from './cpc-vehicles';
import { type DriverWallet, walletOf } from './driver-wallet';
import type { EtcCardPaid } from './etc-card-payment';
import type { PayChannel } from './mix';
import { type PaymentFault, type PaymentFaultHooks, platformFaultOf, recoveryOf } from './payment-faults';
import type { CashTaken, HandheldPayment } from './served-vehicle';
import { ApiError } from './station-client';
import type { StationSession } from './station-session';

/** How a driver pays at the handheld (drawn with the vehicle). */
export interface Payer {
  index: number;
  /** The channel the driver offers first. */
  channel: PayChannel;
  qr: QrBehaviour;
  /** Cash handed over: exact, or the fee rounded up to a 10 / 50 / 100 yuan note. */
  tenderStep: 1 | 1_000 | 5_000 | 10_000;
  /** The payment fault this vehicle meets (the day's PaymentFaultPlan gives it at issue). */
  paymentFault?: PaymentFault;
}

/**
 * Where one payable thing lives at the station: an exit transaction or an arrears payback — the same payment
 * steps at their own paths: the intent, the long poll of its status, the recovery, the thing itself.
 */
export interface Payable {
  session: StationSession;
  intent: string;
  /** `…/payment` is the status's long poll. */
  follow: string;
  recover: string;
  self: string;
  /** 主扫: the driver's phone (absent: a 主扫 payer pays cash). */
  wallet?: DriverWallet;
  /** The driver's ETC card pays at the intent (an exit; absent, as for a payback: the driver pays cash). */
  etcCard?: (amount: number) => Promise<EtcCardPaid>;
}

/** The payment steps of an exit transaction. */
export const exitPayable = (
  session: StationSession,
  txnId: string,
  how: Pick<Payable, 'wallet' | 'etcCard'> = {},
): Payable => ({
  session,
  intent: `/exits/${txnId}/debit-intent`,
  follow: `/exits/${txnId}`,
  recover: `/exits/${txnId}/recover`,
  self: `/exits/${txnId}`,
  ...how,
});

/** The payment steps of an arrears payback (its status followed under the exit machinery's path). */
export const paybackPayable = (
  session: StationSession,
  id: string,
  how: Pick<Payable, 'wallet'> = {},
): Payable => ({
  session,
  intent: `/arrears-paybacks/${id}/payment`,
  follow: `/exits/${id}`,
  recover: `/arrears-paybacks/${id}/recover`,
  self: `/arrears-paybacks/${id}`,
  ...how,
});

/** What an intent answers (an exit's DebitIntentResult or the payback itself): the parts the handheld reads. */
interface IntentAnswer {
  tradeId: string | null;
  passId?: string;
  debit?: Record<string, unknown> | null;
  payment?: PaymentStatus;
}

export interface Paid {
  payment: HandheldPayment;
  cash?: CashTaken;
  /** Paid by the driver's ETC card: the card's debit and proof (the commit carries the proof). */
  etcCard?: EtcCardPaid;
  passId: string;
}

/** Attempts at most (QR codes, then cash): a driver does not offer a fifth code. */
export const MAX_ATTEMPTS = 4;
/** How long the collector follows one payment before calling it stuck (station restarts included). */
const FOLLOW_MS = 180_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The payment at the handheld, as the collector makes it: the intent by the driver's first choice (cash with
 * the tendered amount — the station computes the change — or 被扫 with the driver's TEST code, followed by long
 * poll until final); a QR attempt that ends not paid is undone and the driver pays cash. `onAnnounce` is
 * called before the first intent (from then on money may move: the caller must not cancel).
 */
export async function payAtHandheld(
  p: Payable,
  amount: number,
  payer: Payer,
  onAnnounce: () => void,
  /** The first QR code's attempt number (a payback's codes are not its exit's: a code works once). */
  firstCode = 1,
  /** A payment fault this vehicle meets (payment-faults.ts), injected on the first attempt. */
  fault?: { f: PaymentFault; hooks: PaymentFaultHooks },
): Promise<Paid> {
  // A channel this payable cannot take (主扫 with no phone, the ETC card at a payback) is paid in cash.
  const usable =
    (payer.channel === 'qr-shown' && !p.wallet) || (payer.channel === 'etc-card' && !p.etcCard)
      ? 'cash'
      : payer.channel;
  const order: PayChannel[] = amount > 0 ? [usable] : ['cash'];
  let firstEnd: { phase: string; reason: string | null } | null = null;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const channel = order[attempt - 1] ?? 'cash';
    if (channel === 'etc-card' && p.etcCard) {
      // Announced just before DEBIT; the card's debit is final (its proof goes into the commit).
      onAnnounce();
      const etcCard = await p.etcCard(amount);
      const { tradeId, passId } = etcCard.taken;
      return {
        payment: { channel, tried: channel, tradeId, passId, payId: null, amount },
        etcCard,
        passId,
      };
    }
    if (attempt > 1) {
      // The QR attempt ended not paid: undo the intent (the station refuses while money may still move).
      await untilSettled(() => p.session.call('POST', p.recover, { body: { outcome: 'not-debited' } }));
    }
    const behaviour = attempt === 1 ? payer.qr : 'paid';
    const body =
      channel === 'cash' || channel === 'etc-card'
        ? { payment: 'cash', amount, tendered: tenderedFor(amount, payer.tenderStep) }
        : channel === 'qr-shown'
          ? { payment: 'qr', amount, mode: 'dynamic' }
          : {
              payment: 'qr',
              amount,
              mode: 'code',
              authCode: qrCodeOf(channel, payer.index, firstCode + attempt - 1, behaviour),
            };
    const armed = attempt === 1 ? fault : undefined;
    if (armed && 'authCode' in body && body.authCode) {
      const input = platformFaultOf(armed.f, body.authCode);
      if (input) await armed.hooks.platformFault(input);
    }
    if (armed) armed.hooks.faults.inject(armed.f.kind);
    onAnnounce();
    let answer = await announce(p, body);
    if (armed?.f.kind === 'station-kill-in-payment') {
      // The pay request is out (the platform answers 3 s late): SIGKILL now; the follow below rides the restart.
      await sleep(300);
      await armed.hooks.killStation();
    }
    if (armed?.f.kind === 'handheld-restart-in-payment') {
      // The handheld restarted after the intent: its answer is gone; what it knows comes back from the station.
      answer = await resume(p);
    }
    const intent = {
      tradeId: answer.tradeId ?? '',
      passId: answer.passId ?? String((answer.debit as { passId?: unknown } | null)?.passId ?? ''),
    };
    if (!intent.tradeId) throw new Error(`${p.intent}: no trade ID announced`);
    let status = answer.payment ?? cashTaken(answer) ?? (await follow(p, -1)); // (cashTaken: see its comment)
    if (channel === 'qr-shown' && p.wallet)
      status = await driverScans(p, p.wallet, status, payer, firstCode + attempt - 1, behaviour);
    const final = status.final ? status : await follow(p, status.version);
    if (attempt === 1) firstEnd = { phase: final.phase, reason: final.reason ?? null };
    if (final.phase !== 'succeeded') continue;
    if (fault) fault.hooks.faults.recover(fault.f.kind, recoveryOf(fault.f, firstEnd, channel, attempt));
    const payment: HandheldPayment = {
      channel,
      tried: order[0] ?? 'cash',
      tradeId: intent.tradeId,
      passId: intent.passId,
      payId: final.payId,
      amount,
    };
    const cash =
      channel === 'cash' && final.cash
        ? {
            tradeId: intent.tradeId,
            passId: intent.passId,
            amount,
            tendered: final.cash.tendered,
            change: final.cash.change,
          }
        : undefined;
    return { payment, ...(cash ? { cash } : {}), passId: intent.passId };
  }
  throw new Error(`not paid after ${MAX_ATTEMPTS} attempts`);
}

/**
 * The payment intent. A retry with the same body answers the same intent; should its answer be lost and the
 * retry be refused, the payable itself says what became of it.
 */
async function announce(p: Payable, body: unknown): Promise<IntentAnswer> {
  try {
    return await p.session.call<IntentAnswer>('POST', p.intent, { body });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    const t = await p.session.call<IntentAnswer>('GET', p.self);
    if (!t.tradeId) throw e;
    const payment = await p.session.call<PaymentStatus>('GET', `${p.follow}/payment?waitMs=0`);
    return { tradeId: t.tradeId, debit: t.debit ?? null, payment };
  }
}

/** After a handheld restart: the payable and its payment status as the station holds them. */
async function resume(p: Payable): Promise<IntentAnswer> {
  const t = await p.session.call<IntentAnswer>('GET', p.self);
  const payment = await p.session.call<PaymentStatus>('GET', `${p.follow}/payment?waitMs=0`);
  return { tradeId: t.tradeId, debit: t.debit ?? null, payment, ...(t.passId ? { passId: t.passId } : {}) };
}

/**
 * A cash intent the station took but shows no payment status for: an arrears payback's (the station's
 * exit desk reports cash for the `cpc` and `none` media only, so `GET /exits/:id/payment` of a payback paid
 * in cash answers STN_ERR_PAY_NOT_FOUND). The station took the cash intent with its tendered amount and change
 * (the announced debit): the collector holds the cash.
 */
function cashTaken(a: IntentAnswer): PaymentStatus | null {
  const d = a.debit as { payment?: string; amount?: number; tendered?: number; change?: number } | null;
  if (!a.tradeId || d?.payment !== 'cash' || typeof d.amount !== 'number') return null;
  const tendered = d.tendered ?? d.amount;
  return {
    payId: a.tradeId,
    method: 'cash',
    mode: null,
    channel: null,
    attempt: 1,
    outTradeNo: null,
    amount: d.amount,
    phase: 'succeeded',
    final: true,
    pending: false,
    message: '现金收讫',
    codeUrl: null,
    reason: null,
    cash: { tendered, change: d.change ?? tendered - d.amount },
    platformOrderNo: null,
    version: 0,
    updatedAt: new Date().toISOString(),
  };
}

/**
 * 主扫: the handheld shows the station's code (followed until the platform gave one), the driver scans it with
 * a wallet; a wallet that declines (too little in it) leaves the order open, so the collector stops the wait
 * (the station queries, then cancels) and the driver pays another way.
 */
async function driverScans(
  p: Payable,
  wallet: DriverWallet,
  from: PaymentStatus,
  payer: Payer,
  codeNo: number,
  behaviour: QrBehaviour,
): Promise<PaymentStatus> {
  const shown = from.final || from.codeUrl ? from : await follow(p, from.version, (s) => s.codeUrl !== null);
  if (shown.final || !shown.codeUrl) return shown;
  const w = walletOf(payer.index);
  const code = qrCodeOf(
    w === 'WECHAT' ? 'qr-wechat' : w === 'ALIPAY' ? 'qr-alipay' : 'qr-unionpay',
    payer.index,
    codeNo,
    behaviour,
  );
  const answer = await wallet(shown.codeUrl, w, behaviour, code);
  if (!answer.declined) return shown;
  return untilSettled(() => p.session.call<PaymentStatus>('POST', `${p.follow}/payment/stop`));
}

/** The long poll (as the handheld follows a QR payment) until the payment is final (or `done` says so). */
async function follow(
  p: Payable,
  since: number,
  done: (s: PaymentStatus) => boolean = () => false,
): Promise<PaymentStatus> {
  const end = Date.now() + FOLLOW_MS;
  let v = since;
  for (;;) {
    const s = await p.session.call<PaymentStatus>('GET', `${p.follow}/payment?waitMs=5000&since=${v}`);
    if (s.final || done(s)) return s;
    v = s.version;
    if (Date.now() > end) throw new Error(`payment of ${p.self} not final after ${FOLLOW_MS} ms: ${s.phase}`);
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
