import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { Des, TripleDes } from './des';
import { retailMac } from './mac';
import { cbcDecrypt, cbcEncrypt, ecbDecrypt, ecbEncrypt } from './modes';
import {
  algorithmFromId,
  computeMac1,
  computeMac2,
  computeTac,
  diversifyKey,
  diversifyTwoLevel,
  purchaseSessionKey,
  tacKey,
} from './pboc';
import { Sm4 } from './sm4';

function nodeEcb(name: string, key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv(name, key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

const blocks = (bs: number) =>
  fc.integer({ min: 1, max: 4 }).chain((n) => fc.uint8Array({ minLength: n * bs, maxLength: n * bs }));

describe('block ciphers against node:crypto (OpenSSL)', () => {
  it('DES = des-ede-ecb with K1 = K2 (single DES; des-ecb needs the legacy provider)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), blocks(8), (key, data) => {
        const k2 = new Uint8Array(16);
        k2.set(key);
        k2.set(key, 8);
        const expected = nodeEcb('des-ede-ecb', k2, data);
        const des = new Des(key);
        expect(bytesToHex(ecbEncrypt(des, data))).toBe(bytesToHex(expected));
        expect(bytesToHex(ecbDecrypt(des, expected))).toBe(bytesToHex(data));
      }),
      { numRuns: 200 },
    );
  });

  it('3DES 2-key = des-ede-ecb, 3-key = des-ede3-ecb', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 24, maxLength: 24 }),
        blocks(8),
        (k16, k24, data) => {
          expect(bytesToHex(ecbEncrypt(new TripleDes(k16), data))).toBe(
            bytesToHex(nodeEcb('des-ede-ecb', k16, data)),
          );
          expect(bytesToHex(ecbEncrypt(new TripleDes(k24), data))).toBe(
            bytesToHex(nodeEcb('des-ede3-ecb', k24, data)),
          );
          const enc = ecbEncrypt(new TripleDes(k16), data);
          expect(bytesToHex(ecbDecrypt(new TripleDes(k16), enc))).toBe(bytesToHex(data));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('SM4 = sm4-ecb, and CBC = sm4-cbc', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        blocks(16),
        (key, iv, data) => {
          const sm4 = new Sm4(key);
          const expected = nodeEcb('sm4-ecb', key, data);
          expect(bytesToHex(ecbEncrypt(sm4, data))).toBe(bytesToHex(expected));
          expect(bytesToHex(ecbDecrypt(sm4, expected))).toBe(bytesToHex(data));
          const c = createCipheriv('sm4-cbc', key, iv);
          c.setAutoPadding(false);
          const cbc = new Uint8Array(Buffer.concat([c.update(data), c.final()]));
          expect(bytesToHex(cbcEncrypt(sm4, data, iv))).toBe(bytesToHex(cbc));
          expect(bytesToHex(cbcDecrypt(sm4, cbc, iv))).toBe(bytesToHex(data));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('known answers: FIPS DES example and the GB/T 32907 SM4 example', () => {
    expect(
      bytesToHex(ecbEncrypt(new Des(hexToBytes('133457799BBCDFF1')), hexToBytes('0123456789ABCDEF'))),
    ).toBe('85E813540F0AB405');
    const k = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    expect(bytesToHex(ecbEncrypt(new Sm4(k), k))).toBe('681EDF34D206965E86B3E94F536E4246');
  });

  it('rejects wrong key and data lengths with typed errors', () => {
    expect(() => new Des(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'CRYPTO_KEY_LENGTH' }));
    expect(() => new Sm4(new Uint8Array(8))).toThrow(expect.objectContaining({ code: 'CRYPTO_KEY_LENGTH' }));
    expect(() => ecbEncrypt(new Des(new Uint8Array(8)), new Uint8Array(5))).toThrow(
      expect.objectContaining({ code: 'CRYPTO_BLOCK_LENGTH' }),
    );
  });
});

