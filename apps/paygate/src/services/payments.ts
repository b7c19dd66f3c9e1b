import { randomBytes } from 'node:crypto';
import { channelOfCode } from '../domain/channels';
import { PaygateError } from '../errors';
import { SCENARIO_PASSWORD_POLLS, scenarioOfCode } from '../fixtures/test-codes';
import type { Channel, MicropayBody, Order, PrecreateBody } from '../http/schemas';
import type { OrderRecord } from '../store';
import { failureOf, type Platform, platformNumber } from './context';

const PAID_STATES: ReadonlySet<Order['state']> = new Set(['SUCCESS', 'REFUND']);
const OPEN_STATES: ReadonlySet<Order['state']> = new Set(['NOTPAY', 'USERPAYING']);

/** What a payment attempt comes to before any password wait. */
type Decision =
  | { kind: 'paid' }
  | { kind: 'password'; polls: number; thenPaid: boolean }
  | { kind: 'declined'; failure: NonNullable<Order['failure']> };

/**
 * The same out-trade-no again: same amount and pay ID → the stored order (a resend never charges twice);
 * anything else → OUT_TRADE_NO_USED (§10.6); a number cancelled before any order existed → OUT_TRADE_NO_USED
 * (closed, as Alipay's cancel of a trade never created). Then the pay ID's other attempts: one already paid → ALREADY_PAID
 * (Fujian 300001); one still open → ATTEMPT_OPEN (a new attempt only after the last reached a final state).
 */
function existingOrRefuse(
  p: Platform,
  merchantId: string,
  body: { outTradeNo: string; payId: string; amount: number },
): OrderRecord | undefined {
  const existing = p.store.get(merchantId, body.outTradeNo);
  if (existing) {
    if (existing.order.amount !== body.amount || existing.order.payId !== body.payId) {
      throw new PaygateError(
        'PGW_ERR_OUT_TRADE_NO_USED',
        `${body.outTradeNo}: amount ${existing.order.amount}, payId ${existing.order.payId}`,
      );
    }
    return existing;
  }
  const closedAt = p.store.closedNumber(merchantId, body.outTradeNo);
  if (closedAt !== undefined) {
    // Cancelled before this request arrived: the station has given the exit up or taken cash.
    throw new PaygateError(
      'PGW_ERR_OUT_TRADE_NO_USED',
      `${body.outTradeNo}: cancelled at ${closedAt}, closed`,
    );
  }
  for (const other of p.store.byPay(merchantId, body.payId)) {
    advance(p, other, false);
    if (PAID_STATES.has(other.order.state)) {
      throw new PaygateError('PGW_ERR_PAY_ALREADY_PAID', other.order.outTradeNo);
    }
    if (OPEN_STATES.has(other.order.state)) {
      throw new PaygateError('PGW_ERR_PAY_ATTEMPT_OPEN', `${other.order.outTradeNo} is ${other.order.state}`);
    }
  }
  return undefined;
}

function decide(p: Platform, merchantId: string, authCode: string, channel: Channel | undefined): Decision {
  const fault = p.faults.outcomeFor(merchantId, authCode);
  if (fault?.kind === 'code-foreign' || channel === undefined) {
    return { kind: 'declined', failure: failureOf('PGW_ERR_CODE_UNRECOGNISED') };
  }
  if (fault?.kind === 'code-expired') return { kind: 'declined', failure: failureOf('PGW_ERR_CODE_EXPIRED') };
  if (fault?.kind === 'insufficient') {
    return { kind: 'declined', failure: failureOf('PGW_ERR_PAY_INSUFFICIENT') };
  }
  if (p.store.usedCodes.has(authCode)) return { kind: 'declined', failure: failureOf('PGW_ERR_CODE_USED') };
  const minted = p.store.mintedCodes.get(authCode);
  if (minted && Date.parse(minted) + p.config.codeTtlSeconds * 1000 < p.clock.now().getTime()) {
    return { kind: 'declined', failure: failureOf('PGW_ERR_CODE_EXPIRED') };
  }
  if (fault?.kind === 'password') {
    return { kind: 'password', polls: fault.polls ?? 2, thenPaid: (fault.outcome ?? 'paid') === 'paid' };
  }
  switch (scenarioOfCode(authCode)) {
    case 'password-then-paid':
      return { kind: 'password', polls: SCENARIO_PASSWORD_POLLS, thenPaid: true };
    case 'password-then-abandon':
      // Never confirmed: it closes when the USERPAYING time runs out.
      return { kind: 'password', polls: Number.MAX_SAFE_INTEGER, thenPaid: false };
    case 'insufficient':
      return { kind: 'declined', failure: failureOf('PGW_ERR_PAY_INSUFFICIENT') };
    case 'paid':
      return { kind: 'paid' };
  }
}

