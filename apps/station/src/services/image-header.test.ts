import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { craftedPng, jpegClaiming, zerosZlib } from '../testing/image-bombs';
import { readJpegHeader, readPngHeader } from './image-header';

describe('image headers', () => {
  it('reads a PNG encoder’s dimensions and interlacing', () => {
    const png = new PNG({ width: 64, height: 48 });
    expect(readPngHeader(PNG.sync.write(png))).toEqual({
      ok: true,
      header: { width: 64, height: 48, interlaced: false },
    });
    const idat = zerosZlib(1);
    expect(readPngHeader(craftedPng({ width: 5, height: 7, interlaced: true, idat }))).toEqual({
      ok: true,
      header: { width: 5, height: 7, interlaced: true },
    });
  });

  it('refuses a PNG with a second IHDR (a decoder honouring it would decode unchecked dimensions)', () => {
    const small = craftedPng({ width: 8, height: 8, interlaced: false, idat: zerosZlib(1) });
    const big = craftedPng({ width: 90_000, height: 90_000, interlaced: false, idat: zerosZlib(1) });
    const ihdr = big.subarray(8, 8 + 25);
    const twice = Buffer.concat([small.subarray(0, 33), ihdr, small.subarray(33)]);
    expect(readPngHeader(twice)).toEqual({ ok: false, reason: 'png: second IHDR' });
  });

  it('refuses a PNG whose first chunk is not IHDR, and one too short to have one', () => {
    const png = craftedPng({ width: 8, height: 8, interlaced: false, idat: zerosZlib(1) });
    const swapped = Buffer.from(png);
    swapped.write('tEXt', 12, 'latin1');
    expect(readPngHeader(swapped).ok).toBe(false);
    expect(readPngHeader(png.subarray(0, 20)).ok).toBe(false);
  });

  it('reads a JPEG encoder’s frame header past its other segments, and a crafted one', () => {
    const data = Buffer.alloc(320 * 240 * 4, 90);
    const real = Buffer.from(jpeg.encode({ width: 320, height: 240, data }, 80).data);
    expect(readJpegHeader(real)).toEqual({
      ok: true,
      header: { width: 320, height: 240, interlaced: false },
    });
    expect(readJpegHeader(jpegClaiming(65_535, 9))).toEqual({
      ok: true,
      header: { width: 65_535, height: 9, interlaced: false },
    });
  });

  it('refuses a JPEG without a frame header or with a zero dimension', () => {
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 0, 0])).ok).toBe(false);
    expect(readJpegHeader(Buffer.from([0xff, 0xd8, 0x12, 0x34, 0, 0])).ok).toBe(false);
    expect(readJpegHeader(jpegClaiming(0, 10)).ok).toBe(false);
  });
});
