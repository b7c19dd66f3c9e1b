/**
 * Handheld benchmarks (Node side, `npm run bench`): the build's initial JS, time to the home screen under
 * 4× CPU throttling, taps on the happy path, and 【提交数据】 → result with the simulated reader. Drives the
 * built PWA in Debian's Chromium against the real station, like the browser tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from '@tollpad/domain/bench';
import { phoneContext } from '../../../tests/browser/browser';
import { DIST_DIR, ensureHandheldBuilt } from '../../../tests/browser/build';
import { loggedInPage, type Rig, startRig, Taps, toFee, trainingVehicle } from '../../../tests/browser/setup';

/** Gzipped size of the JS the first page load needs: the entry script and its modulepreloads. */
export function initialJsGzipBytes(distDir = DIST_DIR): number {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  let total = 0;
  for (const ref of new Set(refs)) total += gzipSync(readFileSync(join(distDir, ref)), { level: 9 }).length;
  return total;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
}

/**
 * Load → home screen with its lanes, CPU throttled 4× (CDP), already logged in: each run's fresh phone
 * starts with the session cookie and stored account of one real login in the page.
 */
async function timeToHome(rig: Rig, runs: number): Promise<number[]> {
  const first = await loggedInPage(rig);
  const login = await first.context().storageState();
  await first.context().close();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await phoneContext(rig.browser, login);
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(`${rig.shellUrl}/#/home`, { waitUntil: 'commit' });
    await page.waitForSelector('[data-lane]');
    // From the navigation start as the page itself measured it.
    out.push(await page.evaluate(() => performance.now()));
    await ctx.close();
  }
  return out;
}

export async function runHandheldBenchmarks(): Promise<BenchRow[]> {
  ensureHandheldBuilt();
  const rows: BenchRow[] = [];
  const js = initialJsGzipBytes();
  rows.push({
    name: 'handheld: initial JS (gzip)',
    value: Math.round(js / 1024),
    unit: 'KB',
    goal: '≤ 200 KB',
    pass: js <= 200 * 1024,
  });
  const rig = await startRig();
  try {
    const home = await timeToHome(rig, 5);
    const med = percentile(home, 50);
    rows.push({
      name: 'handheld: load → ETC联动 home, 4× CPU throttle (median of 5)',
      value: Math.round(med),
      unit: 'ms',
      goal: '≤ 1500 ms',
      pass: med <= 1500,
    });

    const page = await loggedInPage(rig);
    const submit: number[] = [];
    let taps = 0;
    const runs = Number(process.env.HANDHELD_BENCH_RUNS ?? 20);
    for (let i = 0; i < runs; i++) {
      await trainingVehicle(page, i % 2 === 0 ? 'car' : 'truck');
      const t = new Taps(page);
      await toFee(page, rig.station.world.laneId, t, 'bench');
      const t0 = performance.now();
      await t.tap('[data-testid=submit-data]');
      await page.waitForSelector('[data-testid=result]');
      submit.push(performance.now() - t0);
      taps = t.n;
      await page.getByTestId('back-home').click();
      await page.waitForSelector('[data-lane]');
    }
    rows.push({
      name: 'handheld: happy path taps from home',
      value: taps,
      unit: 'taps',
      goal: '≤ 8',
      pass: taps <= 8,
    });
    const p95 = percentile(submit, 95);
    rows.push({
      name: `handheld: 【提交数据】 → result, simulated reader (p95 of ${runs})`,
      value: Math.round(p95),
      unit: 'ms',
      goal: '≤ 300 ms',
      baseline: `p50 ${Math.round(percentile(submit, 50))} ms`,
      pass: p95 <= 300,
    });
  } finally {
    await rig.close();
  }
  return rows;
}

// `tsx apps/handheld/src/bench.ts` prints the rows on their own.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await runHandheldBenchmarks());
}
