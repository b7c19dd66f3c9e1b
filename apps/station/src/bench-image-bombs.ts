import { performance } from 'node:perf_hooks';
import type { BenchRow } from '@tollpad/domain/bench';
import { startHarness } from './testing/harness';
import { hugeDimensionsPng, interlacedZerosPng, jpegClaiming } from './testing/image-bombs';
import { TEST_PNG } from './testing/sim-handheld';

/** [P] A bomb must be refused this fast: from its header, before any decoding. */
const REFUSED_WITHIN_MS = 100;
/** [P] And the station's memory must grow by less than this (decoding any of them costs ≥ 1 GiB). */
const RSS_GROWTH_LIMIT = 64 * 1024 * 1024;

/**
 * Each TEST decompression bomb uploaded as a collector would (through the whole HTTP stack, inject):
 * the time to its refusal and the growth of the station's resident memory meanwhile.
 */
export async function imageBombRows(): Promise<BenchRow[]> {
  const h = await startHarness('sqlite', { imageMaxBytes: 2 * 1024 * 1024 });
  try {
    const upload = (body: Buffer) =>
      h.call('POST', '/images', {
        token: h.tokens.collector,
        body,
        headers: { 'content-type': 'image/png' },
      });
    await upload(TEST_PNG); // warm-up: the route, the decoder thread
    const rows: BenchRow[] = [];
    for (const [name, bomb] of [
      ['PNG announcing 100,000 × 100,000 pixels', hugeDimensionsPng()],
      ['interlaced PNG, 1 MiB inflating to 1 GiB', interlacedZerosPng()],
      ['JPEG announcing 65,535 × 65,535 pixels', jpegClaiming(65_535, 65_535)],
    ] as const) {
      const rss = process.memoryUsage().rss;
      const t0 = performance.now();
      const r = await upload(bomb);
      const ms = performance.now() - t0;
      const grown = process.memoryUsage().rss - rss;
      const refused = r.statusCode >= 400 && r.statusCode < 500;
      rows.push({
        name: `station: decompression bomb refused (${name})`,
        value: ms,
        unit: `ms (${r.json().code}, rss +${(grown / 1024 / 1024).toFixed(1)} MiB)`,
        goal: `< ${REFUSED_WITHIN_MS} ms, rss + < ${RSS_GROWTH_LIMIT / 1024 / 1024} MiB`,
        pass: refused && ms < REFUSED_WITHIN_MS && grown < RSS_GROWTH_LIMIT,
      });
    }
    return rows;
  } finally {
    await h.close();
  }
}
