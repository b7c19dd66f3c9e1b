import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from '@tollpad/domain/bench';

/**
 * `npm run bench`: one table of every performance goal of the project, each measured here in one run
 * next to its baseline. Each part contributes rows through a `run*Benchmarks()` function.
 */
type Source = { part: string; file: string; fn: string };

const SOURCES: Source[] = [
  { part: 'card', file: '../packages/card/src/bench-node.ts', fn: 'runCardBenchmarks' },
  { part: 'tariff', file: '../packages/tariff/src/bench.ts', fn: 'runTariffBenchmarks' },
  { part: 'lists', file: '../packages/lists/src/bench.ts', fn: 'runListBenchmarks' },
  { part: 'station', file: '../apps/station/src/bench.ts', fn: 'runStationBenchmarks' },
  { part: 'centre', file: '../apps/centre/src/bench.ts', fn: 'runCentreBenchmarks' },
  { part: 'path', file: '../apps/centre/src/bench-path.ts', fn: 'runPathBenchmarks' },
  // The second row of the path part: the same path through the station, beside the centre's.
  { part: 'path', file: '../tests/e2e/bench-path-station.ts', fn: 'runStationPathBenchmarks' },
  { part: 'handheld', file: '../apps/handheld/src/bench.ts', fn: 'runHandheldBenchmarks' },
  { part: 'e2e', file: '../tests/e2e/bench.ts', fn: 'runIntegrationBenchmarks' },
  { part: 'payment', file: './bench-payment.ts', fn: 'runPaymentBenchmarks' },
  // The mixed plaza day beside the ETC-only day (issue #23): two compressed days, a few minutes.
  { part: 'plaza-day', file: '../tools/plaza-day/src/bench.ts', fn: 'runPlazaDayBenchmarks' },
];

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

const USAGE = `npm run bench — every performance goal of the project measured in one run, one table

Usage: npm run bench [-- --only PART[,PART…]] [-- --help]

  --only   run only these parts: ${[...new Set(SOURCES.map((s) => s.part))].join(', ')}
           (the station's own phases: npx tsx apps/station/src/bench.ts --help)`;

/** The parts to run, from the command line: all by default. Exits on --help or a refused argument. */
function partsFromArgs(argv: readonly string[]): Source[] {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const refuse = (what: string): never => {
    process.stderr.write(`未知参数：${what}（--help 查看用法）\n\n${USAGE}\n`);
    process.exit(2);
  };
  if (argv.length === 0) return SOURCES;
  if (argv[0] !== '--only' || argv.length !== 2) return refuse(argv.join(' '));
  const names = (argv[1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !SOURCES.some((s) => s.part === n));
  if (names.length === 0 || unknown.length > 0) refuse(`--only ${argv[1] ?? ''}`);
  return SOURCES.filter((s) => names.includes(s.part));
}

/** `298/300 (99.3 %)`: how many of the timed requests answered ok. */
function answered(a: { ok: number; of: number }): string {
  const share = a.of === 0 ? 0 : (100 * a.ok) / a.of;
  return `${a.ok}/${a.of} (${Number.isInteger(share) ? share : share.toFixed(1)} %)`;
}

/** Other work on the machine skews the figures: the run states it (load averages over 1, 5, 15 minutes). */
function load(): string {
  return `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

async function main(): Promise<void> {
  const sources = partsFromArgs(process.argv.slice(2));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `# tollpad benchmarks — ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${load()}`,
  );
  const rows: BenchRow[] = [];
  for (const s of sources) {
    const path = fileURLToPath(new URL(s.file, import.meta.url));
    if (!existsSync(path)) {
      console.log(`(skipped ${s.file}: not present)`);
      continue;
    }
    const mod = (await import(path)) as Record<string, () => Promise<BenchRow[]>>;
    const run = mod[s.fn];
    if (typeof run !== 'function') {
      console.log(`(skipped ${s.file}: no ${s.fn})`);
      continue;
    }
    rows.push(...(await run()));
  }
  // The share answered ok stands beside the figure when any row times requests that can fail.
  const withOk = rows.some((r) => r.answered !== undefined);
  const table = rows.map((r) => ({
    benchmark: r.name,
    measured: Number.isNaN(r.value) ? '— (not reported)' : `${fmt(r.value)} ${r.unit}`,
    ...(withOk ? { ok: r.answered ? answered(r.answered) : '' } : {}),
    goal: r.goal ?? '',
    baseline: r.baseline ?? '',
    ratio: r.ratio === undefined || Number.isNaN(r.ratio) ? '' : `${fmt(r.ratio)}×`,
    result: r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  }));
  console.table(table);
  const failed = rows.filter((r) => r.pass === false).length;
  console.log(`${rows.length} benchmarks, ${failed} below goal; ${load()} at the end`);
}

await main();
