import type { VehicleResult } from './served-vehicle';

/**
 * The report's medium and payment breakdown, pure: per medium and the way the exit was paid in the end (the
 * ETC card's debit, cash, a QR channel), the vehicles, the exits committed, the fen taken and the latency of
 * the committed exits; a QR code declined and paid in cash counts under cash and in `fellBack`.
 */
export interface BreakdownRow {
  medium: string;
  /** `etc-debit`, `cash`, `qr-wechat`…, or `—` for the vehicles that did not pay. */
  payment: string;
  vehicles: number;
  committed: number;
  fen: number;
  /** Committed exits whose first payment attempt was another channel (a declined QR code → cash). */
  fellBack: number;
  p50: number | null;
  p95: number | null;
}

function quantile(sorted: readonly number[], p: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null;
}

const paymentOf = (r: VehicleResult): string =>
  r.outcome === 'debited' ? 'etc-debit' : r.outcome === 'paid' && r.payment ? r.payment.channel : '—';

export function breakdownRows(results: readonly VehicleResult[]): BreakdownRow[] {
  const groups = new Map<string, VehicleResult[]>();
  for (const r of results) {
    const k = `${r.medium}\u0000${paymentOf(r)}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const rows: BreakdownRow[] = [];
  for (const [k, rs] of groups) {
    const [medium = '', payment = ''] = k.split('\u0000');
    const done = rs.filter((r) => r.outcome === 'debited' || r.outcome === 'paid');
    const lat = done.map((r) => r.latencyMs).sort((a, b) => a - b);
    rows.push({
      medium,
      payment,
      vehicles: rs.length,
      committed: done.length,
      fen: done.reduce((a, r) => a + (r.fee ?? 0), 0),
      fellBack: done.filter((r) => r.payment && r.payment.tried !== r.payment.channel).length,
      p50: quantile(lat, 0.5),
      p95: quantile(lat, 0.95),
    });
  }
  return rows.sort(
    (a, b) =>
      a.medium.localeCompare(b.medium) ||
      Number(a.payment === '—') - Number(b.payment === '—') ||
      b.vehicles - a.vehicles,
  );
}
