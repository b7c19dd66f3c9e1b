/**
 * The payment platform's ledger as the plaza day reads it: the daily settlement files (apps/paygate's CSV,
 * payments.md §10.11) folded into one line per captured order — what the platform holds of the driver's
 * money once its reverses and refunds are taken off. Pure.
 */

/** One order the platform captured (its PAY line), with what went back since (REVERSE, REFUND). */
export interface Capture {
  outTradeNo: string;
  orderNo: string;
  payId: string;
  /** The paygate's channel: WECHAT, ALIPAY, UNIONPAY. */
  channel: string;
  amount: number;
  /** Reversed or refunded, fen. */
  returned: number;
}

const HEADER = 'time,type,channel,outTradeNo,orderNo,payId,outRefundNo,refundNo,amount';

/** The PAY, REVERSE and REFUND lines of one settlement file (its totals block is left out). */
export function settlementLines(
  csv: string,
): { type: string; channel: string; outTradeNo: string; orderNo: string; payId: string; amount: number }[] {
  const rows = csv.split('\n');
  const start = rows.indexOf(HEADER);
  if (start < 0) throw new Error('not a paygate settlement file (no header line)');
  const out = [];
  for (const row of rows.slice(start + 1)) {
    if (row.trim() === '') break; // the totals block follows the blank line
    const [, type = '', channel = '', outTradeNo = '', orderNo = '', payId = '', , , amount = ''] =
      row.split(',');
    const n = Number(amount);
    if (!Number.isInteger(n)) throw new Error(`settlement line with amount “${amount}”: ${row}`);
    out.push({ type, channel, outTradeNo, orderNo, payId, amount: n });
  }
  return out;
}

/** Every captured order of these files, by out-trade-no (a PAY counted once even if two days list it). */
export function capturesOf(files: readonly string[]): Capture[] {
  const byNo = new Map<string, Capture>();
  const returned = new Map<string, number>();
  for (const csv of files) {
    for (const l of settlementLines(csv)) {
      if (l.type === 'PAY') {
        byNo.set(l.outTradeNo, {
          outTradeNo: l.outTradeNo,
          orderNo: l.orderNo,
          payId: l.payId,
          channel: l.channel,
          amount: l.amount,
          returned: 0,
        });
      } else returned.set(l.outTradeNo, (returned.get(l.outTradeNo) ?? 0) + l.amount);
    }
  }
  return [...byNo.values()].map((c) => ({ ...c, returned: returned.get(c.outTradeNo) ?? 0 }));
}
