import { availableParallelism } from 'node:os';
import type { BenchRow } from '@tollpad/domain/bench';
import { BENCH_LIMITS, startFleet } from './bench-fleet';
import { flushNote, type HttpResult, runHttpClient } from './bench-http';
import { imageBombRows } from './bench-image-bombs';
import { type InProcessResult, runInProcess } from './bench-inprocess';
import { loginTimingRow } from './bench-login';
import { runTransports, transportRows } from './bench-transports';
import type { DialectName } from './db/database';
import { type Harness, startHarness } from './testing/harness';

/**
 * Station benchmarks (`npm run bench`): simulated handhelds (TEST cards, TEST PSAMs) running full exit
 * lifecycles against one station, SQLite and PostgreSQL side by side in one run.
 *
 * The goals are measured at a stated offered load, open loop: the exits start on a schedule at
 * GOAL_EXITS_PER_SECOND whether or not the previous ones are done, the handhelds in a separate process
 * talking HTTP to the listening station (on 2 cores: one for the station, one for the load generator and
 * the database). Per engine: commit p99 at that load, and the station process's CPU per exit.
 *
 * At saturation (every handheld back to back, closed loop) a request waits handhelds / throughput whatever
 * the station does, so latency there measures the load generator's queue: those phases are information
 * rows with no goal (the throughput the station reached, its CPU per unit).
 */
export interface StationBenchOptions {
  handhelds?: number;
  exitsPerHandheld?: number;
  commitsPerHandheld?: number;
  liveExitsPerHandheld?: number;
  /** Offered loads of the paced phases (the first carries the goals; see PACED_EXITS_PER_SECOND). */
  pacedExitsPerSecond?: readonly number[];
  dialects?: readonly DialectName[];
  /** Exits per handheld of each of the plain-HTTP and HTTPS runs (kept short: a few seconds each). */
  transportExitsPerHandheld?: number;
  /** Which phases run (all by default); e.g. only `paced` while working on commit latency. */
  phases?: readonly StationPhase[];
}

export const STATION_PHASES = [
  'paced',
  'saturated',
  'in-process',
  'transports',
  'image-bombs',
  'login',
] as const;
export type StationPhase = (typeof STATION_PHASES)[number];

/**
 * The goal load: China's average expressway exit rate, ~370 exits/s (reference performance-figures §2, [I]),
 * all through this one station — far above any real plaza, whose handheld fleet makes a few requests per
 * second (ibid. §4). The peak day's ~614 exits/s is measured beside it, as information.
 */
export const GOAL_EXITS_PER_SECOND = 370;
export const PACED_EXITS_PER_SECOND = [GOAL_EXITS_PER_SECOND, 614] as const;
/** [P] "record persisted ≤ 50 ms" of the end-to-end budget (performance-figures §6), as commit p99. */
const COMMIT_P99_GOAL_MS = 50;
/** [P] The whole country's average exit rate fits one core (performance-figures §6, P6): CPU per exit. */
const CPU_PER_EXIT_GOAL_MS = 1000 / GOAL_EXITS_PER_SECOND;
/** A paced run that completes less than this share of the offered rate did not hold the load. */
const HELD_SHARE = 0.95;
/**
 * An engine that does not hold the goal load is stepped down these rates until one holds, for the highest
 * paced rate it holds, which must be at least ten times a busy plaza's peak.
 */
const STEP_DOWN_EXITS_PER_SECOND = [300, 250, 200, 150, 100] as const;
const HELD_FLOOR_EXITS_PER_SECOND = 100;

interface EngineResult {
  inProcess?: InProcessResult;
  saturated?: HttpResult;
  paced: { rate: number; result: HttpResult }[];
  /** The highest paced rate run that held with commit p99 within the goal (none: undefined). */
  held?: { rate: number; result: HttpResult };
}

/** Held: commit p99 within the goal, no failure, and (nearly) the offered rate completed. */
function holds(rate: number, p: HttpResult): boolean {
  return p.commitP99 <= COMMIT_P99_GOAL_MS && p.failures === 0 && p.exitsPerSecond >= HELD_SHARE * rate;
}

