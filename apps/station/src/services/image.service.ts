import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { StationError } from '../errors';
import type { ImageRow, ImagesRepository } from '../repositories/images.repository';

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

/** The type comes from the bytes (magic numbers), never from the client's Content-Type. */
export function sniffImage(b: Uint8Array): ImageMime | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v))
    return 'image/png';
  if (
    b.length >= 12 &&
    String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!) === 'RIFF' &&
    String.fromCharCode(b[8]!, b[9]!, b[10]!, b[11]!) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

/** Longest side of a thumbnail. [P] */
export const THUMB_MAX = 240;
/** Refuse to decode images larger than this many pixels (decompression bombs). [P] ≈ 24 MP. */
const MAX_PIXELS = 24_000_000;

interface Raster {
  width: number;
  height: number;
  data: Uint8Array; // RGBA
}

/**
 * Photos for 【提交图片数据】: type sniffed, size-limited, stored content-addressed with a thumbnail.
 * Thumbnails use pure JS (jpeg-js, pngjs: no native binaries): nearest-neighbour downscale to ≤ 240 px,
 * re-encoded as JPEG (from JPEG) or PNG (from PNG). WebP is stored as is, without a thumbnail (no pure-JS
 * WebP decoder in use); the UI shows the original.
 */
export class ImageService {
  /** Image rows are content-addressed and never deleted: a row once found stays valid (bounded cache). */
  private readonly known = new Map<string, ImageRow>();

  constructor(
    private readonly repo: ImagesRepository,
    private readonly maxBytes: number,
    private readonly now: () => Date,
  ) {}

  async store(bytes: Buffer): Promise<ImageRow> {
    if (bytes.length > this.maxBytes)
      throw new StationError('STN_ERR_IMAGE_TOO_LARGE', `${bytes.length} > ${this.maxBytes}`);
    const mime = sniffImage(bytes);
    if (!mime) throw new StationError('STN_ERR_IMAGE_TYPE');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.repo.find(sha256);
    if (existing) return existing;
    let raster: Raster | null = null;
    let thumb: Buffer | null = null;
    if (mime !== 'image/webp') {
      raster = decode(bytes, mime);
      thumb = encodeThumb(downscale(raster, THUMB_MAX), mime);
    } else if (bytes.length < 30) {
      throw new StationError('STN_ERR_IMAGE_CORRUPT', 'webp too short');
    }
    // Bytes first, then the row: a row never points at a missing file.
    this.repo.writeBytes(sha256, bytes);
    let thumbSha: string | null = null;
    if (thumb) {
      thumbSha = createHash('sha256').update(thumb).digest('hex');
      this.repo.writeBytes(thumbSha, thumb);
    }
    const row: ImageRow = {
      sha256,
      mime,
      size: bytes.length,
      width: raster?.width ?? null,
      height: raster?.height ?? null,
      thumb_sha256: thumbSha,
      created_at: this.now().toISOString(),
    };
    await this.repo.insert(row);
    return row;
  }

  async require(sha256: string): Promise<ImageRow> {
    const hit = this.known.get(sha256);
    if (hit) return hit;
    const r = await this.repo.find(sha256);
    if (!r) throw new StationError('STN_ERR_IMAGE_NOT_FOUND', sha256);
    if (this.known.size >= 10_000) this.known.clear();
    this.known.set(sha256, r);
    return r;
  }

  async bytes(sha256: string, which: 'original' | 'thumb'): Promise<{ mime: string; bytes: Buffer }> {
    const row = await this.require(sha256);
    const key = which === 'thumb' ? row.thumb_sha256 : row.sha256;
    const bytes = key ? this.repo.readBytes(key) : undefined;
    if (!bytes) throw new StationError('STN_ERR_IMAGE_NOT_FOUND', `${which} ${sha256}`);
    return { mime: row.mime, bytes };
  }
}

function decode(bytes: Buffer, mime: 'image/jpeg' | 'image/png'): Raster {
  try {
    if (mime === 'image/jpeg') {
      const r = jpeg.decode(bytes, {
        useTArray: true,
        maxResolutionInMP: MAX_PIXELS / 1e6,
        maxMemoryUsageInMB: 256,
      });
      return { width: r.width, height: r.height, data: r.data };
    }
    const png = PNG.sync.read(bytes);
    if (png.width * png.height > MAX_PIXELS) throw new Error('too many pixels');
    return { width: png.width, height: png.height, data: png.data };
  } catch (e) {
    throw new StationError('STN_ERR_IMAGE_CORRUPT', e instanceof Error ? e.message.slice(0, 120) : 'decode', {
      cause: e,
    });
  }
}

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

function encodeThumb(r: Raster, mime: 'image/jpeg' | 'image/png'): Buffer {
  if (mime === 'image/jpeg')
    return Buffer.from(jpeg.encode({ width: r.width, height: r.height, data: r.data }, 75).data);
  const png = new PNG({ width: r.width, height: r.height });
  png.data = Buffer.from(r.data);
  return PNG.sync.write(png);
}
