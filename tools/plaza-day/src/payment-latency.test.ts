import { describe, expect, it } from 'vitest';
import { latencyBucketS, paidBy, paymentLatency, paymentLatencySeries } from './payment-latency';
import type { VehicleResult } from './served-vehicle';

const r = (
  outcome: VehicleResult['outcome'],
  channel: string | null,
  endedS: number,
  latencyMs: number,
): VehicleResult => ({
  index: 0,
  medium: channel === null ? 'etc' : 'cpc',
  caseId: 'x',
  outcome,
  fee: 100,
  tradeId: 'T',
  endedAt: endedS * 1000,
  latencyMs,
  ...(channel
    ? {
        payment: {
          channel: channel as 'cash',
          tried: channel as 'cash',
          tradeId: 'T',
          passId: 'P',
          payId: null,
          amount: 100,
        },
      }
    : {}),
});

describe('paid-exit latency per payment channel over the day', () => {
  it('groups the paid exits by the channel that paid, p50 and p95 per bucket at its end', () => {
    const points = paymentLatency(
      [
        r('debited', null, 3, 100),
        r('debited', null, 5, 300),
        r('paid', 'cash', 4, 200),
        r('paid', 'qr-shown', 12, 900),
        r('paid', 'qr-shown', 14, 1_100),
        r('free', null, 4, 50),
        r('failed', 'cash', 4, 9_999),
      ],
      10,
    );
    expect([...points.keys()]).toEqual(['cash', 'etc-debit', 'qr-shown']);
    expect(points.get('etc-debit')).toEqual([{ t: 10, p50: 300, p95: 300, n: 2 }]);
    expect(points.get('qr-shown')).toEqual([{ t: 20, p50: 1_100, p95: 1_100, n: 2 }]);
    expect(points.get('cash')).toEqual([{ t: 10, p50: 200, p95: 200, n: 1 }]);
  });

  it('leaves free and unpaid exits out, and draws p95 dashed in its channel’s colour', () => {
    expect(paidBy(r('free', null, 1, 1))).toBeNull();
    expect(paidBy(r('failed', 'cash', 1, 1))).toBeNull();
    const series = paymentLatencySeries(paymentLatency([r('paid', 'etc-card', 1, 400)], 10));
    expect(series.map((s) => [s.name, s.dash ?? null])).toEqual([
      ['etc-card p50', null],
      ['etc-card p95', '4,3'],
    ]);
    expect(series[0]!.colour).toBe(series[1]!.colour);
  });

  it('buckets a day into about 20 points, never under 10 s', () => {
    expect(latencyBucketS(60)).toBe(10);
    expect(latencyBucketS(700)).toBe(40);
  });
});
