import { describe, expect, it } from 'vitest';
import { capturesOf, settlementLines } from './settlement-file';

const DAY1 = `# TEST settlement file of the paygate reference platform (TEST money), amounts in fen
# merchant=TESTMCH0001 day=2026-12-07 (Beijing) lines=3
time,type,channel,outTradeNo,orderNo,payId,outRefundNo,refundNo,amount
2026-12-07T01:00:00.000Z,PAY,WECHAT,T1,TEST42001,P1,,,1500
2026-12-07T01:01:00.000Z,PAY,ALIPAY,T2,TEST42002,P2,,,2500
2026-12-07T01:02:00.000Z,REVERSE,ALIPAY,T2,TEST42002,P2,,RF1,2500

channel,payCount,payAmount,refundCount,refundAmount,net
ALIPAY,1,2500,1,2500,0
WECHAT,1,1500,0,0,1500
ALL,2,4000,1,2500,1500
`;

const DAY2 = `# TEST
# merchant=TESTMCH0001 day=2026-12-08 (Beijing) lines=1
time,type,channel,outTradeNo,orderNo,payId,outRefundNo,refundNo,amount
2026-12-08T01:00:00.000Z,REFUND,WECHAT,T1,TEST42001,P1,T1R1,RF2,500

channel,payCount,payAmount,refundCount,refundAmount,net
ALL,0,0,1,500,-500
`;

describe('the platform ledger from its settlement files', () => {
  it('reads the payment lines and stops at the totals', () => {
    expect(settlementLines(DAY1).map((l) => [l.type, l.outTradeNo, l.amount])).toEqual([
      ['PAY', 'T1', 1500],
      ['PAY', 'T2', 2500],
      ['REVERSE', 'T2', 2500],
    ]);
  });

  it('gives each captured order with what went back, across days', () => {
    expect(capturesOf([DAY1, DAY2])).toEqual([
      { outTradeNo: 'T1', orderNo: 'TEST42001', payId: 'P1', channel: 'WECHAT', amount: 1500, returned: 500 },
      {
        outTradeNo: 'T2',
        orderNo: 'TEST42002',
        payId: 'P2',
        channel: 'ALIPAY',
        amount: 2500,
        returned: 2500,
      },
    ]);
  });

  it('refuses what is not a settlement file', () => {
    expect(() => settlementLines('{"code":"PGW_ERR_SETTLEMENT_NOT_READY"}')).toThrow(/no header/);
  });
});
