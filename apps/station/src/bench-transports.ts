import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from '@tollpad/domain/bench';
import type { ServerTlsOptions } from '@tollpad/server-kit';
import { BENCH_LIMITS, startFleet } from './bench-fleet';
import { type HttpResult, runHttpClient } from './bench-http';
import { loadConfig } from './config';
import { stationTls } from './http/station-tls';
import { startHarness } from './testing/harness';

/**
 * [P] 【提交数据】 → result p95 the collector may wait with TLS on: the station's share of it,
 * measured at saturation (the closed loop: every handheld back to back), the worst case.
 */
const SUBMIT_P95_GOAL_MS = 300;

/**
 * The over-HTTP phase twice in one run, on SQLite: plain HTTP, then HTTPS with a certificate from a station CA
 * made for the run (the load generator trusts that CA only, as a phone does). Each on a fresh station, so the
 * two see the same database size.
 */
export async function runTransports(o: {
  handhelds: number;
  transportExitsPerHandheld: number;
}): Promise<{ http: HttpResult; https: HttpResult }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tollpad-bench-tls-'));
  // The station's worker threads (photo decoder, WAL checkpointer) are unref'd: with no other handle open
  // between the runs, awaiting their start or shutdown would let the process end mid-bench.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    const tls = await stationTls({ ...loadConfig({}), dataDir });
    const ca = await readFile(tls.caFile, 'utf8');
    const http = await overTransport(o, undefined);
    const https = await overTransport(o, { https: tls.https, ca });
    return { http, https };
  } finally {
    clearInterval(keepAlive);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function overTransport(
  o: { handhelds: number; transportExitsPerHandheld: number },
  tls: { https: ServerTlsOptions; ca: string } | undefined,
): Promise<HttpResult> {
  const h = await startHarness('sqlite', BENCH_LIMITS, {
    poolSize: 20,
    ...(tls ? { https: tls.https } : {}),
  });
  try {
    const fleet = await startFleet(h, o.handhelds);
    const address = await h.station.app.listen({ port: 0, host: '127.0.0.1' });
    const job = fleet.clientJob(address, o.transportExitsPerHandheld, tls ? { ca: tls.ca } : {});
    return await runHttpClient(h, job);
  } finally {
    await h.close();
  }
}

export function transportRows(r: { http: HttpResult; https: HttpResult }, handhelds: number): BenchRow[] {
  const failed = (x: HttpResult) => (x.failures > 0 ? `, ${x.failures} FAILED` : '');
  const cpuRatio = r.https.serverCpuMsPerExit / r.http.serverCpuMsPerExit;
  return [
    {
      name: `station sqlite: station CPU per exit over HTTPS vs plain HTTP (${handhelds} handhelds, same run)`,
      value: r.https.serverCpuMsPerExit,
      unit: `ms (HTTP ${r.http.serverCpuMsPerExit.toFixed(2)} ms; ${r.https.exitsPerSecond.toFixed(0)} vs ${r.http.exitsPerSecond.toFixed(0)} exits/s${failed(r.https)}${failed(r.http)})`,
      baseline: `HTTP ${r.http.serverCpuMsPerExit.toFixed(2)}`,
      ratio: cpuRatio,
    },
    {
      name: `station sqlite: 【提交数据】 → result p95 over HTTPS (debit intent + commit, ${handhelds} handhelds back to back)`,
      value: r.https.submitP95,
      unit: `ms (HTTP ${r.http.submitP95.toFixed(1)} ms)`,
      goal: `≤ ${SUBMIT_P95_GOAL_MS} ms [P]`,
      baseline: `HTTP ${r.http.submitP95.toFixed(1)}`,
      ratio: r.https.submitP95 / r.http.submitP95,
      pass: r.https.submitP95 <= SUBMIT_P95_GOAL_MS && r.https.failures === 0,
    },
  ];
}
