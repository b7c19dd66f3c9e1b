import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { TEST_PNG } from '../testing/sim-handheld';
import { DIALECTS } from '../testing/test-db';

/** A TEST JPEG, 320×240. */
const TEST_JPEG = (() => {
  const w = 320;
  const h = 240;
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([i % 251, (i >> 8) % 251, 90, 255], i * 4);
  return Buffer.from(jpeg.encode({ width: w, height: h, data }, 80).data);
})();

const LIMIT = TEST_JPEG.length + 1024;

for (const dialect of DIALECTS) {
  describe(`${dialect}: images`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, { imageMaxBytes: LIMIT });
    });
    afterAll(async () => h?.close());

    const upload = (body: Buffer, type = 'image/jpeg') =>
      h.call('POST', '/images', { token: h.tokens.collector, body, headers: { 'content-type': type } });

    it('stores a JPEG by sha256 with a downscaled JPEG thumbnail', async () => {
      const r = await upload(TEST_JPEG);
      expect(r.statusCode).toBe(201);
      const img = r.json();
      expect(img).toMatchObject({ mime: 'image/jpeg', width: 320, height: 240, size: TEST_JPEG.length });
      const { createHash } = await import('node:crypto');
      expect(img.sha256).toBe(createHash('sha256').update(TEST_JPEG).digest('hex'));
      const thumb = await h.call('GET', `/images/${img.sha256}/thumb`, { token: h.tokens.monitor });
      expect(thumb.headers['content-type']).toBe('image/jpeg');
      const decoded = jpeg.decode(thumb.rawPayload);
      expect(Math.max(decoded.width, decoded.height)).toBe(240);
      const original = await h.call('GET', `/images/${img.sha256}`, { token: h.tokens.monitor });
      expect(original.rawPayload.equals(TEST_JPEG)).toBe(true);
      // Same bytes again: same address, no second copy.
      expect((await upload(TEST_JPEG)).json().sha256).toBe(img.sha256);
    });

    it('sniffs the type from the bytes, not the header (PNG sent as octet-stream)', async () => {
      const r = await upload(TEST_PNG, 'application/octet-stream');
      expect(r.statusCode).toBe(201);
      expect(r.json().mime).toBe('image/png');
      const thumb = await h.call('GET', `/images/${r.json().sha256}/thumb`, { token: h.tokens.collector });
      expect(PNG.sync.read(thumb.rawPayload).width).toBe(64);
    });

    it('stores WebP without a thumbnail', async () => {
      const webp = Buffer.concat([
        Buffer.from('RIFF'),
        Buffer.from([60, 0, 0, 0]),
        Buffer.from('WEBPVP8 '),
        Buffer.alloc(52, 7),
      ]);
      const r = await upload(webp, 'image/webp');
      expect(r.statusCode).toBe(201);
      expect(r.json()).toMatchObject({ mime: 'image/webp', thumbSha256: null });
    });

    it('refuses a fake image, a corrupt one and an oversized one, storing nothing', async () => {
      const before = await h.station.services.db.db.selectFrom('images').select('sha256').execute();
      const fake = await upload(Buffer.from('<html>not a photo</html>'));
      expect(fake.statusCode).toBe(415);
      expect(fake.json().code).toBe('STN_ERR_IMAGE_TYPE');
      const corrupt = await upload(Buffer.concat([TEST_JPEG.subarray(0, 200), Buffer.alloc(100)]));
      expect(corrupt.statusCode).toBe(422);
      expect(corrupt.json().code).toBe('STN_ERR_IMAGE_CORRUPT');
      const big = await upload(Buffer.concat([TEST_JPEG, Buffer.alloc(4096)]));
      expect(big.statusCode).toBe(413);
      expect(big.json().code).toBe('STN_ERR_IMAGE_TOO_LARGE');
      const huge = await upload(Buffer.alloc(LIMIT * 3, 1));
      expect(huge.statusCode).toBe(413);
      expect(huge.json().code).toBe('STN_ERR_IMAGE_TOO_LARGE');
      const after = await h.station.services.db.db.selectFrom('images').select('sha256').execute();
      expect(after.length).toBe(before.length);
    });

    it('answers an unknown image with a stable code', async () => {
      const r = await h.call('GET', `/images/${'0'.repeat(64)}`, { token: h.tokens.monitor });
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('STN_ERR_IMAGE_NOT_FOUND');
    });
  });
}
