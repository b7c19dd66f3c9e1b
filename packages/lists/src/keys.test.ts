import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';
import {
  canonicalVehicleId,
  decodeCardKey,
  decodeObuKey,
  encodeCardKey,
  encodeObuKey,
  encodeVehicleKey,
} from './keys';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const card = fc
  .tuple(fc.integer({ min: 10, max: 99 }), fc.integer({ min: 0, max: 10 }), digits(16))
  .map(([pp, ss, rest]) => `${pp}${String(ss).padStart(2, '0')}${rest}`);

describe('list keys', () => {
  const k = new Uint32Array(2);

  it('card keys round-trip exactly', () => {
    fc.assert(
      fc.property(card, (c) => {
        expect(encodeCardKey(c, k)).toBe(true);
        expect(decodeCardKey(k[0]!, k[1]!)).toBe(c);
      }),
    );
  });

  it('card key order is the card-number order', () => {
    fc.assert(
      fc.property(card, card, (a, b) => {
        encodeCardKey(a, k);
        const [ah, al] = [k[0]!, k[1]!];
        encodeCardKey(b, k);
        const keyOrder = Math.sign(ah - k[0]! || al - k[1]!);
        expect(keyOrder).toBe(Math.sign(a.localeCompare(b)));
      }),
    );
  });

  it('rejects malformed card numbers and unsupported networks', () => {
    for (const bad of [
      '3701220423235316938',
      '37012204232353169389x',
      '3701220423235316938A',
      '0901220423235316938',
      '3711220423235316938',
    ]) {
      expect(encodeCardKey(bad, k)).toBe(false);
    }
    expect(encodeCardKey('37112204232353169389', k)).toBe(false); // network 3711: ss > 10
    expect(encodeCardKey('09012204232353169389', k)).toBe(false); // province 09
    expect(encodeCardKey('37012204232353169389', k)).toBe(true);
  });

  it('OBU keys round-trip and accept lower case', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        const hex = v.toString(16).toUpperCase().padStart(16, '0');
        expect(encodeObuKey(hex.toLowerCase(), k)).toBe(true);
        expect(decodeObuKey(k[0]!, k[1]!)).toBe(hex);
      }),
    );
    expect(encodeObuKey('370101000000000G', k)).toBe(false);
  });

  it('hashes vehicle IDs deterministically and rejects IDs without a colour', () => {
    const a = new Uint32Array(2);
    expect(encodeVehicleKey('京A12345_1', a)).toBe(true);
    expect(encodeVehicleKey('京A12345_1', k)).toBe(true);
    expect([...a]).toEqual([...k]);
    encodeVehicleKey('京A12345_0', k);
    expect([...a]).not.toEqual([...k]);
    expect(encodeVehicleKey('京A12345', k)).toBe(false);
    encodeVehicleKey('京a12345 _01', k);
    expect([...a]).toEqual([...k]);
    expect(canonicalVehicleId('鲁b1234x_11')).toBe('鲁B1234X_11');
    expect(canonicalVehicleId('_1')).toBeUndefined();
  });

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const big = new Uint8Array(1000).map((_, i) => (i * 7) & 0xff);
    expect(crc32(big, 0, 1000)).toBe(crc32(big.slice(0, 1000)));
    expect(crc32(big, 3, 997)).toBe(crc32(big.slice(3, 997)));
    // Bit-by-bit reference for the aligned word path.
    let c = 0xffffffff;
    for (const byte of big) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    expect(crc32(big)).toBe((c ^ 0xffffffff) >>> 0);
  });
});
