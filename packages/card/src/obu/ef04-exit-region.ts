/**
 * OBU DF01/EF04, the gantry-era accounting region at offsets 314–484 [S3 offsets, S3/S8 field order;
 * the sizes sum exactly to 91 + 80 B]. Bytes 0–313 are treated as opaque (superseded path records [I]).
 * Offsets in errors are absolute EF04 offsets.
 */
import { bytesToHex, hexToBytes, readUint, writeUint } from '../apdu/hex';
import { decodeBcd, encodeBcd } from '../codec/bcd';
import { CodecError } from '../codec/errors';

const F = 'OBU-EF04';
export const EF04_EXIT_OFFSET = 314;
export const EF04_EXIT_LENGTH = 171; // 91 B (B3 frame part) + 80 B provinces: 314..484
export const EF04_PROVINCE_RECORDS = 20;
/** [P] EF04 file size in the virtual ESAM (the sources only show data up to offset 484). */
export const EF04_FILE_SIZE = 512;

export interface ProvinceAmount {
  /** 省级行政区代码 (1 B). */
  readonly province: number;
  /** 省内金额 (fen, 3 B). */
  readonly amount: number;
}

export interface Ef04ExitRegion {
  /** Copy of 0019 bytes 0–38 (entry info + last gantry), hex. */
  readonly ef0019Copy: string;
  /** Copy of 0015 bytes 0–19: issuer (8 B hex), card type, version, network, internal number. */
  readonly ef0015Copy: {
    readonly issuerId: string;
    readonly cardType: number;
    readonly cardVersion: number;
    readonly network: string;
    readonly internalNumber: string;
  };
  readonly vehicleUserType: number;
  /** 通行省份个数: how many province records are in use. */
  readonly provinceCount: number;
  readonly totalReceivable: number; // 累计应收金额 fen
  readonly totalCollected: number; // 累计实收金额 fen
  readonly successCount: number; // 累计交易成功数
  readonly mileageMeters: number; // 累计计费里程, size [I]
  readonly noCardCount: number; // 标签无卡累计次数
  readonly provinceEntry: string; // 本省入口编码 (3 B hex)
  readonly provinceReceivable: number;
  readonly provinceSuccessCount: number;
  readonly provinceCollected: number; // size [I]
  /** 加密摘要 (8 B hex; algorithm unknown, kept opaque). */
  readonly digest: string;
  /** The first provinceCount records. */
  readonly provinces: readonly ProvinceAmount[];
  /** The unused records (provinceCount..19), hex, kept so decode→encode is lossless. */
  readonly unusedProvinceRecords: string;
}

/** Decodes the region from its 171 bytes (EF04 offsets 314–484) or from a whole EF04 file (≥ 485 B). */
export function decodeEf04ExitRegion(bytes: Uint8Array): Ef04ExitRegion {
  let r: Uint8Array;
  if (bytes.length === EF04_EXIT_LENGTH) r = bytes;
  else if (bytes.length >= EF04_EXIT_OFFSET + EF04_EXIT_LENGTH) {
    r = bytes.subarray(EF04_EXIT_OFFSET, EF04_EXIT_OFFSET + EF04_EXIT_LENGTH);
  } else {
    throw new CodecError(
      F,
      EF04_EXIT_OFFSET,
      `length ${bytes.length}, expected ${EF04_EXIT_LENGTH} or a whole file`,
    );
  }
  const at = (rel: number) => EF04_EXIT_OFFSET + rel;
  const provinceCount = r[60]!;
  if (provinceCount > EF04_PROVINCE_RECORDS) {
    throw new CodecError(F, at(60), `province count ${provinceCount} exceeds ${EF04_PROVINCE_RECORDS}`);
  }
  const provinces: ProvinceAmount[] = [];
  for (let i = 0; i < provinceCount; i++) {
    provinces.push({ province: r[91 + i * 4]!, amount: readUint(r, 92 + i * 4, 3) });
  }
  return {
    ef0019Copy: bytesToHex(r.subarray(0, 39)),
    ef0015Copy: {
      issuerId: bytesToHex(r.subarray(39, 47)),
      cardType: r[47]!,
      cardVersion: r[48]!,
      network: decodeBcdAt(r, 49, 2),
      internalNumber: decodeBcdAt(r, 51, 8),
    },
    vehicleUserType: r[59]!,
    provinceCount,
    totalReceivable: readUint(r, 61, 3),
    totalCollected: readUint(r, 64, 3),
    successCount: readUint(r, 67, 2),
    mileageMeters: readUint(r, 69, 3),
    noCardCount: r[72]!,
    provinceEntry: bytesToHex(r.subarray(73, 76)),
    provinceReceivable: readUint(r, 76, 3),
    provinceSuccessCount: r[79]!,
    provinceCollected: readUint(r, 80, 3),
    digest: bytesToHex(r.subarray(83, 91)),
    provinces,
    unusedProvinceRecords: bytesToHex(r.subarray(91 + provinceCount * 4, EF04_EXIT_LENGTH)),
  };
}

