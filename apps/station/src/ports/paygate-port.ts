import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as plainRequest } from 'node:http';
import { request } from 'node:https';
import type {
  DeclineReason,
  DynamicCodeAnswer,
  PaidFacts,
  PayAnswer,
  PaymentPort,
  PlatformUnknown,
  QrChannel,
  QueryAnswer,
  RefundAnswer,
  ReverseAnswer,
  SettlementAnswer,
  SettlementLine,
} from '@tollpad/payment';

/**
 * The station's payment port over the reference platform's signed HTTPS protocol (apps/paygate/README.md
 * "Request signature", "The protocol", "Mapping to the station's port"). The merchant key stays in the station
 * (DESIGN.md §8). Every request is signed; an answer counts only when it carries the platform's signature
 * over this request's nonce, echoes the out-trade-no (and pay ID) asked about; anything else — a dropped
 * connection, a timeout, a 500, an unsigned or foreign answer — is `unknown`, which the runner resolves by query.
 */
export interface PaygatePortOptions {
  /** e.g. https://paygate.example:8443 (PAYGATE_URL). */
  url: string;
  /** PEM of the platform's CA (PAYGATE_CA_FILE); undefined trusts the system store. */
  ca: string | undefined;
  merchantId: string;
  merchantKey: string;
  /** [P] A request without an answer after this long is `unknown` (PAYGATE_TIMEOUT_MS, default 10 s). */
  timeoutMs: number;
  /** [P] An answer longer than this is not the platform's (its largest, a day's settlement file, is far less). */
  maxAnswerBytes?: number;
  now?: () => Date;
}

interface Answer {
  status: number;
  text: string;
  /** undefined when the body is not JSON (the settlement file is CSV). */
  json: unknown;
}

type Sent = Answer | PlatformUnknown;

const hex = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const sha256 = (body: string) => createHash('sha256').update(body).digest('hex');

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Json, k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : null);
const int = (o: Json, k: string): number | null => (Number.isSafeInteger(o[k]) ? (o[k] as number) : null);

function channelOf(v: unknown): QrChannel {
  if (v === 'WECHAT' || v === 'ALIPAY') return v;
  if (v === 'UNIONPAY') return 'UNIONPAY_QR';
  return 'OTHER_QR';
}

const unreadable: PlatformUnknown = { kind: 'unknown', reason: 'unreadable' };

