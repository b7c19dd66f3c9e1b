import { describe, expect, it } from 'vitest';
import { breakdownRows } from './breakdown';
import type { VehicleResult } from './served-vehicle';

const base = { caseId: 'x', tradeId: null, endedAt: 0 } as const;
const etc = (index: number, fee: number, latencyMs: number): VehicleResult => ({
  ...base,
  index,
  medium: 'etc',
  outcome: 'debited',
  fee,
  latencyMs,
});
const cpc = (
  index: number,
  channel: 'cash' | 'qr-wechat',
  tried: 'cash' | 'qr-wechat',
  fee: number,
): VehicleResult => ({
  ...base,
  index,
  medium: 'cpc',
  outcome: 'paid',
  fee,
  latencyMs: 200,
  payment: { channel, tried, tradeId: `T${index}`, passId: `P${index}`, payId: null, amount: fee },
});

describe('the medium and payment breakdown', () => {
  it('groups by medium and the way the exit was paid in the end', () => {
    const rows = breakdownRows([
      etc(0, 500, 100),
      etc(1, 700, 300),
      { ...base, index: 2, medium: 'etc', outcome: 'insufficient', fee: 900, latencyMs: 50 },
      cpc(3, 'cash', 'cash', 1000),
      cpc(4, 'cash', 'qr-wechat', 1200),
      cpc(5, 'qr-wechat', 'qr-wechat', 800),
    ]);
    expect(rows.map((r) => [r.medium, r.payment, r.vehicles, r.committed, r.fen, r.fellBack])).toEqual([
      ['cpc', 'cash', 2, 2, 2200, 1],
      ['cpc', 'qr-wechat', 1, 1, 800, 0],
      ['etc', 'etc-debit', 2, 2, 1200, 0],
      ['etc', '—', 1, 0, 0, 0],
    ]);
    expect(rows[2]).toMatchObject({ p50: 300, p95: 300, p99: 300 });
    expect(rows[3]).toMatchObject({ p50: null, p95: null, p99: null });
  });
});

describe('an arrears plate in the breakdown', () => {
  it('counts the payback in a row of its own, apart from the toll', () => {
    const exit = cpc(9, 'cash', 'cash', 1_000);
    const rows = breakdownRows([
      {
        ...exit,
        medium: 'arrears',
        payback: {
          id: 'p9',
          plate: '京A00009',
          colour: 0,
          entryIds: ['E9'],
          amount: 4_800,
          tradeId: 'TP9',
          payment: {
            channel: 'qr-wechat',
            tried: 'qr-wechat',
            tradeId: 'TP9',
            passId: 'PP9',
            payId: 'X',
            amount: 4_800,
          },
        },
      },
    ]);
    expect(rows.map((r) => [r.medium, r.payment, r.committed, r.fen])).toEqual([
      ['arrears', 'cash', 1, 1_000],
      ['arrears-payback', 'qr-wechat', 1, 4_800],
    ]);
  });
});
