/**
 * DES and two/three-key triple DES in pure TypeScript (runs in the browser).
 * Speed: the S-boxes are merged with the P permutation into 8 × 64 Uint32 tables, and IP/FP are byte-indexed
 * lookup tables, all built once at module load; a key schedule is computed once per key object.
 */
import { CardError } from '../errors';

export class CipherKeyError extends CardError {
  constructor(algorithm: string, length: number) {
    super('CRYPTO_KEY_LENGTH', { message: `${algorithm}: invalid key length ${length}` });
    this.name = 'CipherKeyError';
  }
}

// Standard FIPS 46-3 tables (1-based bit numbers, bit 1 = most significant).
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, 62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40,
  32, 24, 16, 8, 57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, 61, 53, 45, 37, 29, 21, 13, 5,
  63, 55, 47, 39, 31, 23, 15, 7,
];
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, 2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22,
  11, 4, 25,
];
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, 10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, 14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, 23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, 41, 52, 31, 37, 47,
  55, 30, 40, 51, 45, 33, 48, 44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
const S = [
  '14 4 13 1 2 15 11 8 3 10 6 12 5 9 0 7 0 15 7 4 14 2 13 1 10 6 12 11 9 5 3 8 4 1 14 8 13 6 2 11 15 12 9 7 3 10 5 0 15 12 8 2 4 9 1 7 5 11 3 14 10 0 6 13',
  '15 1 8 14 6 11 3 4 9 7 2 13 12 0 5 10 3 13 4 7 15 2 8 14 12 0 1 10 6 9 11 5 0 14 7 11 10 4 13 1 5 8 12 6 9 3 2 15 13 8 10 1 3 15 4 2 11 6 7 12 0 5 14 9',
  '10 0 9 14 6 3 15 5 1 13 12 7 11 4 2 8 13 7 0 9 3 4 6 10 2 8 5 14 12 11 15 1 13 6 4 9 8 15 3 0 11 1 2 12 5 10 14 7 1 10 13 0 6 9 8 7 4 15 14 3 11 5 2 12',
  '7 13 14 3 0 6 9 10 1 2 8 5 11 12 4 15 13 8 11 5 6 15 0 3 4 7 2 12 1 10 14 9 10 6 9 0 12 11 7 13 15 1 3 14 5 2 8 4 3 15 0 6 10 1 13 8 9 4 5 11 12 7 2 14',
  '2 12 4 1 7 10 11 6 8 5 3 15 13 0 14 9 14 11 2 12 4 7 13 1 5 0 15 10 3 9 8 6 4 2 1 11 10 13 7 8 15 9 12 5 6 3 0 14 11 8 12 7 1 14 2 13 6 15 0 9 10 4 5 3',
  '12 1 10 15 9 2 6 8 0 13 3 4 14 7 5 11 10 15 4 2 7 12 9 5 6 1 13 14 0 11 3 8 9 14 15 5 2 8 12 3 7 0 4 10 1 13 11 6 4 3 2 12 9 5 15 10 11 14 1 7 6 0 8 13',
  '4 11 2 14 15 0 8 13 3 12 9 7 5 10 6 1 13 0 11 7 4 9 1 10 14 3 5 12 2 15 8 6 1 4 11 13 12 3 7 14 10 15 6 8 0 5 9 2 6 11 13 8 1 4 10 7 9 5 0 15 14 2 3 12',
  '13 2 8 4 6 15 11 1 10 9 3 14 5 0 12 7 1 15 13 8 10 3 7 4 12 5 6 11 0 14 9 2 7 11 4 1 9 12 14 2 0 6 10 13 15 3 5 8 2 1 14 7 4 10 8 13 15 12 9 0 3 5 6 11',
].map((row) => row.split(' ').map(Number));

/** Permutes a 32-bit word by P (input bit j → output position). */
function permuteP(v: number): number {
  let out = 0;
  for (let i = 0; i < 32; i++) if ((v >>> (32 - P[i]!)) & 1) out |= 1 << (31 - i);
  return out >>> 0;
}