/** Applies a decision to an order (new or a waiting QR order). */
function apply(p: Platform, r: OrderRecord, d: Decision): void {
  const now = p.clock.now();
  if (d.kind === 'paid') {
    r.order.state = 'SUCCESS';
    r.order.paidAt = now.toISOString();
  } else if (d.kind === 'password') {
    r.order.state = 'USERPAYING';
    r.pollsLeft = d.polls;
    r.thenPaid = d.thenPaid;
    r.userPayingUntil = new Date(now.getTime() + p.config.userPayingSeconds * 1000).toISOString();
  } else {
    r.order.state = 'PAYERROR';
    r.order.failure = d.failure;
    r.order.closedAt = now.toISOString();
  }
  if (r.authCode && d.kind !== 'declined') p.store.usedCodes.set(r.authCode, r.order.orderNo);
}

function newRecord(
  p: Platform,
  merchantId: string,
  body: { outTradeNo: string; payId: string; amount: number },
  o: { mode: Order['mode']; channel: Channel | null; authCode: string | null; qr: Order['qr'] },
): OrderRecord {
  return {
    order: {
      merchantId,
      outTradeNo: body.outTradeNo,
      payId: body.payId,
      orderNo: platformNumber(p, 'order'),
      mode: o.mode,
      channel: o.channel,
      amount: body.amount,
      state: 'NOTPAY',
      createdAt: p.clock.now().toISOString(),
      paidAt: null,
      closedAt: null,
      failure: null,
      refundedAmount: 0,
      refunds: [],
      qr: o.qr,
      test: true,
    },
    authCode: o.authCode,
    pollsLeft: 0,
    thenPaid: false,
    userPayingUntil: null,
  };
}

/** 被扫: the collector scanned the driver's payment code. */
export function micropay(p: Platform, merchantId: string, body: MicropayBody): Order {
  const existing = existingOrRefuse(p, merchantId, body);
  if (existing) {
    advance(p, existing, false);
    return existing.order;
  }
  const channel = channelOfCode(body.authCode);
  const r = newRecord(p, merchantId, body, {
    mode: 'MICROPAY',
    channel: channel ?? null,
    authCode: body.authCode,
    qr: null,
  });
  apply(p, r, decide(p, merchantId, body.authCode, channel));
  p.store.put(r);
  return r.order;
}

/** 主扫: an order the driver pays by scanning the code the collector shows. */
export function precreate(p: Platform, merchantId: string, body: PrecreateBody, baseUrl: string): Order {
  const existing = existingOrRefuse(p, merchantId, body);
  if (existing) {
    advance(p, existing, false);
    return existing.order;
  }
  const token = randomBytes(18).toString('base64url');
  const expiresAt = new Date(p.clock.now().getTime() + p.config.qrTtlSeconds * 1000).toISOString();
  const r = newRecord(p, merchantId, body, {
    mode: 'QR',
    channel: null,
    authCode: null,
    qr: { token, url: `${baseUrl}/driver/qr/${token}`, expiresAt },
  });
  p.store.put(r);
  return r.order;
}

