import { beijingDay, beijingDayStart } from '../clock';
import { PaygateError } from '../errors';
import type { Channel } from '../http/schemas';
import type { Platform } from './context';

const HOUR_MS = 3_600_000;

interface Line {
  time: string;
  type: 'PAY' | 'REFUND' | 'REVERSE';
  channel: Channel | '';
  outTradeNo: string;
  orderNo: string;
  payId: string;
  outRefundNo: string;
  refundNo: string;
  amount: number;
}

export const SETTLEMENT_HEADER = 'time,type,channel,outTradeNo,orderNo,payId,outRefundNo,refundNo,amount';
export const TOTALS_HEADER = 'channel,payCount,payAmount,refundCount,refundAmount,net';

/**
 * The daily settlement file of one merchant and Beijing day (§10.11), CSV: one line per payment, reverse and
 * refund with both order numbers, then totals per channel and `ALL`. Amounts in fen (the house rule; WeChat's
 * own bill is in yuan). Published at the settlement hour of the next Beijing day, refused before.
 */
export function settlementFile(p: Platform, merchantId: string, day: string): string {
  const nextDay = new Date(beijingDayStart(day).getTime() + 24 * HOUR_MS);
  const publishedAt = new Date(nextDay.getTime() + p.config.settlementHour * HOUR_MS);
  if (p.clock.now() < publishedAt) {
    throw new PaygateError('PGW_ERR_SETTLEMENT_NOT_READY', publishedAt.toISOString());
  }
  const lines: Line[] = [];
  for (const { order: o } of p.store.merchantOrders(merchantId)) {
    const base = {
      channel: o.channel ?? '',
      outTradeNo: o.outTradeNo,
      orderNo: o.orderNo,
      payId: o.payId,
    } as const;
    if (o.paidAt && beijingDay(new Date(o.paidAt)) === day) {
      lines.push({ ...base, time: o.paidAt, type: 'PAY', outRefundNo: '', refundNo: '', amount: o.amount });
    }
    for (const r of o.refunds) {
      if (beijingDay(new Date(r.createdAt)) !== day) continue;
      lines.push({
        ...base,
        time: r.createdAt,
        type: r.kind,
        outRefundNo: r.outRefundNo ?? '',
        refundNo: r.refundNo,
        amount: r.amount,
      });
    }
  }
  lines.sort((a, b) => a.time.localeCompare(b.time) || a.orderNo.localeCompare(b.orderNo));
  const totals = new Map<
    string,
    { payCount: number; payAmount: number; refundCount: number; refundAmount: number }
  >();
  const add = (key: string, l: Line) => {
    const t = totals.get(key) ?? { payCount: 0, payAmount: 0, refundCount: 0, refundAmount: 0 };
    if (l.type === 'PAY') {
      t.payCount += 1;
      t.payAmount += l.amount;
    } else {
      t.refundCount += 1;
      t.refundAmount += l.amount;
    }
    totals.set(key, t);
  };
  for (const l of lines) {
    add(l.channel, l);
    add('ALL', l);
  }
  const out = [
    `# TEST settlement file of the paygate reference platform (TEST money), amounts in fen`,
    `# merchant=${merchantId} day=${day} (Beijing) lines=${lines.length}`,
    SETTLEMENT_HEADER,
    ...lines.map((l) =>
      [l.time, l.type, l.channel, l.outTradeNo, l.orderNo, l.payId, l.outRefundNo, l.refundNo, l.amount].join(
        ',',
      ),
    ),
    '',
    TOTALS_HEADER,
    ...[...totals.keys()]
      .filter((k) => k !== 'ALL')
      .sort()
      .concat(['ALL'])
      .map((k) => {
        const t = totals.get(k) ?? { payCount: 0, payAmount: 0, refundCount: 0, refundAmount: 0 };
        return [k, t.payCount, t.payAmount, t.refundCount, t.refundAmount, t.payAmount - t.refundAmount].join(
          ',',
        );
      }),
  ];
  return `${out.join('\n')}\n`;
}
