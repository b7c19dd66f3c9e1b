import { lookupMinFee } from '@tollpad/tariff';
import type { DialectName } from './db/database';
import { type Harness, startHarness } from './testing/harness';
import { type CommitBody, SimHandheld, type VehicleSpec } from './testing/sim-handheld';
import { configureWorld, TEST_WORLD, testReference } from './testing/world';

/**
 * Station benchmarks (`npm run bench`): 50 concurrent simulated handhelds (TEST cards, TEST PSAMs) running
 * full exit lifecycles against one in-process station (Fastify inject: no sockets), SQLite and PostgreSQL
 * side by side. Two phases per engine:
 *  - lifecycle: 【读卡】→ image → 【算费】→ debit intent → real simulated purchase → 【提交数据】, exits/s;
 *  - commit: transactions prepared up to the debit, then 50 handhelds commit at once — the commit latency
 *    (record + outbox + state + audit in one DB transaction, fsync'd on SQLite with synchronous=FULL).
 * Goals (issue #5, 2 cores): p99 commit ≤ 20 ms and ≥ 1,000 exits/s on SQLite.
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

export interface StationBenchOptions {
  handhelds?: number;
  exitsPerHandheld?: number;
  commitsPerHandheld?: number;
  dialects?: readonly DialectName[];
}

interface EngineResult {
  exitsPerSecond: number;
  lifecycleCommitP50: number;
  lifecycleCommitP99: number;
  commitP50: number;
  commitP99: number;
  commitsPerSecond: number;
  /** CPU time of this process per unit (robust to other load on the machine). */
  cpuMsPerExit: number;
  cpuMsPerCommit: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

async function runEngine(dialect: DialectName, o: Required<StationBenchOptions>): Promise<EngineResult> {
  const h: Harness = await startHarness(dialect, { rateLimitPerMinute: 100_000_000 }, { poolSize: 20 });
  try {
    await configureWorld(h);
    const m = lookupMinFee(
      testReference().tariff.tables,
      TEST_WORLD.entryStationHex,
      TEST_WORLD.stationId,
      1,
    );
    if (!m.ok || !m.value.reachable) throw new Error('TEST tariff');
    const fee95 = m.value.fee95;
    const handhelds: SimHandheld[] = [];
    for (let i = 0; i < o.handhelds; i++) {
      const id = `HH-BENCH-${i}`;
      const psam = `0152${i.toString(16).toUpperCase().padStart(8, '0')}`;
      await h.station.services.config.putTerminal(
        { id, psamTerminalNo: psam, description: 'bench (TEST)', enabled: true },
        'bench',
      );
      const { token } = await h.station.services.auth.login('test-collector', 'test-password-TEST', id);
      handhelds.push(new SimHandheld(h.http, token, TEST_WORLD.laneId, psam));
    }
    let serial = 1;
    const vehicle = (): VehicleSpec => ({
      serial: serial++,
      plate: '浙A12345',
      colour: 0,
      vehicleClass: 1,
      cardType: serial % 2 === 0 ? 'stored-value' : 'account',
      balance: 1_000_000,
      entryStationHex: TEST_WORLD.entryStationHex,
      entryTime: new Date(h.clock.now.getTime() - 3600_000),
      obuDiscountTotal: fee95,
    });
    // Warm-up: one exit per handheld (photo upload, PSAM open, JIT).
    await Promise.all(handhelds.map((hh) => hh.runExit(vehicle())));

    const lifecycleCommits: number[] = [];
    const c0 = cpuMs();
    const t0 = performance.now();
    await Promise.all(
      handhelds.map(async (hh) => {
        for (let k = 0; k < o.exitsPerHandheld; k++) {
          await hh.runExit(vehicle(), { onCommitTime: (ms) => lifecycleCommits.push(ms) });
        }
      }),
    );
    const lifecycleSeconds = (performance.now() - t0) / 1000;
    const lifecycleCpu = cpuMs() - c0;

    const prepared: { hh: SimHandheld; txnId: string; body: CommitBody }[][] = [];
    for (const hh of handhelds) {
      const mine: { hh: SimHandheld; txnId: string; body: CommitBody }[] = [];
      for (let k = 0; k < o.commitsPerHandheld; k++) {
        const r = await hh.runExit(vehicle(), { commit: false });
        mine.push({ hh, txnId: r.txnId, body: r.commitBody });
      }
      prepared.push(mine);
    }
    const commits: number[] = [];
    const c1 = cpuMs();
    const t1 = performance.now();
    await Promise.all(
      prepared.map(async (mine) => {
        for (const p of mine) {
          const s = performance.now();
          await p.hh.call('POST', `/exits/${p.txnId}/commit`, p.body);
          commits.push(performance.now() - s);
        }
      }),
    );
    const commitSeconds = (performance.now() - t1) / 1000;
    const commitCpu = cpuMs() - c1;
    return {
      exitsPerSecond: lifecycleCommits.length / lifecycleSeconds,
      lifecycleCommitP50: quantile(lifecycleCommits, 0.5),
      lifecycleCommitP99: quantile(lifecycleCommits, 0.99),
      commitP50: quantile(commits, 0.5),
      commitP99: quantile(commits, 0.99),
      commitsPerSecond: commits.length / commitSeconds,
      cpuMsPerExit: lifecycleCpu / lifecycleCommits.length,
      cpuMsPerCommit: commitCpu / commits.length,
    };
  } finally {
    await h.close();
  }
}

