import { type ArrearsPaybackRecord, type Fen, formatYuan, type NationalPayType } from '@tollpad/domain';
import type { ArrearsPayback } from '@tollpad/station-api';
import { beijing, PAY_TYPE_NAMES, type Receipt } from './receipt';

/** The receipt's title: its own, marked 补缴 — a payback is never a toll (payments.md §9 [P]). */
export const PAYBACK_RECEIPT_TITLE = '追缴欠费补缴收据（补缴）';

/**
 * The receipt of a committed payback from the station's payback record (never from what the handheld
 * remembers): plate, the entries paid for with why, the amount, method, time, trade ID and operator. Null while
 * the payback has no record (not committed).
 */
export function paybackReceiptOf(p: ArrearsPayback, opts: { reprint: boolean }): Receipt | null {
  if (!p.record) return null;
  const r = p.record as unknown as ArrearsPaybackRecord;
  const entries = p.entries
    .filter((e) => r.entryIds.includes(e.id))
    .map((e) => `${e.id} ${e.confirmedEscapeTypeName} ¥${formatYuan(e.oweFee as Fen)}`);
  const rows: [string, string][] = [
    ['补缴车牌', r.vehicleId],
    ['欠费条目', entries.join('；') || r.entryIds.join('；')],
    ['补缴金额', `¥${formatYuan(r.paybackFee as Fen)}`],
    ['支付方式', PAY_TYPE_NAMES[r.payType as NationalPayType] ?? `payType ${r.payType}`],
    ['补缴时间', beijing(r.payTime)],
    ['车道', r.laneId],
    ['交易编号', r.id],
    ['收费员', r.operId],
  ];
  return { title: PAYBACK_RECEIPT_TITLE, reprint: opts.reprint, tradeId: r.id, rows };
}