/** What the driver's app sees after scanning (the merchant's order, nothing else). */
export function driverView(p: Platform, token: string): OrderRecord {
  const r = p.store.byQrToken(token);
  if (!r) throw new PaygateError('PGW_ERR_QR_NOT_FOUND');
  advance(p, r, false);
  return r;
}

/**
 * The driver's app pays a 主扫 order. A declined wallet (insufficient funds) leaves the order waiting, as a
 * real QR order does; the answer says why.
 */
export function driverPay(
  p: Platform,
  token: string,
  wallet: Channel,
  authCode: string | undefined,
): { order: Order; declined: Order['failure'] } {
  const r = driverView(p, token);
  if (PAID_STATES.has(r.order.state) || r.order.state === 'USERPAYING') {
    throw new PaygateError('PGW_ERR_QR_PAID', r.order.state);
  }
  if (r.order.state !== 'NOTPAY') throw new PaygateError('PGW_ERR_QR_EXPIRED', r.order.state);
  const code = authCode ?? `driver-${randomBytes(6).toString('hex')}`;
  const fault = p.faults.outcomeFor(r.order.merchantId, code);
  if (fault && fault.kind !== 'password') {
    const failure = failureOf(
      fault.kind === 'insufficient'
        ? 'PGW_ERR_PAY_INSUFFICIENT'
        : fault.kind === 'code-expired'
          ? 'PGW_ERR_CODE_EXPIRED'
          : 'PGW_ERR_CODE_UNRECOGNISED',
    );
    return { order: r.order, declined: failure };
  }
  r.order.channel = wallet;
  apply(
    p,
    r,
    fault
      ? { kind: 'password', polls: fault.polls ?? 2, thenPaid: (fault.outcome ?? 'paid') === 'paid' }
      : { kind: 'paid' },
  );
  p.store.put(r);
  return { order: r.order, declined: null };
}

/** Order query: a query is one poll of a USERPAYING order (§4). */
export function query(p: Platform, merchantId: string, outTradeNo: string): Order {
  const r = p.store.get(merchantId, outTradeNo);
  if (!r) throw new PaygateError('PGW_ERR_ORDER_NOT_FOUND', outTradeNo);
  advance(p, r, true);
  return r.order;
}

/** Every attempt under one pay ID (§10.7), oldest first; these reads are not polls. */
export function queryByPayId(p: Platform, merchantId: string, payId: string): Order[] {
  return p.store.byPay(merchantId, payId).map((r) => {
    advance(p, r, false);
    return r.order;
  });
}

/**
 * Moves an order on with time and polls: a USERPAYING order pays or closes after its polls, and closes when
 * the payer's time runs out; an unpaid QR order closes when its code expires.
 */
export function advance(p: Platform, r: OrderRecord, poll: boolean): void {
  const now = p.clock.now();
  const o = r.order;
  let changed = false;
  if (o.state === 'USERPAYING') {
    if (poll) {
      r.pollsLeft -= 1;
      changed = true;
    }
    if (r.pollsLeft <= 0 && r.thenPaid) {
      changed = true;
      o.state = 'SUCCESS';
      o.paidAt = now.toISOString();
    } else if (
      r.pollsLeft <= 0 ||
      (r.userPayingUntil !== null && Date.parse(r.userPayingUntil) <= now.getTime())
    ) {
      changed = true;
      o.state = 'CLOSED';
      o.closedAt = now.toISOString();
      o.failure = failureOf('PGW_ERR_PAY_ABANDONED');
    }
  } else if (o.state === 'NOTPAY' && o.qr && Date.parse(o.qr.expiresAt) <= now.getTime()) {
    o.state = 'CLOSED';
    o.closedAt = now.toISOString();
    changed = true;
  }
  if (changed) p.store.put(r);
}