/** [P] 64 MiB: a busy station's day of settlement lines is a few MiB. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export function paygatePort(o: PaygatePortOptions): PaymentPort {
  const now = o.now ?? (() => new Date());
  const base = o.url.replace(/\/+$/, '');

  async function send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Sent> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const nonce = randomBytes(16).toString('base64url');
    const timestamp = String(Math.floor(now().getTime() / 1000));
    const canonical = ['PAYGATE-HMAC-SHA256', method, path, o.merchantId, timestamp, nonce, sha256(raw)];
    const headers: Record<string, string> = {
      'x-paygate-merchant': o.merchantId,
      'x-paygate-timestamp': timestamp,
      'x-paygate-nonce': nonce,
      'x-paygate-signature': hex(o.merchantKey, canonical.join('\n')),
      ...(raw ? { 'content-type': 'application/json' } : {}),
    };
    const url = `${base}${path}`;
    const go = url.startsWith('https:') ? request : plainRequest;
    return new Promise<Sent>((done) => {
      // The whole answer within the timeout, and no larger than the bound: the socket's idle timeout alone
      // lets an answer trickled a byte at a time hold the payment forever, and every byte is held in memory.
      const deadline = setTimeout(() => {
        resolve({ kind: 'unknown', reason: 'timeout' });
        req.destroy();
      }, o.timeoutMs);
      const resolve = (s: Sent) => {
        clearTimeout(deadline);
        done(s);
      };
      const req = go(url, { method, headers, timeout: o.timeoutMs, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > (o.maxAnswerBytes ?? MAX_ANSWER_BYTES)) {
            resolve(unreadable);
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', () => resolve({ kind: 'unknown', reason: 'timeout' }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          const signature = res.headers['x-paygate-signature'];
          const expected = hex(
            o.merchantKey,
            ['PAYGATE-HMAC-SHA256-RESPONSE', o.merchantId, nonce, String(status), sha256(text)].join('\n'),
          );
          // Not the platform's answer to this request (forged, replayed, altered): as if none came.
          if (typeof signature !== 'string' || !sameHex(signature, expected)) return resolve(unreadable);
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status, text, json });
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ kind: 'unknown', reason: 'timeout' }));
      req.end(raw);
    });
  }

  /** The order of this out-trade-no (and pay ID when given), or null: another order's answer is not ours. */
  function orderOf(a: Answer, outTradeNo: string, payId?: string): Json | null {
    if (!isObject(a.json) || str(a.json, 'outTradeNo') !== outTradeNo) return null;
    if (payId !== undefined && str(a.json, 'payId') !== payId) return null;
    return a.json;
  }

  function paidFacts(order: Json, outTradeNo: string): PaidFacts | null {
    const amountFen = int(order, 'amount');
    const platformOrderNo = str(order, 'orderNo');
    const paidAt = str(order, 'paidAt');
    if (amountFen === null || platformOrderNo === null || paidAt === null) return null;
    return { outTradeNo, amountFen, platformOrderNo, paidAt, channel: channelOf(order.channel) };
  }

  const errorCode = (a: Answer) => (isObject(a.json) ? str(a.json, 'code') : null);

  /** Refusals that changed nothing on the platform (README "Error codes"), for pay and precreate. */
  function refusal(a: Answer, outTradeNo: string): PayAnswer | null {
    const code = errorCode(a);
    if (a.status === 409 && code === 'PGW_ERR_OUT_TRADE_NO_USED')
      return { kind: 'out-trade-no-used', outTradeNo };
    if (a.status === 503) return { kind: 'declined', outTradeNo, reason: 'service-down' };
    if (a.status === 401) return { kind: 'declined', outTradeNo, reason: 'signature' };
    // ALREADY_PAID / ATTEMPT_OPEN (another attempt of the pay ID), 500 and anything unexpected: query.
    if (a.status >= 500 || a.status === 409) return { kind: 'unknown', reason: 'system-error' };
    if (a.status >= 400) return { kind: 'declined', outTradeNo, reason: 'failed' };
    return null;
  }

  function declineOf(order: Json): DeclineReason {
    const failure = isObject(order.failure) ? str(order.failure, 'code') : null;
    if (failure === 'PGW_ERR_PAY_INSUFFICIENT') return 'insufficient';
    if (failure?.startsWith('PGW_ERR_CODE_')) return 'code-invalid';
    return order.state === 'CLOSED' || order.state === 'REVOKED' ? 'closed' : 'failed';
  }

  return {
    async payByCode(r) {
      const a = await send('POST', '/v1/micropay', {
        outTradeNo: r.outTradeNo,
        payId: r.payId,
        amount: r.amountFen,
        authCode: r.authCode,
        subject: r.subject,
      });
      if ('kind' in a) return a;
      const refused = refusal(a, r.outTradeNo);
      if (refused) return refused;
      const order = orderOf(a, r.outTradeNo, r.payId);
      if (!order) return unreadable;
      switch (order.state) {
        case 'SUCCESS':
        case 'REFUND': {
          const paid = paidFacts(order, r.outTradeNo);
          return paid ? { kind: 'paid', ...paid } : unreadable;
        }
        case 'USERPAYING':
        case 'NOTPAY':
          return { kind: 'user-paying', outTradeNo: r.outTradeNo };
        default:
          return { kind: 'declined', outTradeNo: r.outTradeNo, reason: declineOf(order) };
      }
    },

    async createDynamicCode(r): Promise<DynamicCodeAnswer> {
      const a = await send('POST', '/v1/precreate', {
        outTradeNo: r.outTradeNo,
        payId: r.payId,
        amount: r.amountFen,
        subject: r.subject,
      });
      if ('kind' in a) return a;
      const refused = refusal(a, r.outTradeNo);
      if (refused) return refused.kind === 'user-paying' || refused.kind === 'paid' ? unreadable : refused;
      const order = orderOf(a, r.outTradeNo, r.payId);
      const qr = order && isObject(order.qr) ? order.qr : null;
      const codeUrl = qr ? str(qr, 'url') : null;
      const expiresAt = qr ? str(qr, 'expiresAt') : null;
      if (!codeUrl || !expiresAt) return unreadable;
      return { kind: 'created', outTradeNo: r.outTradeNo, codeUrl, expiresAt };
    },

    async query(outTradeNo): Promise<QueryAnswer> {
      const a = await send('GET', `/v1/orders/${encodeURIComponent(outTradeNo)}`);
      if ('kind' in a) return a;
      if (a.status === 404 && errorCode(a) === 'PGW_ERR_ORDER_NOT_FOUND')
        return { kind: 'not-found', outTradeNo };
      if (a.status !== 200) return { kind: 'unknown', reason: 'system-error' };
      const order = orderOf(a, outTradeNo);
      if (!order) return unreadable;
      switch (order.state) {
        case 'SUCCESS':
        case 'REFUND': {
          const paid = paidFacts(order, outTradeNo);
          if (!paid) return unreadable;
          return { kind: 'paid', ...paid, refundedFen: int(order, 'refundedAmount') ?? 0 };
        }
        case 'USERPAYING':
          return { kind: 'paying', outTradeNo };
        case 'NOTPAY':
          return { kind: 'not-paid', outTradeNo };
        default:
          // PAYERROR, CLOSED, REVOKED: final, no money kept.
          return { kind: 'closed', outTradeNo };
      }
    },

    async reverse(outTradeNo): Promise<ReverseAnswer> {
      const a = await send('POST', `/v1/orders/${encodeURIComponent(outTradeNo)}/reverse`);
      if ('kind' in a) return a;
      const code = errorCode(a);
      // The runner cancels only after a query, 15 s on: no order under our number then means the pay
      // request never took effect (refused as another's number, dropped before capture) — nothing to undo,
      // as Alipay answers a cancel of a trade never created (payments.md §5). Unknown would retry forever.
      if (a.status === 404 && code === 'PGW_ERR_ORDER_NOT_FOUND') return { kind: 'closed', outTradeNo };
      if (a.status === 409 && code === 'PGW_ERR_REVERSE_TOO_SOON') return { kind: 'too-early', outTradeNo };
      if (a.status === 409 && (code === 'PGW_ERR_REVERSE_EXPIRED' || code === 'PGW_ERR_REVERSE_REFUNDED'))
        return { kind: 'expired', outTradeNo };
      if (a.status !== 200) return { kind: 'unknown', reason: 'system-error' };
      const order = orderOf(a, outTradeNo);
      if (!order) return unreadable;
      const refunds = Array.isArray(order.refunds) ? order.refunds.filter(isObject) : [];
      const reverse = refunds.find((x) => x.kind === 'REVERSE');
      const amount = reverse ? int(reverse, 'amount') : null;
      if (amount !== null && amount > 0) return { kind: 'reversed', outTradeNo, amountFen: amount };
      return order.state === 'REVOKED' || order.state === 'CLOSED'
        ? { kind: 'closed', outTradeNo }
        : unreadable;
    },

    async refund(r): Promise<RefundAnswer> {
      const a = await send('POST', `/v1/orders/${encodeURIComponent(r.outTradeNo)}/refunds`, {
        outRefundNo: r.refundNo,
        amount: r.amountFen,
        reason: platformReason(r.reason),
      });
      if ('kind' in a) return a;
      const code = errorCode(a);
      const refusedAs: Record<string, 'not-paid' | 'exceeds' | 'too-many' | 'window'> = {
        PGW_ERR_REFUND_NOT_PAID: 'not-paid',
        PGW_ERR_REFUND_EXCEEDS: 'exceeds',
        PGW_ERR_REFUND_TOO_MANY: 'too-many',
        PGW_ERR_REFUND_EXPIRED: 'window',
      };
      const reason = code ? refusedAs[code] : undefined;
      if (a.status === 409 && reason) return { kind: 'refused', refundNo: r.refundNo, reason };
      // The number names another refund at the platform: asking again under it can never make this one.
      if (a.status === 409 && code === 'PGW_ERR_REFUND_NO_USED')
        return { kind: 'number-used', refundNo: r.refundNo };
      if (a.status !== 200) return { kind: 'unknown', reason: 'system-error' };
      const order = orderOf(a, r.outTradeNo);
      const refunds = order && Array.isArray(order.refunds) ? order.refunds.filter(isObject) : [];
      const mine = refunds.find((x) => x.outRefundNo === r.refundNo);
      const amountFen = mine ? int(mine, 'amount') : null;
      const at = mine ? str(mine, 'createdAt') : null;
      if (amountFen === null || at === null) return unreadable;
      return { kind: 'refunded', refundNo: r.refundNo, amountFen, at };
    },

    async settlement(day): Promise<SettlementAnswer> {
      const a = await send('GET', `/v1/settlements/${encodeURIComponent(day)}`);
      if ('kind' in a) return a;
      if (a.status === 409 && errorCode(a) === 'PGW_ERR_SETTLEMENT_NOT_READY' && isObject(a.json))
        return { kind: 'not-yet', day, availableAt: str(a.json, 'detail') ?? '' };
      if (a.status !== 200) return { kind: 'unknown', reason: 'system-error' };
      // `#` comments, the header, the lines, a blank line, then per-channel totals (not needed here).
      const lines: SettlementLine[] = [];
      for (const row of a.text.split('\n')) {
        if (row === '') break;
        if (row.startsWith('#') || row.startsWith('time,')) continue;
        const line = settlementLineOf(row.split(','));
        if (!line) return unreadable;
        lines.push(line);
      }
      return { kind: 'ready', day, lines };
    },
  };
}

