/**
 * DF01/EF02 过站信息, current (2020 gantry-era) layout, cpc-card.md §2.5: a 28 B header for the current
 * province, the gantry count at 28 (≤ 24) and up to 24 × 3 B gantry HEX from 29; 101 B in all [I].
 * The legacy layout is not parsed: a card that fails these checks is abnormal (§2.5).
 */

import {
  CPC_FILE_LENGTHS,
  CPC_MAX_PATH_GANTRIES,
  CPC_MAX_PROVINCES,
  CPC_READ_LENGTHS,
} from '@tollpad/domain';
import { readUint } from '../../apdu/hex';
import { DEFAULT_CPC_TIME_BASE } from '../cpc-time';
import {
  CPC_FILE,
  type CpcTimeOptions,
  cpcCodecError,
  decodingCpc,
  hexAt,
  putHexAt,
  putTime,
  putUintAt,
  readOptionalTime,
  requireCpcLength,
} from './cpc-fields';

const F = CPC_FILE.pass;
export const CPC_PASS_INFO_LENGTH = CPC_READ_LENGTHS.pass;
/** The re-initialisation size of the file (cpc-card.md §2.1); gantries use the first 101 B. */
export const CPC_PASS_FILE_LENGTH = CPC_FILE_LENGTHS.pass;
/** TCS MAX_FEE_INFO (cpc-card.md §2.6): more provinces than this is an abnormal card. The one definition is the domain's. */
export { CPC_MAX_PATH_GANTRIES, CPC_MAX_PROVINCES };

export interface CpcPassInfo {
  /** 通行省份个数 = the number of EF04 blocks to read. */
  readonly provinceCount: number;
  readonly localGantryCount: number;
  /** fen */
  readonly localFee: number;
  readonly localMileageM: number;
  /** 6 hex digits; 000000 when the entry station carries no gantry. */
  readonly localEntryGantry: string;
  readonly localEntryTime: Date | null;
  readonly latestGantry: string;
  readonly latestTime: Date | null;
  readonly latestFee: number;
  readonly latestMileageM: number;
  /** The current province's path (fitted or as passed), 6 hex digits each. */
  readonly gantries: readonly string[];
}

/** Accepts the 101 B read or the whole file image; bytes after the list are not part of the path. */
/** A file that does not decode is CPC_UNREADABLE (file, offset and reason kept). */
export function decodeCpcPassInfo(bytes: Uint8Array, options: CpcTimeOptions = {}): CpcPassInfo {
  return decodingCpc(() => decodePassInfo(bytes, options));
}

function decodePassInfo(bytes: Uint8Array, options: CpcTimeOptions = {}): CpcPassInfo {
  requireCpcLength(F, bytes, [CPC_PASS_INFO_LENGTH, CPC_PASS_FILE_LENGTH]);
  const base = options.timeBase ?? DEFAULT_CPC_TIME_BASE;
  const provinceCount = bytes[0] ?? 0;
  if (provinceCount > CPC_MAX_PROVINCES) {
    throw cpcCodecError(F, 0, `province count ${provinceCount} is over ${CPC_MAX_PROVINCES}`);
  }
  const count = bytes[28] ?? 0;
  if (count > CPC_MAX_PATH_GANTRIES) {
    throw cpcCodecError(F, 28, `gantry count ${count} is over ${CPC_MAX_PATH_GANTRIES}`);
  }
  const gantries: string[] = [];
  for (let i = 0; i < count; i++) gantries.push(hexAt(bytes, 29 + 3 * i, 3));
  return {
    provinceCount,
    localGantryCount: bytes[1] ?? 0,
    localFee: readUint(bytes, 2, 3),
    localMileageM: readUint(bytes, 5, 3),
    localEntryGantry: hexAt(bytes, 8, 3),
    localEntryTime: readOptionalTime(bytes, 11, base),
    latestGantry: hexAt(bytes, 15, 3),
    latestTime: readOptionalTime(bytes, 18, base),
    latestFee: readUint(bytes, 22, 3),
    latestMileageM: readUint(bytes, 25, 3),
    gantries,
  };
}

/** The 101 B a gantry writes (list slots after the count are 00). */
export function encodeCpcPassInfo(pass: CpcPassInfo, options: CpcTimeOptions = {}): Uint8Array {
  const base = options.timeBase ?? DEFAULT_CPC_TIME_BASE;
  const out = new Uint8Array(CPC_PASS_INFO_LENGTH);
  if (
    !Number.isInteger(pass.provinceCount) ||
    pass.provinceCount < 0 ||
    pass.provinceCount > CPC_MAX_PROVINCES
  ) {
    throw cpcCodecError(F, 0, `province count ${pass.provinceCount} is outside 0..${CPC_MAX_PROVINCES}`);
  }
  out[0] = pass.provinceCount;
  putUintAt(F, out, 1, 1, pass.localGantryCount, 'localGantryCount');
  putUintAt(F, out, 2, 3, pass.localFee, 'localFee');
  putUintAt(F, out, 5, 3, pass.localMileageM, 'localMileageM');
  putHexAt(F, out, 8, 3, pass.localEntryGantry, 'localEntryGantry');
  putTime(F, out, 11, pass.localEntryTime, base, 'localEntryTime');
  putHexAt(F, out, 15, 3, pass.latestGantry, 'latestGantry');
  putTime(F, out, 18, pass.latestTime, base, 'latestTime');
  putUintAt(F, out, 22, 3, pass.latestFee, 'latestFee');
  putUintAt(F, out, 25, 3, pass.latestMileageM, 'latestMileageM');
  if (pass.gantries.length > CPC_MAX_PATH_GANTRIES) {
    throw cpcCodecError(F, 28, `${pass.gantries.length} gantries, at most ${CPC_MAX_PATH_GANTRIES}`);
  }
  out[28] = pass.gantries.length;
  pass.gantries.forEach((g, i) => {
    putHexAt(F, out, 29 + 3 * i, 3, g, `gantries[${i}]`);
  });
  return out;
}
