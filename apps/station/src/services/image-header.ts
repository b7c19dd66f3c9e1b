/**
 * What an image's header says it will cost to decode, read without decoding: dimensions and whether the
 * pixels come interlaced (PNG Adam7) or progressive (JPEG). A few bytes decide whether a photo of a
 * megabyte is worth decoding at all: a decompression bomb announces its size here.
 */
export interface ImageHeader {
  width: number;
  height: number;
  /** PNG: Adam7 interlacing. JPEG: a progressive frame. */
  interlaced: boolean;
}

export type HeaderResult = { ok: true; header: ImageHeader } | { ok: false; reason: string };

const PNG_SIGNATURE_LENGTH = 8;
const CHUNK_OVERHEAD = 12; // length, type, CRC

/**
 * A PNG's IHDR, which must be the first chunk and the only one (a decoder that honoured a second IHDR
 * would decode other dimensions than those checked). Walks the chunk headers only, never the data.
 */
export function readPngHeader(b: Uint8Array): HeaderResult {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < PNG_SIGNATURE_LENGTH + CHUNK_OVERHEAD + 13) return { ok: false, reason: 'png too short' };
  if (chunkType(b, PNG_SIGNATURE_LENGTH + 4) !== 'IHDR' || view.getUint32(PNG_SIGNATURE_LENGTH) !== 13) {
    return { ok: false, reason: 'png: IHDR is not the first chunk' };
  }
  const at = PNG_SIGNATURE_LENGTH + 8;
  const header: ImageHeader = {
    width: view.getUint32(at),
    height: view.getUint32(at + 4),
    interlaced: b[at + 12] !== 0,
  };
  if (header.width === 0 || header.height === 0) return { ok: false, reason: 'png: zero dimension' };
  for (let p = PNG_SIGNATURE_LENGTH + CHUNK_OVERHEAD + 13; p + CHUNK_OVERHEAD <= b.length; ) {
    if (chunkType(b, p + 4) === 'IHDR') return { ok: false, reason: 'png: second IHDR' };
    if (chunkType(b, p + 4) === 'IEND') break;
    p += CHUNK_OVERHEAD + view.getUint32(p);
  }
  return { ok: true, header };
}

function chunkType(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** Start-of-frame markers that carry the frame size (SOF0–SOF15 minus DHT, JPG and DAC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const PROGRESSIVE = new Set([0xc2, 0xc6, 0xca, 0xce]);
/** Markers without a length field. */
const STANDALONE = new Set([0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]);
const START_OF_SCAN = 0xda;

/**
 * A JPEG's first frame header, found by skipping the marker segments before it (no entropy-coded data
 * is read: a frame header after the first scan is one the decoder checks itself, see image-decoder).
 */
export function readJpegHeader(b: Uint8Array): HeaderResult {
  let p = 2; // after SOI
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return { ok: false, reason: `jpeg: no marker at ${p}` };
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (STANDALONE.has(marker)) {
      p += 2;
      continue;
    }
    const length = (b[p + 2]! << 8) | b[p + 3]!;
    if (SOF.has(marker)) {
      if (p + 9 > b.length) break;
      const height = (b[p + 5]! << 8) | b[p + 6]!;
      const width = (b[p + 7]! << 8) | b[p + 8]!;
      if (width === 0 || height === 0) return { ok: false, reason: 'jpeg: zero dimension' };
      return { ok: true, header: { width, height, interlaced: PROGRESSIVE.has(marker) } };
    }
    if (marker === START_OF_SCAN || length < 2) break;
    p += 2 + length;
  }
  return { ok: false, reason: 'jpeg: no frame header' };
}
