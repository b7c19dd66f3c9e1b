import type { BenchRow } from '@tollpad/domain/bench';
import { paymentOf, quantile } from './breakdown';
import { NO_FAULT_ARGS, parseOptions } from './options';
import { killAllChildren } from './processes';
import { type RunSummary, runPlazaDay } from './run';
import type { VehicleResult } from './served-vehicle';

/**
 * `npm run bench -- --only plaza-day` (issue #23, performance): the mixed day (the default mix and payment
 * shares) beside the ETC-only day (`--mix etc=100`), the same seed and vehicle count, one after the other in
 * this run, on SQLite, without injected faults so that the ratios show what the mix costs, not where the
 * faults fell (the full day with its faults reports its own figures). Information rows: the issue names
 * figures to show, no goal. PLAZA_BENCH_EXITS sets the vehicles of each day (default 3000).
 */
const EXITS = Number(process.env.PLAZA_BENCH_EXITS ?? 3_000);

async function day(mix: string[]): Promise<RunSummary> {
  const o = parseOptions(['--exits', String(EXITS), ...mix, ...NO_FAULT_ARGS]);
  try {
    return await runPlazaDay(o, { stopping: false, log: () => {} });
  } catch (e) {
    killAllChildren();
    throw e;
  }
}

/** The way a committed exit was paid (the breakdown's), or null for a vehicle that did not pay. */
const channelOf = (r: VehicleResult): string | null => (paymentOf(r) === '—' ? null : paymentOf(r));

function latencies(s: RunSummary, channel: string): number[] {
  return s.results
    .filter((r) => channelOf(r) === channel)
    .map((r) => r.latencyMs)
    .sort((a, b) => a - b);
}

const QUANTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

export async function runPlazaDayBenchmarks(): Promise<BenchRow[]> {
  const etcOnly = await day(['--mix', 'etc=100']);
  const mixed = await day([]);
  const reconciled = (s: RunSummary) => ({ ok: s.lines.filter((l) => l.ok).length, of: s.lines.length });
  const rate = (s: RunSummary) => s.results.length / Math.max(1, s.wallSeconds);
  const rows: BenchRow[] = [
    {
      name: `plaza day ${EXITS} vehicles, mixed: throughput (reconciliation lines true)`,
      value: rate(mixed),
      unit: 'exits/s',
      baseline: `ETC-only ${rate(etcOnly).toFixed(1)} (${reconciled(etcOnly).ok}/${reconciled(etcOnly).of} lines)`,
      ratio: rate(mixed) / rate(etcOnly),
      answered: reconciled(mixed),
    },
  ];
  const base = latencies(etcOnly, 'etc-debit');
  const channels = [...new Set(mixed.results.map(channelOf).filter((c): c is string => c !== null))].sort();
  for (const channel of channels) {
    const xs = latencies(mixed, channel);
    for (const [q, p] of QUANTILES) {
      const v = quantile(xs, p) ?? Number.NaN;
      const b = quantile(base, p) ?? Number.NaN;
      rows.push({
        name: `plaza day mixed: ${channel} exit latency ${q} (${xs.length} exits)`,
        value: v,
        unit: 'ms',
        baseline: `ETC-only debit ${b} ms`,
        ratio: v / b,
      });
    }
  }
  return rows;
}