export async function runStationBenchmarks(options: StationBenchOptions = {}): Promise<BenchRow[]> {
  const o: Required<StationBenchOptions> = {
    handhelds: options.handhelds ?? 50,
    exitsPerHandheld: options.exitsPerHandheld ?? 6,
    commitsPerHandheld: options.commitsPerHandheld ?? 6,
    dialects: options.dialects ?? ['sqlite', 'postgres'],
  };
  const results = new Map<DialectName, EngineResult>();
  const rows: BenchRow[] = [];
  for (const d of o.dialects) {
    try {
      results.set(d, await runEngine(d, o));
    } catch (e) {
      rows.push({
        name: `station ${d}: benchmark failed (${String(e).slice(0, 80)})`,
        value: 0,
        unit: '',
        pass: false,
      });
    }
  }
  const base = results.get('sqlite');
  for (const [d, r] of results) {
    const sqlite = d === 'sqlite';
    const vs = (v: number, b: number | undefined) =>
      !sqlite && b !== undefined ? { baseline: `SQLite ${b.toFixed(1)}`, ratio: v / b } : {};
    const who = `${o.handhelds} handhelds`;
    rows.push(
      {
        name: `station ${d}: full exit lifecycles, ${who}`,
        value: r.exitsPerSecond,
        unit: 'exits/s',
        ...(sqlite ? { goal: '≥ 1000 (SQLite, 2 cores)', pass: r.exitsPerSecond >= 1000 } : {}),
        ...vs(r.exitsPerSecond, base?.exitsPerSecond),
      },
      {
        name: `station ${d}: commit p50 (commit-only phase, ${who})`,
        value: r.commitP50,
        unit: 'ms',
        ...vs(r.commitP50, base?.commitP50),
      },
      {
        name: `station ${d}: commit p99 (commit-only phase, ${who})`,
        value: r.commitP99,
        unit: 'ms',
        ...(sqlite ? { goal: '≤ 20 (SQLite)', pass: r.commitP99 <= 20 } : {}),
        ...vs(r.commitP99, base?.commitP99),
      },
      {
        name: `station ${d}: commits/s (commit-only phase)`,
        value: r.commitsPerSecond,
        unit: 'commits/s',
        ...vs(r.commitsPerSecond, base?.commitsPerSecond),
      },
      {
        name: `station ${d}: CPU per full exit (server + simulated handhelds and cards, one process)`,
        value: r.cpuMsPerExit,
        unit: 'ms',
        ...vs(r.cpuMsPerExit, base?.cpuMsPerExit),
      },
      {
        name: `station ${d}: CPU per commit request (server side, in-process)`,
        value: r.cpuMsPerCommit,
        unit: 'ms',
        ...vs(r.cpuMsPerCommit, base?.cpuMsPerCommit),
      },
      {
        name: `station ${d}: commit p50 / p99 inside lifecycles`,
        value: r.lifecycleCommitP50,
        unit: `ms / ${r.lifecycleCommitP99.toFixed(1)} ms`,
      },
    );
  }
  return rows;
}

// Run directly: `npx tsx apps/station/src/bench.ts`
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runStationBenchmarks();
  console.table(rows);
}
