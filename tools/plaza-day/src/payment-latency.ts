import type { VehicleResult } from './served-vehicle';
import type { Series } from './svg-chart';

/**
 * The report's payment latency over the day, pure: the paid exits (committed, money taken at the handheld or
 * by the ETC debit) grouped by the way they were paid in the end, each channel's p50 and p95 latency (【读卡】
 * to the committed record) per time bucket of the day, at the bucket's end. Free exits took no payment.
 */

/** A channel's latency in one bucket. */
export interface LatencyPoint {
  /** Seconds into the day: the bucket's end. */
  t: number;
  p50: number;
  p95: number;
  n: number;
}

/** [P] Each channel's line colour (the ETC debit as the day's reference, in grey). */
const COLOURS: Readonly<Record<string, string>> = {
  'etc-debit': '#7f7f7f',
  cash: '#2ca02c',
  'qr-wechat': '#1f77b4',
  'qr-alipay': '#17becf',
  'qr-unionpay': '#9467bd',
  'qr-shown': '#ff7f0e',
  'etc-card': '#d62728',
};

const quantile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** How a committed exit was paid in the end (null: not paid, or free). */
export function paidBy(r: VehicleResult): string | null {
  if (r.outcome === 'debited') return 'etc-debit';
  if (r.outcome === 'paid' && r.payment) return r.payment.channel;
  return null;
}

/** Per channel, its points over the day in buckets of `bucketS` seconds (a bucket with no exit is left out). */
export function paymentLatency(
  results: readonly VehicleResult[],
  bucketS: number,
): Map<string, LatencyPoint[]> {
  const byChannel = new Map<string, Map<number, number[]>>();
  for (const r of results) {
    const ch = paidBy(r);
    if (!ch) continue;
    const b = Math.floor(r.endedAt / 1000 / bucketS);
    const m = byChannel.get(ch) ?? new Map<number, number[]>();
    const l = m.get(b) ?? [];
    l.push(r.latencyMs);
    m.set(b, l);
    byChannel.set(ch, m);
  }
  const out = new Map<string, LatencyPoint[]>();
  for (const ch of [...byChannel.keys()].sort()) {
    const buckets = byChannel.get(ch)!;
    out.set(
      ch,
      [...buckets.keys()]
        .sort((a, b) => a - b)
        .map((b) => {
          const xs = buckets.get(b)!.sort((x, y) => x - y);
          return { t: (b + 1) * bucketS, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), n: xs.length };
        }),
    );
  }
  return out;
}

/** A bucket size giving about 20 points over a day of `wallSeconds` (at least 10 s). */
export const latencyBucketS = (wallSeconds: number) => Math.max(10, Math.ceil(wallSeconds / 20 / 10) * 10);

/** The chart's series: each channel's p50 (solid) and p95 (dashed) in the channel's colour. */
export function paymentLatencySeries(points: ReadonlyMap<string, readonly LatencyPoint[]>): Series[] {
  return [...points.entries()].flatMap(([ch, ps]) => {
    const colour = COLOURS[ch] ?? '#8c564b';
    return [
      { name: `${ch} p50`, colour, points: ps.map((p) => [p.t, p.p50] as const) },
      { name: `${ch} p95`, colour, dash: '4,3', points: ps.map((p) => [p.t, p.p95] as const) },
    ];
  });
}
