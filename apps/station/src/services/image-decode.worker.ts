// The image decoder's thread (started by image-decoder.ts): decodes a photo whose header was already
// checked, downscales it and encodes the thumbnail, so none of that CPU or memory is the event loop's.
import { parentPort } from 'node:worker_threads';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export type DecodeMime = 'image/jpeg' | 'image/png';

export interface DecodeJob {
  id: number;
  bytes: Uint8Array;
  mime: DecodeMime;
  /** Refuse frames with more pixels (jpeg-js checks every frame header it meets, not only the first). */
  maxPixels: number;
  /** jpeg-js's own allocation bound. */
  maxMemoryMb: number;
  /** Longest side of the thumbnail. */
  thumbMax: number;
}

export type DecodeAnswer =
  | { id: number; ok: true; width: number; height: number; thumb: Uint8Array }
  | { id: number; ok: false; reason: string };

interface Raster {
  width: number;
  height: number;
  data: Uint8Array; // RGBA
}

function decode(job: DecodeJob): Raster {
  if (job.mime === 'image/jpeg') {
    const r = jpeg.decode(job.bytes, {
      useTArray: true,
      maxResolutionInMP: job.maxPixels / 1e6,
      maxMemoryUsageInMB: job.maxMemoryMb,
    });
    return { width: r.width, height: r.height, data: r.data };
  }
  const png = PNG.sync.read(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength));
  return { width: png.width, height: png.height, data: png.data };
}

/** Nearest-neighbour downscale to ≤ `max` on the longest side (a thumbnail, not a print). */
export function downscale(r: Raster, max: number): Raster {
  const scale = Math.min(1, max / Math.max(r.width, r.height));
  const w = Math.max(1, Math.round(r.width * scale));
  const h = Math.max(1, Math.round(r.height * scale));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(r.height - 1, Math.floor(y / scale));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(r.width - 1, Math.floor(x / scale));
      const si = (sy * r.width + sx) * 4;
      out.set(r.data.subarray(si, si + 4), (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data: out };
}

/** JPEG thumbnails from JPEG, PNG from PNG. */
function encodeThumb(r: Raster, mime: DecodeMime): Uint8Array {
  if (mime === 'image/jpeg') return jpeg.encode({ width: r.width, height: r.height, data: r.data }, 75).data;
  const png = new PNG({ width: r.width, height: r.height });
  png.data = Buffer.from(r.data);
  return PNG.sync.write(png);
}

export function thumbnail(job: DecodeJob): DecodeAnswer {
  try {
    const raster = decode(job);
    // A copy of its own: the encoders may hand back a slice of Node's shared Buffer pool, which must
    // not be transferred away.
    const thumb = new Uint8Array(encodeThumb(downscale(raster, job.thumbMax), job.mime));
    return { id: job.id, ok: true, width: raster.width, height: raster.height, thumb };
  } catch (e) {
    return { id: job.id, ok: false, reason: e instanceof Error ? e.message.slice(0, 120) : 'decode' };
  }
}

parentPort?.on('message', (job: DecodeJob) => {
  const answer = thumbnail(job);
  parentPort?.postMessage(answer, answer.ok ? [answer.thumb.buffer as ArrayBuffer] : []);
});
