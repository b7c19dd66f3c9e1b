import type { ArrearsPayback } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { PAYBACK_RECEIPT_TITLE, paybackReceiptOf } from './payback-receipt';

const TRADE = 'G00153700100100101012026120600000001';

/** A committed payback as the station shows it (TEST data). */
function payback(over: Partial<ArrearsPayback> = {}): ArrearsPayback {
  return {
    id: 'TEST-PB-1',
    state: 'committed',
    laneId: 'G0015370010010010101',
    shiftId: 'TEST-SHIFT',
    vehicleId: '鲁A11801_0',
    entries: [
      { id: 'TEST-ARR-0001', confirmedEscapeTypeName: '闯关逃费', oweFee: 3_580 },
      { id: 'TEST-ARR-0002', confirmedEscapeTypeName: '倒换卡逃费', oweFee: 1_250 },
    ] as unknown as ArrearsPayback['entries'],
    amount: 4_830,
    exitTxnId: null,
    tradeId: TRADE,
    debit: null,
    upload: 'pending',
    uploadCode: null,
    record: {
      id: TRADE,
      vehicleId: '鲁A11801_0',
      entryIds: ['TEST-ARR-0001', 'TEST-ARR-0002'],
      paybackFee: 4_830,
      payType: 1,
      exTollStationId: 'G0015370010010',
      laneId: 'G0015370010010010101',
      payTime: '2026-12-06T12:30:00.000Z',
      operId: 'TEST01',
      shiftId: 'TEST-SHIFT',
    },
    createdAt: '2026-12-06T12:29:00.000Z',
    ...over,
  };
}

const row = (r: NonNullable<ReturnType<typeof paybackReceiptOf>>, k: string) =>
  r.rows.find(([l]) => l === k)?.[1];

describe('the receipt of a payback (补缴)', () => {
  it('is its own receipt, marked 补缴, with the entries and why, the amount, method, time and trade ID', () => {
    const r = paybackReceiptOf(payback(), { reprint: false });
    expect(r?.title).toBe(PAYBACK_RECEIPT_TITLE);
    expect(r?.title).toContain('补缴');
    if (!r) throw new Error('no receipt');
    expect(row(r, '补缴车牌')).toBe('鲁A11801_0');
    expect(row(r, '欠费条目')).toBe('TEST-ARR-0001 闯关逃费 ¥35.80；TEST-ARR-0002 倒换卡逃费 ¥12.50');
    expect(row(r, '补缴金额')).toBe('¥48.30');
    expect(row(r, '支付方式')).toBe('现金');
    expect(row(r, '补缴时间')).toMatch(/20:30/);
    expect(row(r, '交易编号')).toBe(TRADE);
    expect(r.tradeId).toBe(TRADE);
  });
  it('has none before the payback is committed', () => {
    expect(
      paybackReceiptOf(payback({ record: null, state: 'debit_pending' }), { reprint: false }),
    ).toBeNull();
  });
});