/** SP[s][v]: S-box s applied to the 6-bit input v, placed at its nibble and permuted by P. */
const SP: Uint32Array[] = S.map((box, s) => {
  const table = new Uint32Array(64);
  for (let v = 0; v < 64; v++) {
    const row = ((v >> 4) & 2) | (v & 1);
    const col = (v >> 1) & 15;
    table[v] = permuteP(box[row * 16 + col]! << (28 - 4 * s));
  }
  return table;
});
const [SP1, SP2, SP3, SP4, SP5, SP6, SP7, SP8] = SP as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/** Byte-indexed tables for a 64-bit permutation: table[byteIndex*256 + value] → [hi, lo] contributions. */
function buildPermTable(perm: readonly number[]): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(8 * 256);
  const lo = new Uint32Array(8 * 256);
  for (let outBit = 0; outBit < 64; outBit++) {
    const inBit = perm[outBit]! - 1; // 0-based from the MSB
    const byteIndex = inBit >> 3;
    const mask = 0x80 >> (inBit & 7);
    for (let v = 0; v < 256; v++) {
      if (v & mask) {
        const idx = byteIndex * 256 + v;
        if (outBit < 32) hi[idx] = (hi[idx]! | (1 << (31 - outBit))) >>> 0;
        else lo[idx] = (lo[idx]! | (1 << (63 - outBit))) >>> 0;
      }
    }
  }
  return { hi, lo };
}
const FP = new Array<number>(64);
for (let i = 0; i < 64; i++) FP[IP[i]! - 1] = i + 1;
const IP_T = buildPermTable(IP);
const FP_T = buildPermTable(FP);

/**
 * Key-schedule map, computed once: for each of the 16 × 48 subkey bits, which bit of the 64-bit key feeds it
 * (PC1, the rotations and PC2 composed) and where it lands. Word k0 of a round holds the 6-bit subkeys of
 * S1/S3/S5/S7 at bits 26/18/10/2, word k1 those of S2/S4/S6/S8, matching how the round function slices R.
 */
const KS_SRC = new Uint8Array(16 * 48);
const KS_WORD = new Uint8Array(16 * 48);
const KS_POS = new Uint8Array(16 * 48);
{
  let c = PC1.slice(0, 28).map((b) => b - 1);
  let d = PC1.slice(28).map((b) => b - 1);
  for (let round = 0; round < 16; round++) {
    const sh = SHIFTS[round]!;
    c = [...c.slice(sh), ...c.slice(0, sh)];
    d = [...d.slice(sh), ...d.slice(0, sh)];
    for (let p = 0; p < 48; p++) {
      const j = PC2[p]!;
      const sBox = Math.floor(p / 6);
      const i = round * 48 + p;
      KS_SRC[i] = j <= 28 ? c[j - 1]! : d[j - 29]!;
      KS_WORD[i] = sBox & 1;
      KS_POS[i] = 26 - 8 * (sBox >> 1) + (5 - (p % 6));
    }
  }
}

/** KS_BYTE[(word * 8 + keyByte) * 256 + value]: the subkey bits a key byte value contributes (256 KB). */
const KS_BYTE = new Uint32Array(32 * 8 * 256);
for (let i = 0; i < 16 * 48; i++) {
  const src = KS_SRC[i]!;
  const w = ((i / 48) | 0) * 2 + KS_WORD[i]!;
  const mask = 0x80 >> (src & 7);
  const base = (w * 8 + (src >> 3)) * 256;
  for (let v = 0; v < 256; v++)
    if (v & mask) KS_BYTE[base + v] = (KS_BYTE[base + v]! | (1 << KS_POS[i]!)) >>> 0;
}

function desKeySchedule(key: Uint8Array, offset: number): Uint32Array {
  const ks = new Uint32Array(32);
  for (let w = 0; w < 32; w++) {
    let acc = 0;
    for (let b = 0; b < 8; b++) acc |= KS_BYTE[(w * 8 + b) * 256 + key[offset + b]!]!;
    ks[w] = acc >>> 0;
  }
  return ks;
}

function reverseSchedule(ks: Uint32Array): Uint32Array {
  const out = new Uint32Array(32);
  for (let r = 0; r < 16; r++) {
    out[r * 2] = ks[(15 - r) * 2]!;
    out[r * 2 + 1] = ks[(15 - r) * 2 + 1]!;
  }
  return out;
}

/** 16 Feistel rounds on (l, r) already in IP order; returns [l, r] without the final swap undone. */
function rounds(l0: number, r0: number, ks: Uint32Array, out: Uint32Array): void {
  let l = l0;
  let r = r0;
  for (let i = 0; i < 32; i += 2) {
    const x = (r >>> 1) | (r << 31); // R rotated right by 1: S1's 6 input bits are now the top bits
    const y = (x << 4) | (x >>> 28);
    const t = x ^ ks[i]!;
    const u = y ^ ks[i + 1]!;
    const f =
      SP1[(t >>> 26) & 63]! ^
      SP3[(t >>> 18) & 63]! ^
      SP5[(t >>> 10) & 63]! ^
      SP7[(t >>> 2) & 63]! ^
      SP2[(u >>> 26) & 63]! ^
      SP4[(u >>> 18) & 63]! ^
      SP6[(u >>> 10) & 63]! ^
      SP8[(u >>> 2) & 63]!;
    const nl = r;
    r = (l ^ f) >>> 0;
    l = nl;
  }
  out[0] = r; // the final swap
  out[1] = l;
}

