import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { envOnlyCommandLine } from '@tollpad/server-kit';

/**
 * `npm run bench`: one table of every performance goal of the project, each measured here in one run
 * next to its baseline. Each part contributes rows through a `run*Benchmarks()` function.
 */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  baseline?: string;
  ratio?: number;
  pass?: boolean;
}

type Source = { file: string; fn: string };

const SOURCES: Source[] = [
  { file: '../packages/card/src/bench-node.ts', fn: 'runCardBenchmarks' },
  { file: '../packages/tariff/src/bench.ts', fn: 'runTariffBenchmarks' },
  { file: '../packages/lists/src/bench.ts', fn: 'runListBenchmarks' },
  { file: '../apps/station/src/bench.ts', fn: 'runStationBenchmarks' },
  { file: '../apps/centre/src/bench.ts', fn: 'runCentreBenchmarks' },
  { file: '../apps/handheld/src/bench.ts', fn: 'runHandheldBenchmarks' },
  { file: '../tests/e2e/bench.ts', fn: 'runIntegrationBenchmarks' },
];

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

const USAGE = `npm run bench — every performance goal of the project measured in one run, one table

Usage: npm run bench [-- --help]`;

async function main(): Promise<void> {
  envOnlyCommandLine(process.argv.slice(2), USAGE);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `# tollpad benchmarks — ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  const rows: BenchRow[] = [];
  for (const s of SOURCES) {
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
  const table = rows.map((r) => ({
    benchmark: r.name,
    measured: `${fmt(r.value)} ${r.unit}`,
    goal: r.goal ?? '',
    baseline: r.baseline ?? '',
    ratio: r.ratio === undefined ? '' : `${fmt(r.ratio)}×`,
    result: r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  }));
  console.table(table);
  const failed = rows.filter((r) => r.pass === false).length;
  console.log(`${rows.length} benchmarks, ${failed} below goal`);
}

await main();
