import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * TEST data: decompression-bomb photos as a stranger would craft them, small files whose headers announce
 * (or whose data inflate to) far more pixels than they weigh. Built here, never stored as files.
 */

const SEGMENT = 1 << 20;

/**
 * A zlib stream of `mib` MiB of zeros in about a KiB per MiB: one fully flushed raw-deflate segment
 * (self-contained: the flush resets the window) repeated, a final empty block, the Adler-32 of the zeros.
 */
export function zerosZlib(mib: number): Buffer {
  const segment = deflateRawSync(Buffer.alloc(SEGMENT), { finishFlush: constants.Z_FULL_FLUSH });
  const adler = Buffer.alloc(4);
  // Adler-32 of n zero bytes: a = 1, b = n (mod 65521).
  adler.writeUInt32BE(((((mib * SEGMENT) % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0x9c]),
    ...Array.from({ length: mib }, () => segment),
    Buffer.from([0x03, 0x00]), // final, fixed Huffman, end of block
    adler,
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG with the given header and IDAT; the IDAT need not match the header. */
export function craftedPng(o: { width: number; height: number; interlaced: boolean; idat: Buffer }): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr.set([8, 6, 0, 0, o.interlaced ? 1 : 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', o.idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** TEST bomb: 100,000 × 100,000 pixels announced (40 GB decoded) in a file of a few KiB. */
export const hugeDimensionsPng = (): Buffer =>
  craftedPng({ width: 100_000, height: 100_000, interlaced: false, idat: zerosZlib(4) });

/**
 * TEST bomb: an interlaced 4000 × 3000 PNG (within the pixel limit) whose ~1 MiB of data inflates to
 * 1 GiB: the interlaced decoder inflated all of it before looking at the size.
 */
export const interlacedZerosPng = (): Buffer =>
  craftedPng({ width: 4000, height: 3000, interlaced: true, idat: zerosZlib(1024) });

/** A JPEG's frame header claiming `width` × `height` (SOI, SOF0, nothing decodable after it). */
export function jpegClaiming(width: number, height: number): Buffer {
  const sof = Buffer.from([
    0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  ]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.alloc(64)]);
}
