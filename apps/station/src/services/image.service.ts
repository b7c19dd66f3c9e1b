import { createHash } from 'node:crypto';
import { StationError } from '../errors';
import type { ImageRow, ImagesRepository } from '../repositories/images.repository';
import type { DecodeMime } from './image-decode.worker';
import { DECODER_LIMITS, ImageDecoder } from './image-decoder';
import { type ImageHeader, readJpegHeader, readPngHeader } from './image-header';

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

/**
 * What the header says decoding will cost, refused before any decoding: more pixels than the decoder
 * takes, or an interlaced PNG (its decoder inflates the whole stream with no bound, so a megabyte of
 * zeros became gigabytes). Progressive JPEGs are taken: jpeg-js bounds its own allocations.
 */
export function checkHeader(bytes: Uint8Array, mime: DecodeMime, maxPixels: number): ImageHeader {
  const r = mime === 'image/png' ? readPngHeader(bytes) : readJpegHeader(bytes);
  if (!r.ok) throw new StationError('STN_ERR_IMAGE_CORRUPT', r.reason);
  const { width, height, interlaced } = r.header;
  if (width * height > maxPixels) {
    throw new StationError('STN_ERR_IMAGE_DIMENSIONS', `${width}×${height} > ${maxPixels} pixels`);
  }
  if (interlaced && mime === 'image/png') throw new StationError('STN_ERR_IMAGE_INTERLACED');
  return r.header;
}

export class ImageService {
  /** Image rows are content-addressed and never deleted: a row once found stays valid (bounded cache). */
  private readonly known = new Map<string, ImageRow>();

  constructor(
    private readonly repo: ImagesRepository,
    private readonly maxBytes: number,
    private readonly now: () => Date,
    private readonly decoder = new ImageDecoder(DECODER_LIMITS, THUMB_MAX),
  ) {}

  async store(bytes: Buffer): Promise<ImageRow> {
    if (bytes.length > this.maxBytes)
      throw new StationError('STN_ERR_IMAGE_TOO_LARGE', `${bytes.length} > ${this.maxBytes}`);
    const mime = sniffImage(bytes);
    if (!mime) throw new StationError('STN_ERR_IMAGE_TYPE');
    if (mime !== 'image/webp') checkHeader(bytes, mime, this.decoder.maxPixels);
    else if (bytes.length < 30) throw new StationError('STN_ERR_IMAGE_CORRUPT', 'webp too short');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.repo.find(sha256);
    if (existing) return existing;
    const decoded = mime === 'image/webp' ? null : await this.decoder.thumbnail(bytes, mime);
    const thumb = decoded?.thumb ?? null;
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
      width: decoded?.width ?? null,
      height: decoded?.height ?? null,
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

  close(): Promise<void> {
    return this.decoder.close();
  }
}