const tmp = new Uint32Array(2);

function permIn(src: Uint8Array, o: number, t: { hi: Uint32Array; lo: Uint32Array }, out: Uint32Array): void {
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 8; b++) {
    const idx = b * 256 + src[o + b]!;
    hi |= t.hi[idx]!;
    lo |= t.lo[idx]!;
  }
  out[0] = hi >>> 0;
  out[1] = lo >>> 0;
}

function permOut(hi: number, lo: number, dst: Uint8Array, o: number): void {
  const t = FP_T;
  let h = 0;
  let l = 0;
  for (let b = 0; b < 4; b++) {
    const idx = b * 256 + ((hi >>> (24 - 8 * b)) & 255);
    h |= t.hi[idx]!;
    l |= t.lo[idx]!;
  }
  for (let b = 0; b < 4; b++) {
    const idx = (b + 4) * 256 + ((lo >>> (24 - 8 * b)) & 255);
    h |= t.hi[idx]!;
    l |= t.lo[idx]!;
  }
  dst[o] = h >>> 24;
  dst[o + 1] = h >>> 16;
  dst[o + 2] = h >>> 8;
  dst[o + 3] = h;
  dst[o + 4] = l >>> 24;
  dst[o + 5] = l >>> 16;
  dst[o + 6] = l >>> 8;
  dst[o + 7] = l;
}

/** Runs one or more schedules back to back between a single IP and FP (so 3DES pays IP/FP once). */
function crypt(
  schedules: readonly Uint32Array[],
  src: Uint8Array,
  so: number,
  dst: Uint8Array,
  dO: number,
): void {
  permIn(src, so, IP_T, tmp);
  let l = tmp[0]!;
  let r = tmp[1]!;
  for (const ks of schedules) {
    rounds(l, r, ks, tmp);
    l = tmp[0]!;
    r = tmp[1]!;
  }
  permOut(l, r, dst, dO);
}

/** An 8-byte block cipher (DES or 3DES). */
export interface BlockCipher {
  readonly blockSize: number;
  encryptBlock(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void;
  decryptBlock(src: Uint8Array, srcOffset: number, dst: Uint8Array, dstOffset: number): void;
}

export class Des implements BlockCipher {
  readonly blockSize = 8;
  private readonly enc: Uint32Array[];
  private readonly dec: Uint32Array[];
  constructor(key: Uint8Array) {
    if (key.length !== 8) throw new CipherKeyError('DES', key.length);
    const ks = desKeySchedule(key, 0);
    this.enc = [ks];
    this.dec = [reverseSchedule(ks)];
  }
  encryptBlock(src: Uint8Array, so: number, dst: Uint8Array, dO: number): void {
    crypt(this.enc, src, so, dst, dO);
  }
  decryptBlock(src: Uint8Array, so: number, dst: Uint8Array, dO: number): void {
    crypt(this.dec, src, so, dst, dO);
  }
}

/** EDE triple DES: a 16-byte key is K1‖K2 (K3 = K1), a 24-byte key is K1‖K2‖K3. */
export class TripleDes implements BlockCipher {
  readonly blockSize = 8;
  private readonly enc: Uint32Array[];
  private readonly dec: Uint32Array[];
  constructor(key: Uint8Array) {
    if (key.length !== 16 && key.length !== 24) throw new CipherKeyError('3DES', key.length);
    const k1 = desKeySchedule(key, 0);
    const k2 = desKeySchedule(key, 8);
    const k3 = key.length === 24 ? desKeySchedule(key, 16) : k1;
    // E_K3(D_K2(E_K1(x))): the inner IP/FP pairs cancel, so the 48 rounds run between one IP and one FP.
    this.enc = [k1, reverseSchedule(k2), k3];
    this.dec = [reverseSchedule(k3), k2, reverseSchedule(k1)];
  }
  encryptBlock(src: Uint8Array, so: number, dst: Uint8Array, dO: number): void {
    crypt(this.enc, src, so, dst, dO);
  }
  decryptBlock(src: Uint8Array, so: number, dst: Uint8Array, dO: number): void {
    crypt(this.dec, src, so, dst, dO);
  }
}