async function runEngine(dialect: DialectName, o: Required<StationBenchOptions>): Promise<EngineResult> {
  const h: Harness = await startHarness(dialect, BENCH_LIMITS, { poolSize: 20 });
  const has = (p: StationPhase) => o.phases.includes(p);
  try {
    const fleet = await startFleet(h, o.handhelds);
    const result: EngineResult = { paced: [] };
    if (has('in-process')) result.inProcess = await runInProcess(h, fleet, o);
    const address = await h.station.app.listen({ port: 0, host: '127.0.0.1' });
    const overHttp = (pace?: number) =>
      runHttpClient(
        h,
        fleet.clientJob(address, o.exitsPerHandheld, pace ? { paceExitsPerSecond: pace } : {}),
      );
    if (has('saturated')) result.saturated = await overHttp();
    if (has('paced')) {
      for (const rate of o.pacedExitsPerSecond) result.paced.push({ rate, result: await overHttp(rate) });
      const goal = result.paced.find((p) => p.rate === GOAL_EXITS_PER_SECOND);
      if (goal && holds(goal.rate, goal.result)) result.held = goal;
      else if (goal) {
        for (const rate of STEP_DOWN_EXITS_PER_SECOND) {
          const run = { rate, result: await overHttp(rate) };
          if (holds(rate, run.result)) {
            result.held = run;
            break;
          }
        }
      }
    }
    return result;
  } finally {
    await h.close();
  }
}

export async function runStationBenchmarks(options: StationBenchOptions = {}): Promise<BenchRow[]> {
  const o: Required<StationBenchOptions> = {
    handhelds: options.handhelds ?? 50,
    exitsPerHandheld: options.exitsPerHandheld ?? 40,
    commitsPerHandheld: options.commitsPerHandheld ?? 6,
    liveExitsPerHandheld: options.liveExitsPerHandheld ?? 2,
    pacedExitsPerSecond: options.pacedExitsPerSecond ?? PACED_EXITS_PER_SECOND,
    dialects: options.dialects ?? ['sqlite', 'postgres'],
    transportExitsPerHandheld: options.transportExitsPerHandheld ?? 30,
    phases: options.phases ?? STATION_PHASES,
  };
  // The station's worker threads (photo decoder, WAL checkpointer) and timers are unref'd: while the bench
  // awaits only them (a photo decoding under inject, no socket open), the process would end mid-run.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return await stationRows(o);
  } finally {
    clearInterval(keepAlive);
  }
}

async function stationRows(o: Required<StationBenchOptions>): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const results = new Map<DialectName, EngineResult>();
  if (o.phases.some((p) => p === 'paced' || p === 'saturated' || p === 'in-process')) {
    for (const d of o.dialects) {
      try {
        results.set(d, await runEngine(d, o));
      } catch (e) {
        rows.push(failedRow(`station ${d}`, e));
      }
    }
  }
  rows.push(...engineRows(results, o.handhelds));
  const extra: [StationPhase, string, () => Promise<BenchRow[]>][] = [
    ['transports', 'HTTP vs HTTPS', async () => transportRows(await runTransports(o), o.handhelds)],
    ['image-bombs', 'image bombs', imageBombRows],
    ['login', 'login timing', async () => [await loginTimingRow()]],
  ];
  for (const [phase, what, run] of extra) {
    if (!o.phases.includes(phase)) continue;
    try {
      rows.push(...(await run()));
    } catch (e) {
      rows.push(failedRow(`station: ${what}`, e));
    }
  }
  return rows;
}

function failedRow(what: string, e: unknown): BenchRow {
  return { name: `${what}: benchmark failed (${String(e).slice(0, 80)})`, value: 0, unit: '', pass: false };
}

type Measure = Omit<BenchRow, 'name' | 'baseline' | 'ratio'> & { name: string };

/**
 * Each measure as one row per engine, SQLite's first, so the engines sit side by side; PostgreSQL's row
 * carries SQLite's value as its baseline and the ratio.
 */
