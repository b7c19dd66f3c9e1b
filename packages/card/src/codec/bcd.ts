/** BCD digits, BCD dates and the 7-byte purchase datetime. */
import { beijingCompact } from '@tollpad/domain';
import { CodecError } from './errors';

export function decodeBcd(file: string, bytes: Uint8Array, offset: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) {
    const b = bytes[offset + i]!;
    const hi = b >> 4;
    const lo = b & 15;
    if (hi > 9 || lo > 9) {
      throw new CodecError(file, offset + i, `not BCD: 0x${b.toString(16).padStart(2, '0')}`);
    }
    s += `${hi}${lo}`;
  }
  return s;
}

export function encodeBcd(file: string, digits: string, offset: number, len: number): Uint8Array {
  if (digits.length !== len * 2 || !/^\d*$/.test(digits)) {
    throw new CodecError(file, offset, `expected ${len * 2} decimal digits, got "${digits}"`);
  }
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (Number(digits[2 * i]) << 4) | Number(digits[2 * i + 1]);
  return out;
}

function checkDate(file: string, offset: number, d: string): void {
  const mo = Number(d.slice(4, 6));
  const day = Number(d.slice(6, 8));
  if (mo < 1 || mo > 12 || day < 1 || day > 31) throw new CodecError(file, offset, `not a date: ${d}`);
}

/** BCD CCYYMMDD → 'YYYYMMDD'. */
export function decodeBcdDate(file: string, bytes: Uint8Array, offset: number): string {
  const d = decodeBcd(file, bytes, offset, 4);
  checkDate(file, offset, d);
  return d;
}

export function encodeBcdDate(file: string, date: string, offset: number): Uint8Array {
  const out = encodeBcd(file, date, offset, 4);
  checkDate(file, offset, date);
  return out;
}

/** BCD hhmmss → 'hhmmss'. */
export function decodeBcdTime(file: string, bytes: Uint8Array, offset: number): string {
  const t = decodeBcd(file, bytes, offset, 3);
  if (Number(t.slice(0, 2)) > 23 || Number(t.slice(2, 4)) > 59 || Number(t.slice(4, 6)) > 59) {
    throw new CodecError(file, offset, `not a time: ${t}`);
  }
  return t;
}

/** The 7-byte BCD CCYYMMDDhhmmss (Beijing time) sent in INITIALIZE/8070/DEBIT. */
export function purchaseDateTime(date: Date): Uint8Array {
  return encodeBcd('datetime', beijingCompact(date), 0, 7);
}
