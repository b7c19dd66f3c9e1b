import { type Fen, formatYuan, type NationalPayType } from '@tollpad/domain';
import type { StoredRecord } from '@tollpad/station-api';

/** The receipt's method names by national payType (payments.md §1). */
export const PAY_TYPE_NAMES: Record<NationalPayType, string> = {
  1: '现金',
  2: '其他第三方支付',
  3: '银联卡',
  4: 'ETC用户卡',
  6: '支付宝',
  7: '微信',
};

/** A receipt as printed: its title, its lines, and whether it is a reprint (重打, payments.md §8). */
export interface Receipt {
  title: string;
  reprint: boolean;
  tradeId: string;
  rows: readonly (readonly [string, string])[];
}

export const beijing = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

/** What a payType-less record (an ETC exit) was paid with: the card's own trade. */
function methodOf(r: StoredRecord['record']): string {
  return 'payType' in r && typeof r.payType === 'number'
    ? (PAY_TYPE_NAMES[r.payType as NationalPayType] ?? `payType ${r.payType}`)
    : 'ETC';
}

/**
 * The receipt of a committed exit from the station's record (never from what the handheld remembers): station,
 * lane, entry and exit, plate, class, amount, method, trade ID, operator (payments.md §8 [P]).
 */
export function receiptOf(stored: StoredRecord, opts: { reprint: boolean }): Receipt {
  const r = stored.record;
  const rows: [string, string][] = [
    ['出口站', r.exTollStationName],
    ['车道', r.exTollLaneId],
    ['出口时间', beijing(r.exTime)],
    ['车牌', r.vehicleId],
    ['车型', String(r.vehicleType)],
    ['入口站', r.enTollStationName ?? r.enTollStationId ?? '—'],
    ['入口时间', beijing(r.enTime)],
    ['金额', `¥${formatYuan(r.fee as Fen)}`],
    ['支付方式', methodOf(r)],
    ['交易编号', stored.tradeId],
    ['收费员', r.operId],
  ];
  return { title: '车辆通行费收据', reprint: opts.reprint, tradeId: stored.tradeId, rows };
}
