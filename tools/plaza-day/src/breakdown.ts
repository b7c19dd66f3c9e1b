import type { VehicleResult } from './served-vehicle';

/**
 * The report's medium and payment breakdown, pure: per medium and the way the exit was paid in the end (the
 * ETC card's debit, cash, a QR channel), the vehicles, the exits committed, the fen taken and the latency of
 * the committed exits; a QR code declined and paid in cash counts under cash and in `fellBack`. An arrears
 * payback is a row of its own (medium `arrears-payback`), apart from its vehicle's toll.
 */
export interface BreakdownRow {
  medium: string;
  /** `etc-debit`, `cash`, `qr-wechat`…, `free` (a green-channel pass), or `—` for the vehicles that did not pay. */
  payment: string;
  vehicles: number;
  committed: number;
  fen: number;
  /** Committed exits whose first payment attempt was another channel (a declined QR code → cash). */
  fellBack: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function quantile(sorted: readonly number[], p: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null;
}

/** How a committed exit was paid: `etc-debit`, `free`, its payment channel; `—` for a vehicle that did not pay. */
export const paymentOf = (r: VehicleResult): string =>
  r.outcome === 'debited'
    ? 'etc-debit'
    : r.outcome === 'free'
      ? 'free'
      : r.outcome === 'paid' && r.payment
        ? r.payment.channel
        : '—';

/** An arrears payback as a row of its own (`arrears-payback`): its own payment and record, never the toll. */
function paybackAsResult(r: VehicleResult): VehicleResult | null {
  const p = r.payback;
  if (!p) return null;
  return {
    index: r.index,
    medium: r.medium,
    caseId: 'arrears-payback',
    outcome: p.tradeId && p.payment ? 'paid' : 'failed',
    fee: p.amount,
    tradeId: p.tradeId,
    endedAt: r.endedAt,
    latencyMs: 0,
    ...(p.payment ? { payment: p.payment } : {}),
  };
}

export function breakdownRows(results: readonly VehicleResult[]): BreakdownRow[] {
  const groups = new Map<string, VehicleResult[]>();
  const rows: { medium: string; r: VehicleResult }[] = results.map((r) => ({ medium: r.medium, r }));
  for (const r of results) {
    const p = paybackAsResult(r);
    if (p) rows.push({ medium: 'arrears-payback', r: p });
  }
  for (const { medium, r } of rows) {
    const k = `${medium}\u0000${paymentOf(r)}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const out: BreakdownRow[] = [];
  for (const [k, rs] of groups) {
    const [medium = '', payment = ''] = k.split('\u0000');
    const done = rs.filter((r) => r.outcome === 'debited' || r.outcome === 'paid' || r.outcome === 'free');
    // A payback's latency is inside its vehicle's (the payback, then the exit).
    const lat = medium === 'arrears-payback' ? [] : done.map((r) => r.latencyMs).sort((a, b) => a - b);
    out.push({
      medium,
      payment,
      vehicles: rs.length,
      committed: done.length,
      fen: done.reduce((a, r) => a + (r.fee ?? 0), 0),
      fellBack: done.filter((r) => r.payment && r.payment.tried !== r.payment.channel).length,
      p50: quantile(lat, 0.5),
      p95: quantile(lat, 0.95),
      p99: quantile(lat, 0.99),
    });
  }
  return out.sort(
    (a, b) =>
      a.medium.localeCompare(b.medium) ||
      Number(a.payment === '—') - Number(b.payment === '—') ||
      b.vehicles - a.vehicles,
  );
}
