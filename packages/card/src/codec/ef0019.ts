/**
 * 0019 复合应用数据缓存 (43 B), two layouts in the field. [P] The layout is a configuration choice
 * ('legacy' before 2019, '2019' in the gantry era); the 2019 offsets are derived [I] (reference §1.6).
 * "UNIX time" fields are kept as the raw card seconds (Beijing wall clock [I]) plus the Date they denote.
 */
import { fromBeijingSeconds, type PlateColour, type VehicleClass } from '@tollpad/domain';
import { bytesToHex, hexToBytes, readUint, writeUint } from '../apdu/hex';
import { type Coded, plateColourOf, vehicleClassOf } from './coded';
import { CodecError, requireFileLength } from './errors';
import { decodeGbk, encodeGbk } from './gbk';

const F = '0019';

export type Ef0019Layout = 'legacy' | '2019';

interface Ef0019Common {
  /** 应用锁定标志: 0 = unlocked. */
  readonly lock: number;
  readonly network: string; // 2 B hex
  readonly station: string; // 2 B hex
  readonly lane: number;
  /** Card seconds (Beijing wall clock [I]). */
  readonly time: number;
  readonly vehicleClass: Coded<VehicleClass>;
  /** 入出口状态: 01 MTC entry, 02 MTC exit, 03 ETC entry, 04 ETC exit. */
  readonly status: number;
  readonly plate: string;
}

export interface Ef0019Legacy extends Ef0019Common {
  readonly layout: 'legacy';
  readonly markStation: string; // 9 B hex 标识站
  /** 收费员工号, 3 B as hex digits (S1's example shows 000999) [I]. */
  readonly staffId: string;
  readonly shift: number;
  readonly reserved: string; // 4 B hex
}

export interface Ef0019v2019 extends Ef0019Common {
  readonly layout: '2019';
  readonly gantryId: string; // 3 B hex
  readonly gantryTime: number;
  readonly plateColour: Coded<PlateColour>;
  readonly axles: number;
  readonly totalWeightKg: number;
  /** 车辆状态标识; 0xFF default [P]. */
  readonly vehicleStatusFlag: number;
  /** 累计金额 (fen). */
  readonly cumulativeAmount: number;
}

export type Ef0019 = Ef0019Legacy | Ef0019v2019;

/** The moment a card-seconds field denotes. */
export function cardTimeToDate(seconds: number): Date {
  return fromBeijingSeconds(seconds);
}

function hexField(bytes: Uint8Array, off: number, len: number): string {
  return bytesToHex(bytes.subarray(off, off + len));
}

function putHex(out: Uint8Array, off: number, len: number, hex: string, name: string): void {
  if (hex.length !== len * 2 || !/^[0-9A-Fa-f]*$/.test(hex)) {
    throw new CodecError(F, off, `${name} must be ${len * 2} hex digits, got "${hex}"`);
  }
  out.set(hexToBytes(hex), off);
}

export function decodeEf0019(bytes: Uint8Array, layout: Ef0019Layout): Ef0019 {
  requireFileLength(F, bytes, [43]);
  if (bytes[0] !== 0xaa) throw new CodecError(F, 0, `record tag 0x${bytes[0]!.toString(16)}, expected 0xAA`);
  if (bytes[1] !== 0x29)
    throw new CodecError(F, 1, `record length 0x${bytes[1]!.toString(16)}, expected 0x29`);
  const common = {
    lock: bytes[2]!,
    network: hexField(bytes, 3, 2),
    station: hexField(bytes, 5, 2),
    lane: bytes[7]!,
    time: readUint(bytes, 8, 4),
    vehicleClass: vehicleClassOf(bytes[12]!),
    status: bytes[13]!,
  };
  if (layout === 'legacy') {
    return {
      layout,
      ...common,
      markStation: hexField(bytes, 14, 9),
      staffId: hexField(bytes, 23, 3),
      shift: bytes[26]!,
      plate: decodeGbk(F, bytes, 27, 12),
      reserved: hexField(bytes, 39, 4),
    };
  }
  return {
    layout,
    ...common,
    gantryId: hexField(bytes, 14, 3),
    gantryTime: readUint(bytes, 17, 4),
    plate: decodeGbk(F, bytes, 21, 12),
    plateColour: plateColourOf(bytes[33]!),
    axles: bytes[34]!,
    totalWeightKg: readUint(bytes, 35, 3),
    vehicleStatusFlag: bytes[38]!,
    cumulativeAmount: readUint(bytes, 39, 4),
  };
}

export function encodeEf0019(r: Ef0019): Uint8Array {
  const out = new Uint8Array(43);
  out[0] = 0xaa;
  out[1] = 0x29;
  out[2] = r.lock & 0xff;
  putHex(out, 3, 2, r.network, 'network');
  putHex(out, 5, 2, r.station, 'station');
  out[7] = r.lane & 0xff;
  writeUint(out, 8, r.time >>> 0, 4);
  out[12] = r.vehicleClass.raw & 0xff;
  out[13] = r.status & 0xff;
  if (r.layout === 'legacy') {
    putHex(out, 14, 9, r.markStation, 'markStation');
    putHex(out, 23, 3, r.staffId, 'staffId');
    out[26] = r.shift & 0xff;
    out.set(encodeGbk(F, r.plate, 27, 12), 27);
    putHex(out, 39, 4, r.reserved, 'reserved');
    return out;
  }
  putHex(out, 14, 3, r.gantryId, 'gantryId');
  writeUint(out, 17, r.gantryTime >>> 0, 4);
  out.set(encodeGbk(F, r.plate, 21, 12), 21);
  out[33] = r.plateColour.raw & 0xff;
  out[34] = r.axles & 0xff;
  writeUint(out, 35, r.totalWeightKg, 3);
  out[38] = r.vehicleStatusFlag & 0xff;
  writeUint(out, 39, r.cumulativeAmount >>> 0, 4);
  return out;
}
