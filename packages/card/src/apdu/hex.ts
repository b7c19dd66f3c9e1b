/** Hex and byte helpers shared by every layer (isomorphic: no Buffer). */
import { CardError } from '../errors';

export class HexError extends CardError {
  constructor(readonly input: string) {
    super('HEX_INVALID', {
      message: `invalid hex string: ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`,
    });
    this.name = 'HexError';
  }
}

const HEX_DIGITS = '0123456789ABCDEF';
const BYTE_TO_HEX: string[] = Array.from(
  { length: 256 },
  (_, i) => HEX_DIGITS[i >> 4]! + HEX_DIGITS[i & 15]!,
);

/** Parses hex; spaces are ignored so that fixtures can be grouped by field. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new HexError(hex);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Upper-case hex, no separators. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TO_HEX[bytes[i]!]!;
  return s;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Big-endian unsigned integer of `len` bytes (len ≤ 6 keeps it a safe integer). */
export function readUint(bytes: Uint8Array, offset: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + bytes[offset + i]!;
  return v;
}

/** Big-endian encoding of a non-negative integer into `len` bytes (value taken modulo 256^len). */
export function uintToBytes(value: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let v = value;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

export function writeUint(target: Uint8Array, offset: number, value: number, len: number): void {
  target.set(uintToBytes(value, len), offset);
}
