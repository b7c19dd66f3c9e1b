import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { hugeDimensionsPng, interlacedZerosPng, jpegClaiming } from '../testing/image-bombs';
import { DIALECTS } from '../testing/test-db';

/** What decoding any of the bombs would have cost at least (1 GiB of pixels or inflated data). */
const DECODED_BYTES = 1 << 30;

for (const dialect of DIALECTS) {
  describe(`${dialect}: decompression bombs are refused from their headers`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, { imageMaxBytes: 2 * 1024 * 1024 });
    });
    afterAll(async () => h?.close());

    const imageCount = async () =>
      (await h.station.services.db.db.selectFrom('images').select('sha256').execute()).length;

    for (const [name, bomb, code] of [
      ['a PNG announcing 100,000 × 100,000 pixels', hugeDimensionsPng, 'STN_ERR_IMAGE_DIMENSIONS'],
      ['an interlaced PNG whose 1 MiB inflates to 1 GiB', interlacedZerosPng, 'STN_ERR_IMAGE_INTERLACED'],
      [
        'a JPEG announcing 65,535 × 65,535 pixels',
        () => jpegClaiming(65_535, 65_535),
        'STN_ERR_IMAGE_DIMENSIONS',
      ],
    ] as const) {
      it(`refuses ${name} with ${code}, without decoding it`, async () => {
        const body = bomb();
        const before = await imageCount();
        const rss = process.memoryUsage().rss;
        const r = await h.call('POST', '/images', {
          token: h.tokens.collector,
          body,
          headers: { 'content-type': 'image/png' },
        });
        const grown = process.memoryUsage().rss - rss;
        expect(r.json().code).toBe(code);
        expect(r.statusCode).toBe(code === 'STN_ERR_IMAGE_INTERLACED' ? 415 : 422);
        expect(grown).toBeLessThan(DECODED_BYTES / 8);
        expect(await imageCount()).toBe(before);
      });
    }
  });
}
