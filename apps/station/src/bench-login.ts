import { performance } from 'node:perf_hooks';
import type { BenchRow } from '@tollpad/domain/bench';
import { quantile } from './bench-fleet';
import { DEFAULT_KDF } from './services/password';
import { startHarness } from './testing/harness';

/** [P] How far apart the two medians may be before the refusal tells a guesser which usernames exist. */
const LOGIN_TIMING_TOLERANCE = 0.2;

/**
 * Median time of a login for an unknown username over that of a wrong password for a real one, with the
 * production KDF: both must cost one KDF run, so the ratio stays near 1.
 */
export async function loginTimingRow(samples = 11): Promise<BenchRow> {
  const h = await startHarness('sqlite', {}, { kdf: DEFAULT_KDF });
  try {
    const time = async (username: string, i: number) => {
      const t0 = performance.now();
      // A distinct source per attempt, so no back-off holds the wrong-password attempts.
      await h.station.services.auth
        .login(username, 'wrong-password', null, `bench-${username}-${i}`)
        .catch(() => {});
      return performance.now() - t0;
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < samples; i++) {
      unknown.push(await time(`bench-nobody-${i}`, i));
      wrong.push(await time('test-collector', i));
    }
    const ratio = quantile(unknown, 0.5) / quantile(wrong, 0.5);
    return {
      name: 'station: login time, unknown username / wrong password (medians, production KDF)',
      value: ratio,
      unit: `× (${quantile(unknown, 0.5).toFixed(0)} / ${quantile(wrong, 0.5).toFixed(0)} ms)`,
      goal: `within ${1 - LOGIN_TIMING_TOLERANCE}–${1 + LOGIN_TIMING_TOLERANCE}`,
      pass: Math.abs(ratio - 1) <= LOGIN_TIMING_TOLERANCE,
    };
  } finally {
    await h.close();
  }
}
