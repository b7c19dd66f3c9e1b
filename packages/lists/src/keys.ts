import type { ListKind } from './kinds';

/**
 * Every list key packs into 64 bits held as two uint32 halves (hi, lo), compared as one unsigned 64-bit
 * number, so the index is two Uint32Arrays plus one Uint8Array of types (9 bytes per entry).
 *
 * Card (20 digits = network 4 + serial 16): network pp ss → index (pp − 10) × 11 + ss for pp 10–99 and
 * ss 00–10 (990 values, 10 bits; covers every province network "pp01" with room for more); the serial as
 * two 8-digit halves of 27 bits each. Exact and reversible. Networks outside that range are rejected.
 * OBU (16 hex): the 64-bit value itself. Vehicle (plate_colour): a 64-bit hash of the UTF-16 text —
 * a lookup can give a false hit with probability ≈ n / 2^64 (≈ 5e-13 at 10 M entries).
 */
export const P22 = 4194304; // 2^22
export const P27 = 134217728; // 2^27

/** Parses n decimal digits from s at i, or -1 on any non-digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function hexDigits(s: string, i: number): number {
  let v = 0;
  for (let k = i; k < i + 8; k++) {
    const c = s.charCodeAt(k);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Writes the key into out[0], out[1]; returns false for a malformed key. */
export function encodeCardKey(card: string, out: Uint32Array): boolean {
  if (card.length !== 20) return false;
  const pp = digits(card, 0, 2);
  const ss = digits(card, 2, 2);
  const a = digits(card, 4, 8);
  const b = digits(card, 12, 8);
  if (pp < 10 || ss < 0 || ss > 10 || a < 0 || b < 0) return false;
  out[0] = ((pp - 10) * 11 + ss) * P22 + Math.floor(a / 32);
  out[1] = (a % 32) * P27 + b;
  return true;
}

export function decodeCardKey(hi: number, lo: number): string {
  const net = Math.floor(hi / P22);
  const pp = Math.floor(net / 11) + 10;
  const ss = net % 11;
  const a = (hi % P22) * 32 + Math.floor(lo / P27);
  const b = lo % P27;
  return `${pp}${String(ss).padStart(2, '0')}${String(a).padStart(8, '0')}${String(b).padStart(8, '0')}`;
}

export function encodeObuKey(obu: string, out: Uint32Array): boolean {
  if (obu.length !== 16) return false;
  const hi = hexDigits(obu, 0);
  const lo = hexDigits(obu, 8);
  if (hi < 0 || lo < 0) return false;
  out[0] = hi;
  out[1] = lo;
  return true;
}

export function decodeObuKey(hi: number, lo: number): string {
  return hi.toString(16).toUpperCase().padStart(8, '0') + lo.toString(16).toUpperCase().padStart(8, '0');
}

/**
 * Canonical vehicle ID for hashing: plate upper-cased and trimmed, colour without leading zeros
 * ('京a12345 _01' → '京A12345_1'), so the lane's and the list's spellings meet. Undefined if malformed.
 */
export function canonicalVehicleId(text: string): string | undefined {
  const m = /^(.+?)\s*_0*(\d{1,2})$/.exec(text.trim());
  if (!m || m[1]!.length < 2 || m[1]!.length > 16) return undefined;
  return `${m[1]!.toUpperCase()}_${Number(m[2])}`;
}

/** plate_colour, e.g. 京A12345_1: two independent 32-bit hashes (FNV-1a and a murmur-style mix). */
export function encodeVehicleKey(text: string, out: Uint32Array): boolean {
  const vehicleId = canonicalVehicleId(text);
  if (vehicleId === undefined) return false;
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < vehicleId.length; i++) {
    const c = vehicleId.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    let k = Math.imul(c, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h2 ^= Math.imul(k, 0x1b873593);
    h2 = Math.imul((h2 << 13) | (h2 >>> 19), 5) + 0xe6546b64;
  }
  h2 ^= vehicleId.length;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  out[0] = h1 >>> 0;
  out[1] = (h2 ^ (h2 >>> 16)) >>> 0;
  return true;
}

export function encodeKey(kind: ListKind, key: string, out: Uint32Array): boolean {
  if (kind === 'card') return encodeCardKey(key, out);
  if (kind === 'obu') return encodeObuKey(key, out);
  return encodeVehicleKey(key, out);
}
