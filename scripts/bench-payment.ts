import type { BenchRow } from '@tollpad/domain/bench';
import { runHandheldPaymentBenchmarks } from '../apps/handheld/src/bench-payment';
import { runPaymentStationBenchmarks } from '../apps/station/src/bench-payment';

/**
 * `npm run bench -- --only payment` (issue #21): the handheld's side (first-screen JS without the camera
 * decoder, scan → decoded in Chromium), then the station's (【支付】 → confirmed against the reference
 * platform, at once and after a password wait; payment commits/s on SQLite and PostgreSQL).
 */
export async function runPaymentBenchmarks(): Promise<BenchRow[]> {
  const rows = await runHandheldPaymentBenchmarks();
  // The station's worker threads and timers are unref'd: keep the process alive while only they run.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    rows.push(...(await runPaymentStationBenchmarks()));
  } finally {
    clearInterval(keepAlive);
  }
  return rows;
}
