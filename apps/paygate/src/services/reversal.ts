import { beijingDay } from '../clock';
import { PaygateError } from '../errors';
import type { Order } from '../http/schemas';
import { type Platform, platformNumber } from './context';
import { advance } from './payments';

const DAY_MS = 86_400_000;

/**
 * Whether a reverse is still allowed, by the channel's profile (payments.md §5):
 * - WeChat: within 7 days of the order;
 * - Alipay: on the order's Beijing day only (sources differ with 24 h; the shorter is kept);
 * - UnionPay: [P] within 24 h, no source found;
 * - no channel yet (an unpaid QR order, an unrecognised code): the WeChat rule.
 */
function withinReverseWindow(o: Order, now: Date): boolean {
  const created = new Date(o.createdAt);
  switch (o.channel) {
    case 'ALIPAY':
      return beijingDay(created) === beijingDay(now);
    case 'UNIONPAY':
      return now.getTime() - created.getTime() <= DAY_MS;
    default:
      return now.getTime() - created.getTime() <= 7 * DAY_MS;
  }
}

/**
 * Reverse (撤销): closes an unpaid order, refunds a paid one in full (§10.8). Idempotent: a reversed order
 * answers as it is. Refused within the guard seconds of the order (query first), after the window, and on an
 * order that already has refunds. A number with no order is closed (a later pay under it is refused) and
 * answered PGW_ERR_ORDER_NOT_FOUND.
 */
export function reverse(p: Platform, merchantId: string, outTradeNo: string): Order {
  const r = p.store.get(merchantId, outTradeNo);
  if (!r) {
    // Never created (a pay request refused, dropped, or still on its way): the number is closed from now on,
    // so that late request is refused (payments.md §5, Alipay). The answer stays 404 — there is no order to
    // show, and a bodiless reverse knows no pay ID or amount to make one of; the station reads it as closed.
    p.store.closeNumber(merchantId, outTradeNo, p.clock.now().toISOString());
    throw new PaygateError('PGW_ERR_ORDER_NOT_FOUND', `${outTradeNo}: no order; the number is now closed`);
  }
  advance(p, r, false);
  const o = r.order;
  if (o.state === 'REVOKED') return o;
  if (o.refunds.length > 0)
    throw new PaygateError('PGW_ERR_REVERSE_REFUNDED', `${o.refundedAmount} refunded`);
  const now = p.clock.now();
  const age = now.getTime() - Date.parse(o.createdAt);
  if (age < p.config.reverseGuardSeconds * 1000) {
    throw new PaygateError('PGW_ERR_REVERSE_TOO_SOON', `${Math.floor(age / 1000)} s after the order`);
  }
  if (!withinReverseWindow(o, now)) throw new PaygateError('PGW_ERR_REVERSE_EXPIRED', o.createdAt);
  if (o.state === 'SUCCESS') {
    o.refunds.push({
      kind: 'REVERSE',
      outRefundNo: null,
      refundNo: platformNumber(p, 'refund'),
      amount: o.amount,
      reason: 'reverse',
      createdAt: now.toISOString(),
    });
    o.refundedAmount = o.amount;
  }
  o.state = 'REVOKED';
  o.closedAt = now.toISOString();
  p.store.put(r);
  return o;
}
