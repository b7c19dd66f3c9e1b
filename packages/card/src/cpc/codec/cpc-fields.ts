/**
 * Field helpers shared by the CPC file codecs: the CPC's error (CODEC_INVALID with the bad-card advice),
 * exact lengths, hex fields, 3-byte amounts and card times. Integers are big-endian [I] (cpc-card.md, top).
 */
import { bytesToHex, hexToBytes, readUint, writeUint } from '../../apdu/hex';
import { CodecError } from '../../codec/errors';
import { type CpcTimeBase, cpcSecondsToDate, dateToCpcSeconds } from '../cpc-time';
import { cpcDecodeUnreadable } from '../cpc-unreadable';

/** File names as errors and the collector see them. */
export const CPC_FILE = {
  sysInfo: 'MF/EF01',
  baseInfo: 'MF/EF02',
  entry: 'DF01/EF01',
  pass: 'DF01/EF02',
  feeBlocks: 'DF01/EF04',
} as const;

/** cpc-card.md §5.4: an unreadable CPC is a damaged card (special 35) and goes to the no-card flow. */
const BAD_CPC_ADVICE = '请按CPC坏卡处理（转无卡流程）';

export function cpcCodecError(file: string, offset: number, reason: string): CodecError {
  return new CodecError(file, offset, reason, BAD_CPC_ADVICE);
}

export function requireCpcLength(file: string, bytes: Uint8Array, allowed: readonly number[]): void {
  if (!allowed.includes(bytes.length)) {
    throw cpcCodecError(
      file,
      Math.min(bytes.length, ...allowed),
      `length ${bytes.length}, expected ${allowed.join(' or ')}`,
    );
  }
}

export function hexAt(bytes: Uint8Array, off: number, len: number): string {
  return bytesToHex(bytes.subarray(off, off + len));
}

export function putHexAt(
  file: string,
  out: Uint8Array,
  off: number,
  len: number,
  hex: string,
  name: string,
): void {
  if (hex.length !== len * 2 || !/^[0-9A-Fa-f]*$/.test(hex)) {
    throw cpcCodecError(file, off, `${name} must be ${len * 2} hex digits, got "${hex}"`);
  }
  out.set(hexToBytes(hex), off);
}

/** An unsigned integer field; anything else is refused rather than wrapped. */
export function putUintAt(
  file: string,
  out: Uint8Array,
  off: number,
  len: number,
  value: number,
  name: string,
): void {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 256 ** len) {
    throw cpcCodecError(file, off, `${name} ${value} does not fit ${len} byte(s)`);
  }
  writeUint(out, off, value, len);
}

export function readTime(bytes: Uint8Array, off: number, base: CpcTimeBase): Date {
  return cpcSecondsToDate(readUint(bytes, off, 4), base);
}

/** 0 seconds means "no time written" (a blank or cleared card). */
export function readOptionalTime(bytes: Uint8Array, off: number, base: CpcTimeBase): Date | null {
  const s = readUint(bytes, off, 4);
  return s === 0 ? null : cpcSecondsToDate(s, base);
}

export function putTime(
  file: string,
  out: Uint8Array,
  off: number,
  date: Date | null,
  base: CpcTimeBase,
  name: string,
): void {
  const s = date === null ? 0 : dateToCpcSeconds(date, base);
  if (Number.isNaN(s)) throw cpcCodecError(file, off, `${name} is not a valid date`);
  putUintAt(file, out, off, 4, s, name);
}

export interface CpcTimeOptions {
  /** [I, unverified] default 'utc' (cpc-card.md "Card times"). */
  readonly timeBase?: CpcTimeBase;
}

/** Runs a shared codec helper (BCD, GBK) so that its CodecError carries the CPC's bad-card advice. */
export function asCpc<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof CodecError) throw cpcCodecError(e.file, e.offset, e.reason);
    throw e;
  }
}

/** Runs a CPC file decode so that any failure is the one CPC_UNREADABLE code (file, offset, reason kept). */
export function decodingCpc<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof CodecError) throw cpcDecodeUnreadable(e);
    throw e;
  }
}
