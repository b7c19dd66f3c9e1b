import { describe, expect, it } from 'vitest';
import { type PaymentFacts, reconcilePayments } from './reconcile-payments';

/**
 * Three CPC vehicles: one paid by WeChat, one by cash, one declined by Alipay then paid cash; a vehicle with no
 * card paid by the driver's ETC card.
 */
function day(): PaymentFacts {
  return {
    captures: [
      { outTradeNo: 'O1', orderNo: 'TEST1', payId: 'P1', channel: 'WECHAT', amount: 1500, returned: 0 },
    ],
    stationPayments: [
      { outTradeNo: 'O1', payId: 'P1', txnId: 'x1', phase: 'succeeded', amount: 1500, recordedTradeId: 'T1' },
      { outTradeNo: 'O3', payId: 'P3', txnId: 'x3', phase: 'failed', amount: 800, recordedTradeId: null },
    ],
    paidRecords: [
      {
        tradeId: 'T1',
        medium: 'cpc',
        kind: 'exit',
        txnId: 'x1',
        passId: 'PASS1',
        cpcId: 'C1',
        payType: 7,
        fee: 1500,
        writeFailed: false,
      },
      {
        tradeId: 'T2',
        medium: 'cpc',
        kind: 'exit',
        txnId: 'x2',
        passId: 'PASS2',
        cpcId: 'C2',
        payType: 1,
        fee: 2200,
        writeFailed: false,
      },
      {
        tradeId: 'T3',
        medium: 'cpc',
        kind: 'exit',
        txnId: 'x3',
        passId: 'PASS3',
        cpcId: 'C3',
        payType: 1,
        fee: 800,
        writeFailed: true,
      },
      {
        tradeId: 'T6',
        medium: 'none',
        kind: 'exit',
        txnId: 'x6',
        passId: 'PASS6',
        cpcId: '',
        payType: 4,
        fee: 1200,
        writeFailed: false,
      },
    ],
    etcCardLog: [
      {
        tradeId: 'T6',
        passId: 'PASS6',
        cardNo: '99010000000060000006',
        amount: 1200,
        debits: [{ atc: 0, amount: 1200 }],
      },
    ],
    cashLog: [
      { tradeId: 'T2', passId: 'PASS2', amount: 2200, tendered: 5000, change: 2800 },
      { tradeId: 'T3', passId: 'PASS3', amount: 800, tendered: 800, change: 0 },
    ],
    cpcCards: [
      { cpcId: 'C1', passId: 'PASS1', exitWritten: true, closed: true, cardWrite: 'written' },
      { cpcId: 'C2', passId: 'PASS2', exitWritten: true, closed: true, cardWrite: 'written' },
      { cpcId: 'C3', passId: 'PASS3', exitWritten: false, closed: true, cardWrite: 'not-written' },
      { cpcId: 'C4', passId: 'PASS4', exitWritten: false, closed: false, cardWrite: null },
    ],
    cpcStock: { collected: 3, writeFailed: 1 },
    passOfTxn: new Map([
      ['x1', 'PASS1'],
      ['x2', 'PASS2'],
      ['x3', 'PASS3'],
    ]),
  };
}

const line = (f: PaymentFacts, id: string) => reconcilePayments(f).find((l) => l.id === id)!;

