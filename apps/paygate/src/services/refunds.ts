import { PaygateError } from '../errors';
import type { Order, RefundBody } from '../http/schemas';
import { type Platform, platformNumber } from './context';

const DAY_MS = 86_400_000;
/** payments.md §5: WeChat refunds up to 365 days after payment, at most 50 partial refunds per order. */
const REFUND_WINDOW_DAYS = 365;
const MAX_REFUNDS = 50;

/**
 * A refund of a paid order (partial or total, §10.9). The merchant's refund number makes it idempotent: the
 * same number for the same order and amount answers the order as it is; for anything else it is refused.
 */
export function refund(p: Platform, merchantId: string, outTradeNo: string, body: RefundBody): Order {
  const r = p.store.get(merchantId, outTradeNo);
  if (!r) throw new PaygateError('PGW_ERR_ORDER_NOT_FOUND', outTradeNo);
  const o = r.order;
  const owner = p.store.refundOwner(merchantId, body.outRefundNo);
  if (owner) {
    const same =
      owner === r && o.refunds.some((x) => x.outRefundNo === body.outRefundNo && x.amount === body.amount);
    if (!same) throw new PaygateError('PGW_ERR_REFUND_NO_USED', body.outRefundNo);
    return o;
  }
  if ((o.state !== 'SUCCESS' && o.state !== 'REFUND') || o.paidAt === null) {
    throw new PaygateError('PGW_ERR_REFUND_NOT_PAID', o.state);
  }
  const now = p.clock.now();
  if (now.getTime() - Date.parse(o.paidAt) > REFUND_WINDOW_DAYS * DAY_MS) {
    throw new PaygateError('PGW_ERR_REFUND_EXPIRED', o.paidAt);
  }
  if (o.refunds.length >= MAX_REFUNDS) throw new PaygateError('PGW_ERR_REFUND_TOO_MANY');
  if (body.amount > o.amount - o.refundedAmount) {
    throw new PaygateError('PGW_ERR_REFUND_EXCEEDS', `refundable ${o.amount - o.refundedAmount}`);
  }
  o.refunds.push({
    kind: 'REFUND',
    outRefundNo: body.outRefundNo,
    refundNo: platformNumber(p, 'refund'),
    amount: body.amount,
    reason: body.reason ?? null,
    createdAt: now.toISOString(),
  });
  o.refundedAmount += body.amount;
  o.state = 'REFUND';
  p.store.put(r);
  return o;
}
