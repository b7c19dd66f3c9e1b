/**
 * MF/EF02 基本信息, cpc-card.md §2.3: byte 0 battery (bit 7 = low, bits 0–6 = percent), byte 1 the
 * 5.8 GHz radio STATE (1 on, 0 off — not DF01/EF01 byte 23's 01/02 control), then vendor bytes.
 * Read as 32 B (`00B0 8200 20`); the lane interface passes only 2 B; the vendor file is 64 B.
 */

import { CPC_READ_LENGTHS } from '@tollpad/domain';
import { bytesToHex } from '../../apdu/hex';
import { CPC_FILE, cpcCodecError, decodingCpc, putHexAt, putUintAt } from './cpc-fields';

const F = CPC_FILE.baseInfo;
export const CPC_BASE_INFO_READ_LENGTH = CPC_READ_LENGTHS.baseInfo;

export interface CpcBaseInfo {
  readonly batteryPercent: number;
  readonly batteryLow: boolean;
  readonly radioOn: boolean;
  /** Bytes 2.. (vendor-defined), hex; 00s when absent. */
  readonly vendor?: string;
}

/** A file that does not decode is CPC_UNREADABLE (file, offset and reason kept). */
export function decodeCpcBaseInfo(bytes: Uint8Array): CpcBaseInfo {
  return decodingCpc(() => decodeBaseInfo(bytes));
}

function decodeBaseInfo(bytes: Uint8Array): CpcBaseInfo {
  if (bytes.length < 2 || bytes.length > 64) {
    throw cpcCodecError(F, Math.min(bytes.length, 2), `length ${bytes.length}, expected 2..64`);
  }
  const battery = bytes[0] ?? 0;
  const batteryPercent = battery & 0x7f;
  if (batteryPercent > 100) throw cpcCodecError(F, 0, `battery ${batteryPercent} % is over 100`);
  const radio = bytes[1] ?? 0;
  if (radio > 1)
    throw cpcCodecError(F, 1, `radio state 0x${radio.toString(16).padStart(2, '0')}, expected 00 or 01`);
  return {
    batteryPercent,
    batteryLow: (battery & 0x80) !== 0,
    radioOn: radio === 1,
    vendor: bytesToHex(bytes.subarray(2)),
  };
}

/** `length` is the file or read size (32 by default); vendor bytes beyond it are refused. */
export function encodeCpcBaseInfo(info: CpcBaseInfo, length: number = CPC_BASE_INFO_READ_LENGTH): Uint8Array {
  if (!Number.isInteger(length) || length < 2 || length > 64) {
    throw cpcCodecError(F, 0, `length ${length}, expected 2..64`);
  }
  const out = new Uint8Array(length);
  if (!Number.isInteger(info.batteryPercent) || info.batteryPercent < 0 || info.batteryPercent > 100) {
    throw cpcCodecError(F, 0, `battery ${info.batteryPercent} % is outside 0..100`);
  }
  putUintAt(F, out, 0, 1, info.batteryPercent | (info.batteryLow ? 0x80 : 0), 'battery');
  out[1] = info.radioOn ? 1 : 0;
  const vendor = info.vendor ?? '';
  if (vendor.length % 2 !== 0 || vendor.length > (length - 2) * 2)
    throw cpcCodecError(F, 2, `vendor must be whole bytes, at most ${length - 2}`);
  if (vendor !== '') putHexAt(F, out, 2, vendor.length / 2, vendor, 'vendor');
  return out;
}