/** One line of the settlement file (`time,type,channel,outTradeNo,orderNo,payId,outRefundNo,refundNo,amount`). */
function settlementLineOf(cells: readonly string[]): SettlementLine | null {
  const [at, type, channel, outTradeNo, orderNo, , outRefundNo, , amount] = cells;
  const kind = type === 'PAY' ? 'pay' : type === 'REVERSE' ? 'reverse' : type === 'REFUND' ? 'refund' : null;
  const fen = Number(amount);
  if (!kind || !at || !outTradeNo || !orderNo || !Number.isSafeInteger(fen)) return null;
  return {
    kind,
    outTradeNo,
    platformOrderNo: orderNo,
    ...(outRefundNo ? { refundNo: outRefundNo } : {}),
    amountFen: fen,
    channel: channelOf(channel),
    at,
  };
}

/**
 * [P] The reference platform takes a refund reason of at most 128 characters (apps/paygate RefundBodySchema; WeChat
 * 80, Alipay 256), the station a monitor's of up to REFUND_REASON_MAX: the platform gets the head of it (the whole
 * reason stays in the station's audit), never a body it refuses with 400, which would leave the refund unknown and
 * asked again forever. Cut by code point, so no half of a character goes out.
 */
const PAYGATE_REFUND_REASON_MAX = 128;
function platformReason(reason: string): string {
  let out = '';
  for (const ch of reason) {
    if (out.length + ch.length > PAYGATE_REFUND_REASON_MAX) break;
    out += ch;
  }
  return out;
}
