import type { StoredRecord } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { receiptOf } from './receipt';

/** A committed CPC exit as the station stores it (TEST data; only the fields a receipt reads matter here). */
function stored(over: Record<string, unknown> = {}): StoredRecord {
  const record = {
    exTollStationName: '测试出口站 (TEST)',
    exTollStationId: 'G0015370010010',
    exTollLaneId: 'G0015370010010010101',
    exTime: '2026-12-06T12:30:00.000Z',
    enTollStationName: '测试入口站 (TEST)',
    enTime: '2026-12-06T10:00:00.000Z',
    vehicleId: '鲁A12345_0',
    vehicleType: 1,
    fee: 7_000,
    payType: 7,
    operId: 'TEST01',
    ...over,
  };
  return {
    tradeId: 'TEST-TRADE-1',
    kind: 'exit',
    supersedes: null,
    laneId: 'lane-1',
    cardId: '',
    vehicleId: '鲁A12345_0',
    exTime: '2026-12-06T12:30:00.000Z',
    specialTypes: [],
    exitFeeType: 3,
    fee: 7_000,
    record,
  } as unknown as StoredRecord;
}

const row = (r: ReturnType<typeof receiptOf>, k: string) => r.rows.find(([l]) => l === k)?.[1];

describe('the receipt of a committed exit', () => {
  it('prints plate, entry and exit (Beijing time), amount, method, trade ID and operator from the record', () => {
    const r = receiptOf(stored(), { reprint: false });
    expect(row(r, '车牌')).toBe('鲁A12345_0');
    expect(row(r, '入口站')).toBe('测试入口站 (TEST)');
    expect(row(r, '出口时间')).toMatch(/20:30/);
    expect(row(r, '入口时间')).toMatch(/18:00/);
    expect(row(r, '金额')).toBe('¥70.00');
    expect(row(r, '支付方式')).toBe('微信');
    expect(row(r, '交易编号')).toBe('TEST-TRADE-1');
    expect(row(r, '收费员')).toBe('TEST01');
    expect(r.reprint).toBe(false);
  });
  it('names cash, marks a reprint, and an ETC record (no payType) as ETC', () => {
    expect(row(receiptOf(stored({ payType: 1 }), { reprint: true }), '支付方式')).toBe('现金');
    expect(receiptOf(stored(), { reprint: true }).reprint).toBe(true);
    expect(row(receiptOf(stored({ payType: undefined }), { reprint: false }), '支付方式')).toBe('ETC');
  });
});