describe('PBOC purse chain: reference §4 computed vectors', () => {
  const dpk = hexToBytes('EC7D409E75101DB6F17C74C557BF301E');
  const input = {
    amount: 0x3e8,
    transactionType: 0x09,
    terminalId: hexToBytes('0151000119F8'),
    datetime: hexToBytes('20140916214018'),
  };
  const sespk = purchaseSessionKey('3des', dpk, {
    random: hexToBytes('1A2B3C4D'),
    atc: 1,
    terminalSerial: 0x00011569,
  });

  it('session key, MAC1, MAC2', () => {
    expect(bytesToHex(sespk)).toBe('26CA56442089CA58');
    expect(bytesToHex(computeMac1('3des', sespk, input))).toBe('1A02EBD1');
    expect(bytesToHex(computeMac2('3des', sespk, 0x3e8))).toBe('B09865B6');
  });

  it('TAC key and TAC', () => {
    const dtk = hexToBytes('0123456789ABCDEF1122334455667788');
    expect(bytesToHex(tacKey('3des', dtk))).toBe('10017623DCCDBA67');
    expect(bytesToHex(computeTac('3des', dtk, { ...input, terminalSerial: 0x00011569 }))).toBe('EA636009');
  });

  it('3DES diversification', () => {
    const mk = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    expect(bytesToHex(diversifyKey('3des', mk, hexToBytes('1518220000249639')))).toBe(
      '58909A10E560A501CE984EAF2E2FE492',
    );
  });

  it('SM4 diversification is one SM4 block over F ‖ ~F, and two levels compose', () => {
    const mk = hexToBytes('0123456789ABCDEFFEDCBA9876543210');
    const f = hexToBytes('1518220000249639');
    const expected = nodeEcb('sm4-ecb', mk, hexToBytes('1518220000249639EAE7DDFFFFDB69C6'));
    expect(bytesToHex(diversifyKey('sm4', mk, f))).toBe(bytesToHex(expected));
    const issuer = hexToBytes('C9C2CEF7C9C2CEF7');
    expect(bytesToHex(diversifyTwoLevel('sm4', mk, issuer, f))).toBe(
      bytesToHex(diversifyKey('sm4', diversifyKey('sm4', mk, issuer), f)),
    );
  });

  it('SM4 purse rule [P] produces 4-byte MACs that depend on every input', () => {
    const key = diversifyKey(
      'sm4',
      hexToBytes('00112233445566778899AABBCCDDEEFF'),
      hexToBytes('0102030405060708'),
    );
    const sk = purchaseSessionKey('sm4', key, { random: hexToBytes('1A2B3C4D'), atc: 1, terminalSerial: 5 });
    expect(sk.length).toBe(16);
    const m1 = computeMac1('sm4', sk, input);
    expect(m1.length).toBe(4);
    expect(bytesToHex(computeMac1('sm4', sk, { ...input, amount: 0x3e9 }))).not.toBe(bytesToHex(m1));
  });

  it('algorithm IDs 00/04 map to 3DES/SM4 and others are refused', () => {
    expect(algorithmFromId(0)).toBe('3des');
    expect(algorithmFromId(4)).toBe('sm4');
    expect(() => algorithmFromId(7)).toThrow(expect.objectContaining({ code: 'CRYPTO_ALGORITHM' }));
  });

  it('ISO 9797-1 alg 3 equals 3DES-CBC-MAC when all blocks use K_L first (cross-check with node)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 40 }),
        (key, data) => {
          // Reference construction with node: single-DES CBC over all but the last block, then 3DES on the last.
          const padded = new Uint8Array((Math.floor(data.length / 8) + 1) * 8);
          padded.set(data);
          padded[data.length] = 0x80;
          const kl = new Uint8Array(16);
          kl.set(key.subarray(0, 8));
          kl.set(key.subarray(0, 8), 8);
          let chain: Uint8Array = new Uint8Array(8);
          for (let o = 0; o < padded.length; o += 8) {
            const x = chain.map((b, i) => b ^ padded[o + i]!);
            chain = o + 8 < padded.length ? nodeEcb('des-ede-ecb', kl, x) : nodeEcb('des-ede-ecb', key, x);
          }
          expect(bytesToHex(retailMac(key, data, undefined, 8))).toBe(bytesToHex(chain));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('SM4 MAC and fold', () => {
  it('SM4 MAC = first 4 B of the last sm4-cbc block over data ‖ 80…, IV = random ‖ 0…', async () => {
    const { sm4Mac, sm4Fold8 } = await import('./mac');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 50 }),
        fc.uint8Array({ minLength: 4, maxLength: 4 }),
        (key, data, rnd) => {
          const padded = new Uint8Array((Math.floor(data.length / 16) + 1) * 16);
          padded.set(data);
          padded[data.length] = 0x80;
          const iv = new Uint8Array(16);
          iv.set(rnd);
          const c = createCipheriv('sm4-cbc', key, iv);
          c.setAutoPadding(false);
          const ct = Buffer.concat([c.update(padded), c.final()]);
          expect(bytesToHex(sm4Mac(key, data, rnd))).toBe(
            bytesToHex(new Uint8Array(ct.subarray(ct.length - 16, ct.length - 12))),
          );
          const block = nodeEcb('sm4-ecb', key, padded.subarray(0, 16));
          expect(bytesToHex(sm4Fold8(key, padded.subarray(0, 16)))).toBe(
            bytesToHex(block.subarray(0, 8).map((b, i) => b ^ block[8 + i]!)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