function engineRows(results: Map<DialectName, EngineResult>, handhelds: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const base = results.get('sqlite');
  const sideBySide = (measure: (r: EngineResult) => Measure | undefined) => {
    const b = base && measure(base);
    for (const [d, r] of results) {
      const m = measure(r);
      if (!m) continue;
      const vs =
        d !== 'sqlite' && b ? { baseline: `SQLite ${b.value.toFixed(2)}`, ratio: m.value / b.value } : {};
      rows.push({ ...m, name: `station ${d}: ${m.name}`, ...vs });
    }
  };
  const who = `${handhelds} handhelds over HTTP`;
  const paced = (r: EngineResult, rate: number) => r.paced.find((p) => p.rate === rate)?.result;
  const ran = (p: HttpResult) =>
    `ran ${p.exitsPerSecond.toFixed(0)} exits/s, starts late p99 ${p.lateP99.toFixed(1)} ms${flushNote(p)}${failures(p)}`;

  // The goals, at the goal load.
  const goal = GOAL_EXITS_PER_SECOND;
  sideBySide((r) => {
    const p = paced(r, goal);
    if (!p) return undefined;
    return {
      name: `commit p99 at ${goal} exits/s offered (open loop, ${who})`,
      value: p.commitP99,
      unit: `ms (p50 ${p.commitP50.toFixed(1)} ms; ${ran(p)})`,
      goal: `≤ ${COMMIT_P99_GOAL_MS} ms at ≥ ${HELD_SHARE * 100} % of the offered rate [P]`,
      pass: holds(goal, p),
    };
  });
  sideBySide((r) => {
    const atGoal = paced(r, goal);
    if (!atGoal) return undefined;
    const h = r.held;
    // The CPU the goal load takes, every process counted: more cores than the machine has cannot be held.
    const perExit =
      atGoal.serverCpuMsPerExit + atGoal.clientCpuMsPerExit + (atGoal.databaseCpuMsPerExit ?? 0);
    const cores = `${goal} exits/s takes ${((perExit * goal) / 1000).toFixed(1)} cores of ${availableParallelism()}`;
    return {
      name: `highest paced rate held with commit p99 ≤ ${COMMIT_P99_GOAL_MS} ms (${goal}, else stepped down ${STEP_DOWN_EXITS_PER_SECOND.join(', ')})`,
      value: h?.rate ?? 0,
      unit: h
        ? `exits/s (commit p99 ${h.result.commitP99.toFixed(1)} ms; station CPU ${h.result.serverCpuMsPerExit.toFixed(2)} ms/exit${h.result.databaseCpuMsPerExit === undefined ? '' : `, PostgreSQL ${h.result.databaseCpuMsPerExit.toFixed(2)} ms/exit`}; station event loop busy ${(100 * h.result.stationLoopBusy).toFixed(0)} %; ${cores})`
        : `exits/s (none held; ${cores})`,
      goal: `≥ ${HELD_FLOOR_EXITS_PER_SECOND} exits/s (ten times a busy plaza's peak, where ${goal} is not held)`,
      pass: (h?.rate ?? 0) >= HELD_FLOOR_EXITS_PER_SECOND,
    };
  });
  sideBySide((r) => {
    const p = paced(r, goal);
    if (!p) return undefined;
    const db =
      p.databaseCpuMsPerExit === undefined ? '' : `PostgreSQL ${p.databaseCpuMsPerExit.toFixed(2)} ms; `;
    return {
      name: `station process CPU per exit at ${goal} exits/s (${db ? 'PostgreSQL; ' : ''}load generator; station event loop busy)`,
      value: p.serverCpuMsPerExit,
      unit: `ms (${db}${p.clientCpuMsPerExit.toFixed(2)} ms; ${(100 * p.stationLoopBusy).toFixed(0)} %)`,
      goal: `≤ ${CPU_PER_EXIT_GOAL_MS.toFixed(2)} ms (${goal} exits/s on one core) [P]`,
      pass: p.serverCpuMsPerExit <= CPU_PER_EXIT_GOAL_MS,
    };
  });

  // Information: other paced loads, then saturation.
  const others = [...new Set([...results.values()].flatMap((r) => r.paced.map((p) => p.rate)))];
  for (const rate of others.filter((x) => x !== goal)) {
    sideBySide((r) => {
      const p = paced(r, rate);
      return (
        p && {
          name: `commit p99 at ${rate} exits/s offered`,
          value: p.commitP99,
          unit: `ms (p50 ${p.commitP50.toFixed(1)} ms; ${ran(p)})`,
        }
      );
    });
  }
  sideBySide(
    ({ saturated: s }) =>
      s && {
        name: `saturation, ${who} back to back: exits/s`,
        value: s.exitsPerSecond,
        unit: `exits/s (commit p50 ${s.commitP50.toFixed(1)} / p99 ${s.commitP99.toFixed(1)} ms, the queue's${failures(s)})`,
      },
  );
  sideBySide(
    ({ saturated: s }) =>
      s && {
        name: 'saturation: station process CPU per exit (load generator; station event loop busy)',
        value: s.serverCpuMsPerExit,
        unit: `ms (${s.clientCpuMsPerExit.toFixed(2)} ms; ${(100 * s.stationLoopBusy).toFixed(0)} %)`,
      },
  );
  sideBySide(
    ({ saturated: s }) =>
      s?.perExit && {
        name: 'saturation: station main thread CPU per exit (writes per exit: bytes, calls)',
        value: s.perExit.mainThreadCpuMs,
        unit: `ms (${(s.perExit.writeBytes / 1024).toFixed(0)} KiB, ${s.perExit.writeCalls.toFixed(0)} calls)`,
      },
  );
  inProcessRows(sideBySide, handhelds);
  return rows;
}

