import { performance } from 'node:perf_hooks';
import { cpuMs, type Fleet, quantile } from './bench-fleet';
import { prepareExits } from './bench-prepare';
import type { Harness } from './testing/harness';
import type { CommitBody, PreparedExit, SimHandheld } from './testing/sim-handheld';

/**
 * The in-process phases (Fastify inject: no sockets; the handhelds share the station's thread), each at
 * saturation — every handheld back to back — so they are information, not goals:
 *  - lifecycle: 【读卡】→ image → 【算费】→ debit intent → 【提交数据】 with the card work (read + composite
 *    purchase on the simulated card and PSAM) done BEFORE the clock starts — on a real plaza that work runs
 *    on the handhelds, not on the station, so it must not count as station time or CPU;
 *  - commit burst: transactions prepared up to the debit, then all handhelds commit at once (worst case);
 *  - live cards: the same lifecycle with the card simulator in the loop (one process does both);
 *  - the floor: CPU of a trivial authenticated request.
 * CPU is this process's user+system time per unit: robust against other load on the machine.
 */
export interface InProcessResult {
  exitsPerSecond: number;
  lifecycleCommitP50: number;
  lifecycleCommitP99: number;
  cpuMsPerExit: number;
  commitP50: number;
  commitP99: number;
  commitsPerSecond: number;
  cpuMsPerCommit: number;
  liveExitsPerSecond: number;
  liveCpuMsPerExit: number;
  cpuMsPerTrivialRequest: number;
}

export async function runInProcess(
  h: Harness,
  fleet: Fleet,
  o: { exitsPerHandheld: number; commitsPerHandheld: number; liveExitsPerHandheld: number },
): Promise<InProcessResult> {
  const { handhelds, fee, vehicle } = fleet;
  const prepare = (n: number) => prepareExits(handhelds, n, vehicle, fee);
  const runPrepared = async (batches: PreparedExit[][], onCommitTime?: (ms: number) => void) => {
    await Promise.all(
      batches.map(async (mine, i) => {
        const hh = handhelds[i] as SimHandheld;
        for (const x of mine) await hh.runPrepared(x, onCommitTime ? { onCommitTime } : {});
      }),
    );
  };

  // Trivial authenticated route: the floor of what one request costs here (inject, auth, hooks).
  // (enough warm-up for the optimising compiler: with 200 calls the floor read 3× too high)
  for (let i = 0; i < 3000; i++) await h.call('GET', '/auth/me', { token: h.tokens.collector });
  const trivialN = 5000;
  const ct = cpuMs();
  for (let i = 0; i < trivialN; i++) await h.call('GET', '/auth/me', { token: h.tokens.collector });
  const cpuMsPerTrivialRequest = (cpuMs() - ct) / trivialN;

  // Lifecycle, card work prepared ahead.
  await runPrepared(await prepare(10)); // warm-up
  const batches = await prepare(o.exitsPerHandheld);
  const lifecycleCommits: number[] = [];
  const c0 = cpuMs();
  const t0 = performance.now();
  await runPrepared(batches, (ms) => lifecycleCommits.push(ms));
  const lifecycleSeconds = (performance.now() - t0) / 1000;
  const lifecycleCpu = cpuMs() - c0;

  // Commit burst: everything up to the debit first, then all handhelds commit at once.
  const prepared: { hh: SimHandheld; txnId: string; body: CommitBody }[][] = [];
  const toCommit = await prepare(o.commitsPerHandheld);
  for (const [i, mine] of toCommit.entries()) {
    const hh = handhelds[i] as SimHandheld;
    const list: { hh: SimHandheld; txnId: string; body: CommitBody }[] = [];
    for (const x of mine) {
      const r = await hh.runPrepared(x, { commit: false });
      list.push({ hh, txnId: r.txnId, body: r.commitBody });
    }
    prepared.push(list);
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

  // Live cards in the loop (server + simulator in one process).
  let live = 0;
  const c2 = cpuMs();
  const t2 = performance.now();
  await Promise.all(
    handhelds.map(async (hh) => {
      for (let k = 0; k < o.liveExitsPerHandheld; k++) {
        await hh.runExit(vehicle());
        live++;
      }
    }),
  );
  const liveSeconds = (performance.now() - t2) / 1000;
  const liveCpu = cpuMs() - c2;

  return {
    exitsPerSecond: lifecycleCommits.length / lifecycleSeconds,
    lifecycleCommitP50: quantile(lifecycleCommits, 0.5),
    lifecycleCommitP99: quantile(lifecycleCommits, 0.99),
    cpuMsPerExit: lifecycleCpu / lifecycleCommits.length,
    commitP50: quantile(commits, 0.5),
    commitP99: quantile(commits, 0.99),
    commitsPerSecond: commits.length / commitSeconds,
    cpuMsPerCommit: commitCpu / commits.length,
    liveExitsPerSecond: live / liveSeconds,
    liveCpuMsPerExit: liveCpu / live,
    cpuMsPerTrivialRequest,
  };
}
