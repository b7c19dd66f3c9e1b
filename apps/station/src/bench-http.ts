import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { ClientJob, ClientMessage } from './bench-client';
import { forkBenchClient } from './bench-client-process';
import { cpuMs, quantile } from './bench-fleet';
import type { Harness } from './testing/harness';
import { type ProcStats, procStats, procStatsSince } from './testing/proc-stats';

/** What one over-HTTP run measured: the load generator in its own process, the station listening. */
export interface HttpResult {
  exitsPerSecond: number;
  commitP50: number;
  commitP99: number;
  /** 【提交数据】 → result (debit intent through commit; the card's DEBIT was done ahead) p95. */
  submitP95: number;
  /** The station process's CPU per exit (the load generator runs in its own process). */
  serverCpuMsPerExit: number;
  /** The load generator's CPU per exit (HTTP client, JSON; its card work was done before the clock). */
  clientCpuMsPerExit: number;
  /** Share of the run the station's event loop was busy: near 1, the one station thread is the limit. */
  stationLoopBusy: number;
  /** Linux only: the station's main thread's CPU, and its bytes and calls written (WAL, database, sockets). */
  perExit?: { mainThreadCpuMs: number; writeBytes: number; writeCalls: number };
  failures: number;
  /** Paced runs: p99 of how late exits started against the schedule (the station keeping up: near 0). */
  lateP99: number;
  /**
   * SQLite: the WAL flushes (fdatasync) the run's writes waited for, from the station's histogram: their
   * p99 as a bucket bound (an acknowledged write waits for one or two: the disk's share of commit latency).
   */
  walFlush?: { count: number; p99AtMostMs: number };
  /** PostgreSQL: its CPU per exit (this database's backends and the WAL writer, checkpointer, background writer). */
  databaseCpuMsPerExit?: number;
}

/** "; WAL flush p99 ≤ 5 ms" when the run's writes waited for WAL flushes (SQLite). */
export function flushNote(r: HttpResult): string {
  return r.walFlush ? `; WAL flush p99 ≤ ${r.walFlush.p99AtMostMs} ms` : '';
}

export type Buckets = { le: number; count: number }[];

/** The station's WAL flush histogram: cumulative counts by upper bound (ms, the last +Inf), in bound order. */
async function walFlushBuckets(h: Harness): Promise<Buckets> {
  const m = await h.station.metrics.walFlushSeconds.get();
  return m.values
    .filter((v) => v.metricName?.endsWith('_bucket'))
    .map((v) => ({
      le: v.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels.le) * 1000,
      count: v.value,
    }));
}

/** What a run added to the flush histogram; undefined when no flush ran (PostgreSQL). */
function walFlushSince(before: Buckets, after: Buckets): HttpResult['walFlush'] {
  const added = after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
  const count = added.at(-1)?.count ?? 0;
  if (count <= 0) return undefined;
  const p99 = added.find((b) => b.count >= 0.99 * count)?.le ?? Number.POSITIVE_INFINITY;
  return { count, p99AtMostMs: p99 };
}

/** Forks the load generator, lets it prepare and warm up, then measures the station while it runs. */
export async function runHttpClient(h: Harness, job: ClientJob): Promise<HttpResult> {
  const flushes = () => walFlushBuckets(h);
  const child = forkBenchClient();
  try {
    let c0 = 0;
    let db0: Map<number, number> | undefined;
    let proc0: ProcStats | undefined;
    let loop0 = performance.eventLoopUtilization();
    let flushes0: Buckets = [];
    const done = await new Promise<Extract<ClientMessage, { kind: 'done' }>>((resolve, reject) => {
      child.on('message', (m: ClientMessage) => {
        if (m.kind === 'ready') {
          // Snapshot the flush histogram, then start the clocks: a failed read fails the run, not the process.
          Promise.all([flushes(), databaseCpuMs(h)]).then(([b, d]) => {
            flushes0 = b;
            db0 = d;
            c0 = cpuMs();
            proc0 = procStats();
            loop0 = performance.eventLoopUtilization();
            child.send('go');
          }, reject);
        } else if (m.kind === 'done') resolve(m);
        else if (m.kind === 'error') reject(new Error(`bench client: ${m.message}`));
      });
      child.once('exit', (code) => reject(new Error(`bench client exited with ${code}`)));
      child.send(job);
    });
    const cpu = cpuMs() - c0;
    const proc = procStatsSince(proc0);
    const stationLoopBusy = performance.eventLoopUtilization(loop0).utilization;
    const walFlush = walFlushSince(flushes0, await flushes());
    const db1 = await databaseCpuMs(h);
    const dbMs = db0 && db1 ? cpuSince(db0, db1) : undefined;
    const n = done.commitMs.length;
    return {
      exitsPerSecond: n / done.seconds,
      commitP50: quantile(done.commitMs, 0.5),
      commitP99: quantile(done.commitMs, 0.99),
      submitP95: quantile(done.submitMs, 0.95),
      serverCpuMsPerExit: cpu / n,
      clientCpuMsPerExit: done.cpuMs / n,
      stationLoopBusy,
      ...(proc && {
        perExit: {
          mainThreadCpuMs: proc.mainThreadCpuMs / n,
          writeBytes: proc.writeBytes / n,
          writeCalls: proc.writeCalls / n,
        },
      }),
      failures: done.failures,
      lateP99: done.lateMs.length > 0 ? quantile(done.lateMs, 0.99) : 0,
      ...(walFlush && { walFlush }),
      ...(dbMs !== undefined && { databaseCpuMsPerExit: dbMs / n }),
    };
  } finally {
    child.kill();
  }
}

/**
 * PostgreSQL's CPU per process so far (ms by pid; Linux, server on this machine): its backends serving this
 * station's database and the processes every commit leans on (WAL writer, checkpointer, background
 * writer). Other databases' backends (other test runs) are left out. Undefined on SQLite or when /proc
 * cannot tell.
 */
async function databaseCpuMs(h: Harness): Promise<Map<number, number> | undefined> {
  if (h.db.databaseUrl === undefined) return undefined;
  try {
    const r = await sql<{ pid: number }>`
      SELECT pid FROM pg_stat_activity
      WHERE datname = current_database()
         OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`.execute(
      h.station.services.db.db,
    );
    const byPid = new Map<number, number>();
    for (const { pid } of r.rows) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(pid, (Number(f[11]) + Number(f[12])) * 10); // utime + stime, clock ticks of 10 ms
    }
    return [...byPid.values()].every(Number.isFinite) ? byPid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU used between two readings: a process started meanwhile (a new pool connection, or a pid reused)
 * counts whole; one that ended meanwhile is not counted (the pool keeps its connections while busy).
 */
function cpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, now] of after) {
    const then = before.get(pid);
    ms += then !== undefined && now >= then ? now - then : now;
  }
  return ms;
}