function inProcessRows(
  sideBySide: (measure: (r: EngineResult) => Measure | undefined) => void,
  handhelds: number,
): void {
  const who = `${handhelds} handhelds`;
  const each: ((x: InProcessResult) => Measure)[] = [
    (x) => ({
      name: `in process, saturation: full exit lifecycles, ${who} (card work done ahead, on the handhelds)`,
      value: x.exitsPerSecond,
      unit: `exits/s (commit p50 ${x.lifecycleCommitP50.toFixed(1)} / p99 ${x.lifecycleCommitP99.toFixed(1)} ms)`,
    }),
    (x) => ({
      name: 'in process: CPU per exit (5 requests, server + inject client, one process)',
      value: x.cpuMsPerExit,
      unit: 'ms',
    }),
    (x) => ({
      name: `in process, burst: ${who} commit at once: commits/s`,
      value: x.commitsPerSecond,
      unit: `commits/s (p50 ${x.commitP50.toFixed(1)} / p99 ${x.commitP99.toFixed(1)} ms)`,
    }),
    (x) => ({ name: 'in process, burst: CPU per commit request', value: x.cpuMsPerCommit, unit: 'ms' }),
    (x) => ({
      name: 'in process: CPU per trivial request (GET /auth/me, the floor)',
      value: x.cpuMsPerTrivialRequest,
      unit: 'ms',
    }),
    (x) => ({
      name: 'in process: exits/s with live simulated cards in the same process',
      value: x.liveExitsPerSecond,
      unit: `exits/s (CPU ${x.liveCpuMsPerExit.toFixed(1)} ms/exit)`,
    }),
  ];
  for (const m of each) sideBySide((r) => r.inProcess && m(r.inProcess));
}

function failures(r: HttpResult): string {
  return r.failures > 0 ? `, ${r.failures} FAILED` : '';
}

const USAGE = `Usage: npx tsx apps/station/src/bench.ts [--phases P,…] [--dialects sqlite,postgres] [--rates N,…]

  --phases    ${STATION_PHASES.join(', ')} (all by default)
  --dialects  the engines (both by default)
  --rates     offered loads of the paced phase, exits/s (default ${PACED_EXITS_PER_SECOND.join(', ')})`;

/** The direct run's options; --help prints the usage. */
function cliOptions(argv: string[]): StationBenchOptions {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const list = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? (argv[i + 1] ?? '').split(',').filter(Boolean) : undefined;
  };
  const phases = list('--phases');
  const dialects = list('--dialects');
  const rates = list('--rates');
  for (const p of phases ?? []) {
    if (!(STATION_PHASES as readonly string[]).includes(p))
      throw new Error(`unknown phase ${p}: ${STATION_PHASES}`);
  }
  return {
    ...(phases && { phases: phases as StationPhase[] }),
    ...(dialects && { dialects: dialects as DialectName[] }),
    ...(rates && { pacedExitsPerSecond: rates.map(Number) }),
  };
}

// Run directly: `npx tsx apps/station/src/bench.ts`
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runStationBenchmarks(cliOptions(process.argv.slice(2)));
  console.table(rows.map((r) => ({ ...r, value: Number(r.value.toFixed(2)), ratio: r.ratio?.toFixed(2) })));
}