describe('the payments of a mixed day', () => {
  it('is all true for a consistent day', () => {
    const lines = reconcilePayments(day());
    expect(lines.map((l) => [l.id, l.ok])).toEqual([
      ['capture-one-record', true],
      ['cash-one-record', true],
      ['etc-card-one-record', true],
      ['paid-once-per-pass', true],
      ['no-payment-unknown', true],
      ['cpc-collected', true],
    ]);
    expect(lines[0]!.detail).toContain('1 captures at the platform, 1500 fen');
    expect(lines[1]!.detail).toContain('2 cash payments, 3000 fen (tendered 5800, change 2800)');
  });

  it('finds a capture without a record, and a QR record without a capture', () => {
    const f = day();
    f.captures = [
      ...f.captures,
      { outTradeNo: 'O9', orderNo: 'TEST9', payId: 'P9', channel: 'ALIPAY', amount: 700, returned: 0 },
    ];
    expect(line(f, 'capture-one-record').detail).toContain('1 without a record');
    const g = day();
    g.captures = [];
    const l = line(g, 'capture-one-record');
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('1 QR records, 1 without a capture');
  });

  it('keeps a capture reversed in full apart, and finds one recorded on the wrong channel or amount', () => {
    const f = day();
    f.captures = [
      ...f.captures,
      { outTradeNo: 'O8', orderNo: 'TEST8', payId: 'P8', channel: 'WECHAT', amount: 900, returned: 900 },
    ];
    expect(line(f, 'capture-one-record').ok).toBe(true);
    const g = day();
    g.captures = [{ ...g.captures[0]!, channel: 'ALIPAY' }];
    expect(line(g, 'capture-one-record').detail).toContain('1 amount or channel mismatches');
  });

  it('finds cash without a record, a cash record nobody took, and wrong change', () => {
    const f = day();
    f.cashLog = f.cashLog.slice(0, 1);
    expect(line(f, 'cash-one-record').detail).toContain('1 not in a cash log');
    const g = day();
    g.cashLog = [...g.cashLog, { tradeId: 'T7', passId: 'PASS7', amount: 100, tendered: 100, change: 0 }];
    expect(line(g, 'cash-one-record').ok).toBe(false);
    const h = day();
    h.cashLog = [{ ...h.cashLog[0]!, change: 2700 }, h.cashLog[1]!];
    expect(line(h, 'cash-one-record').detail).toContain('1 with tendered − change ≠ fee');
  });

  it('finds a driver’s ETC card debited without a record, twice, or a payType-4 record no card paid', () => {
    const f = day();
    f.paidRecords = f.paidRecords.filter((r) => r.tradeId !== 'T6');
    expect(line(f, 'etc-card-one-record').detail).toContain('1 without a record');
    const g = day();
    g.etcCardLog = [
      {
        ...g.etcCardLog![0]!,
        debits: [
          { atc: 0, amount: 1200 },
          { atc: 1, amount: 1200 },
        ],
      },
    ];
    const l = line(g, 'etc-card-one-record');
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('1 cards not debited exactly once by the fee');
    const h = day();
    h.etcCardLog = [];
    expect(line(h, 'etc-card-one-record').detail).toContain('1 payType-4 records, 1 without a card debit');
    const k = day();
    k.cashLog = [...k.cashLog, { tradeId: 'T9', passId: 'PASS6', amount: 1200, tendered: 1200, change: 0 }];
    expect(line(k, 'paid-once-per-pass').detail).toContain('1 paid more than once');
  });

  it('finds a vehicle that paid twice: a capture and cash for one PassID', () => {
    const f = day();
    f.cashLog = [...f.cashLog, { tradeId: 'T1', passId: 'PASS1', amount: 1500, tendered: 1500, change: 0 }];
    const l = line(f, 'paid-once-per-pass');
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('1 paid more than once');
  });

  it('finds a payment left unknown, and one paid without its record', () => {
    const f = day();
    f.stationPayments = [
      ...f.stationPayments,
      { outTradeNo: 'O5', payId: 'P5', txnId: 'x5', phase: 'unknown', amount: 1, recordedTradeId: null },
    ];
    expect(line(f, 'no-payment-unknown').detail).toContain('1 not final (1 unknown)');
    const g = day();
    g.stationPayments = [{ ...g.stationPayments[0]!, recordedTradeId: null }, g.stationPayments[1]!];
    expect(line(g, 'no-payment-unknown').ok).toBe(false);
  });

  it('finds a CPC written without a record and a shift report that miscounts', () => {
    const f = day();
    f.cpcCards = [
      ...f.cpcCards,
      { cpcId: 'C5', passId: 'PASS5', exitWritten: true, closed: true, cardWrite: 'written' },
    ];
    expect(line(f, 'cpc-collected').detail).toContain('1 written without a record');
    const g = day();
    g.cpcStock = { collected: 3, writeFailed: 0 };
    expect(line(g, 'cpc-collected').ok).toBe(false);
  });

  it('counts a failed write whose card was torn after the write and not put back apart, and finds the wrong ones', () => {
    const f = day();
    f.cpcCards = f.cpcCards.map((c) => (c.cpcId === 'C3' ? { ...c, exitWritten: true } : c));
    const l = line(f, 'cpc-collected');
    expect(l.ok).toBe(true);
    expect(l.detail).toContain('1 write failed (1 of those cards hold it after all');
    const g = day();
    g.cpcCards = g.cpcCards.map((c) => (c.cpcId === 'C1' ? { ...c, exitWritten: false } : c));
    expect(line(g, 'cpc-collected').detail).toContain('1 written but not on the card');
    expect(line(g, 'cpc-collected').ok).toBe(false);
    const h = day();
    h.cpcCards = h.cpcCards.map((c) => (c.cpcId === 'C3' ? { ...c, closed: false } : c));
    expect(line(h, 'cpc-collected').detail).toContain('1 not collected');
    expect(line(h, 'cpc-collected').ok).toBe(false);
    const k = day();
    k.cpcCards = k.cpcCards.map((c) => (c.cpcId === 'C4' ? { ...c, closed: true } : c));
    expect(line(k, 'cpc-collected').detail).toContain('1 collected without a record');
    expect(line(k, 'cpc-collected').ok).toBe(false);
  });
});
