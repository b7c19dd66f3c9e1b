import { describe, expect, it } from 'vitest';
import {
  cashPerShiftLine,
  clearingGroupOf,
  clearingPerMediumLine,
  settlementPerChannelLine,
} from './reconcile-money';
import type { PaidRecordFact } from './reconcile-payments';
import type { Capture } from './settlement-file';

const rec = (tradeId: string, payType: number, fee: number, kind = 'exit'): PaidRecordFact => ({
  tradeId,
  medium: 'cpc',
  kind,
  txnId: `x-${tradeId}`,
  passId: `P-${tradeId}`,
  cpcId: `C-${tradeId}`,
  payType,
  fee,
  writeFailed: false,
});

const cap = (outTradeNo: string, channel: string, amount: number, returned = 0): Capture => ({
  outTradeNo,
  orderNo: `TEST-${outTradeNo}`,
  payId: `pay-${outTradeNo}`,
  channel,
  amount,
  returned,
});

describe('cash counted = cash expected per shift', () => {
  const log = [
    { shiftId: 'S1', amount: 1500 },
    { shiftId: 'S1', amount: 800 },
    { shiftId: 'S2', amount: 4000 },
  ];
  it('holds when every till equals the station’s expected cash', () => {
    const l = cashPerShiftLine(
      [
        { shiftId: 'S1', expected: 2300, counted: 2300, difference: 0 },
        { shiftId: 'S2', expected: 4000, counted: 4000, difference: 0 },
        { shiftId: 'S3', expected: 0, counted: 0, difference: 0 },
      ],
      log,
    );
    expect(l.ok).toBe(true);
    expect(l.detail).toContain('3 shifts handed over, 6300 fen counted, 6300 fen expected');
  });
  it('fails when the station expects a fen more than a till holds', () => {
    const l = cashPerShiftLine(
      [
        { shiftId: 'S1', expected: 2301, counted: 2300, difference: -1 },
        { shiftId: 'S2', expected: 4000, counted: 4000, difference: 0 },
      ],
      log,
    );
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('S1: till 2300, expected 2301');
  });
  it('fails when cash was taken in a shift that was never handed over', () => {
    const l = cashPerShiftLine([{ shiftId: 'S1', expected: 2300, counted: 2300, difference: 0 }], log);
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('1 tills of a shift the station did not hand over');
  });
});

describe('station records = settlement file per channel', () => {
  const records = [
    rec('T1', 7, 1500),
    rec('T2', 6, 900),
    rec('T3', 1, 2000),
    rec('T4', 7, 300, 'arrears-payback'),
  ];
  it('holds when every channel agrees in count and fen (cash and free exits left out)', () => {
    const l = settlementPerChannelLine(
      [...records, rec('T5', 1, 0)],
      [
        cap('O1', 'WECHAT', 1500),
        cap('O2', 'ALIPAY', 900),
        cap('O4', 'WECHAT', 300),
        cap('O9', 'WECHAT', 700, 700),
      ],
    );
    expect(l.ok).toBe(true);
    expect(l.detail).toContain('WECHAT station 2 / 1800 fen, platform 2 / 1800 fen');
  });
  it('fails on one fen', () => {
    const l = settlementPerChannelLine(records, [
      cap('O1', 'WECHAT', 1501),
      cap('O2', 'ALIPAY', 900),
      cap('O4', 'WECHAT', 300),
    ]);
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('differ: WECHAT');
  });
  it('fails on a capture of a channel the station has no record of', () => {
    const l = settlementPerChannelLine(records, [
      cap('O1', 'WECHAT', 1500),
      cap('O2', 'ALIPAY', 900),
      cap('O4', 'WECHAT', 300),
      cap('O5', 'UNIONPAY', 100),
    ]);
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('differ: UNIONPAY');
  });
});

describe('centre clearing = station records per medium and payType', () => {
  const station = [
    { mediaType: 1, payType: null, fee: 1000 },
    { mediaType: 1, payType: null, fee: 500 },
    { mediaType: 2, payType: 1, fee: 2000 },
    { mediaType: 2, payType: 7, fee: 700 },
    { mediaType: 9, payType: 6, fee: 3300 },
    { mediaType: 2, payType: 4, fee: 1200 },
  ];
  const rows = [
    { group: '9901', records: 1, fee: 1000 },
    { group: '3201', records: 1, fee: 500 },
    { group: 'CPC·现金', records: 1, fee: 2000 },
    { group: 'CPC·微信', records: 1, fee: 700 },
    { group: '无卡·支付宝', records: 1, fee: 3300 },
    { group: 'CPC·ETC用户卡', records: 1, fee: 1200 },
  ];
  it('names groups as the centre does', () => {
    expect(clearingGroupOf({ mediaType: 2, payType: 1 })).toBe('CPC·现金');
    expect(clearingGroupOf({ mediaType: 9, payType: 2 })).toBe('无卡·其他第三方');
    expect(clearingGroupOf({ mediaType: 1, payType: null })).toBe('ETC');
  });
  it('holds when each group agrees (the ETC issuers together)', () => {
    const l = clearingPerMediumLine(station, rows);
    expect(l.ok).toBe(true);
    expect(l.detail).toContain('ETC 2 / 1500 fen');
  });
  it('fails when one record is cleared under another payType (same total)', () => {
    const moved = rows.map((r) => (r.group === 'CPC·微信' ? { ...r, group: 'CPC·支付宝' } : r));
    const l = clearingPerMediumLine(station, moved);
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('differ: CPC·微信, CPC·支付宝');
  });
});
