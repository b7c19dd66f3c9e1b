import { PNG } from 'pngjs';
import type { Harness } from './harness';

/** `n` distinct small TEST PNGs of a load (one per side), uploaded through /images: their SHA-256s. */
export async function uploadLoadPhotos(h: Harness, n: number, seed = 0): Promise<string[]> {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const png = new PNG({ width: 32, height: 24 });
    for (let i = 0; i < 32 * 24; i++)
      png.data.set([(i + k * 7 + seed * 31) % 256, (k * 40) % 256, 90, 255], i * 4);
    const r = await h.call('POST', '/images', {
      token: h.tokens.collector,
      body: PNG.sync.write(png),
      headers: { 'content-type': 'image/png' },
    });
    if (r.statusCode !== 201 && r.statusCode !== 200) throw new Error(`TEST photo: ${r.body}`);
    out.push(r.json().sha256 as string);
  }
  return out;
}