function decodeBcdAt(r: Uint8Array, rel: number, len: number): string {
  try {
    return decodeBcd(F, r, rel, len);
  } catch (error) {
    // Re-anchor the offset at the absolute EF04 position.
    if (error instanceof CodecError) throw new CodecError(F, EF04_EXIT_OFFSET + error.offset, error.reason);
    throw error;
  }
}

/** Encodes the 171-byte region (to be written at EF04 offset 314). */
export function encodeEf04ExitRegion(region: Ef04ExitRegion): Uint8Array {
  const r = new Uint8Array(EF04_EXIT_LENGTH);
  const hex = (rel: number, len: number, value: string, name: string) => {
    if (value.length !== len * 2 || !/^[0-9A-Fa-f]*$/.test(value)) {
      throw new CodecError(F, EF04_EXIT_OFFSET + rel, `${name} must be ${len * 2} hex digits`);
    }
    r.set(hexToBytes(value), rel);
  };
  const uint = (rel: number, len: number, value: number, name: string) => {
    if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** (8 * len)) {
      throw new CodecError(F, EF04_EXIT_OFFSET + rel, `${name} ${value} does not fit in ${len} byte(s)`);
    }
    writeUint(r, rel, value, len);
  };
  hex(0, 39, region.ef0019Copy, 'ef0019Copy');
  const c = region.ef0015Copy;
  hex(39, 8, c.issuerId, 'issuerId');
  uint(47, 1, c.cardType, 'cardType');
  uint(48, 1, c.cardVersion, 'cardVersion');
  r.set(encodeBcd(F, c.network, EF04_EXIT_OFFSET + 49, 2), 49);
  r.set(encodeBcd(F, c.internalNumber, EF04_EXIT_OFFSET + 51, 8), 51);
  uint(59, 1, region.vehicleUserType, 'vehicleUserType');
  if (region.provinces.length !== region.provinceCount || region.provinceCount > EF04_PROVINCE_RECORDS) {
    throw new CodecError(F, EF04_EXIT_OFFSET + 60, 'provinceCount must equal provinces.length (≤ 20)');
  }
  uint(60, 1, region.provinceCount, 'provinceCount');
  uint(61, 3, region.totalReceivable, 'totalReceivable');
  uint(64, 3, region.totalCollected, 'totalCollected');
  uint(67, 2, region.successCount, 'successCount');
  uint(69, 3, region.mileageMeters, 'mileageMeters');
  uint(72, 1, region.noCardCount, 'noCardCount');
  hex(73, 3, region.provinceEntry, 'provinceEntry');
  uint(76, 3, region.provinceReceivable, 'provinceReceivable');
  uint(79, 1, region.provinceSuccessCount, 'provinceSuccessCount');
  uint(80, 3, region.provinceCollected, 'provinceCollected');
  hex(83, 8, region.digest, 'digest');
  region.provinces.forEach((p, i) => {
    uint(91 + i * 4, 1, p.province, `provinces[${i}].province`);
    uint(92 + i * 4, 3, p.amount, `provinces[${i}].amount`);
  });
  const unusedStart = 91 + region.provinceCount * 4;
  const unused =
    region.unusedProvinceRecords === ''
      ? '00'.repeat(EF04_EXIT_LENGTH - unusedStart)
      : region.unusedProvinceRecords;
  hex(unusedStart, EF04_EXIT_LENGTH - unusedStart, unused, 'unusedProvinceRecords');
  return r;
}
