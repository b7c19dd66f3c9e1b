/**
 * OBU DF01/EF01 vehicle information (plaintext after PSAM decryption). Two layouts, chosen by
 * configuration: the legacy 59-B file [S5, S3] and the 2019+ 79-B file whose offsets are a PROPOSAL [P]
 * (reference §2.3). Bytes 0–15 are the same in both: the bytes the lane checks.
 */
import type { PlateColour, VehicleClass } from '@tollpad/domain';
import { bytesToHex, hexToBytes, readUint, writeUint } from '../apdu/hex';
import { type Coded, plateColourOf, vehicleClassOf } from '../codec/coded';
import { CodecError, requireFileLength } from '../codec/errors';
import { decodeGbk, encodeGbk } from '../codec/gbk';

const F = 'OBU-VEHICLE';

export type VehicleInfoLayout = 'legacy59' | 'v79';

export const VEHICLE_INFO_LENGTH: Readonly<Record<VehicleInfoLayout, number>> = { legacy59: 59, v79: 79 };

interface VehicleInfoCommon {
  readonly plate: string;
  readonly plateColour: Coded<PlateColour>;
  readonly vehicleClass: Coded<VehicleClass>;
  readonly vehicleUserType: number;
  /** 长/宽/高 as issued (raw numbers; the unit is not stated in the sources [I]). */
  readonly length: number;
  readonly width: number;
  readonly height: number;
  /** 车辆特征描述 (GBK). */
  readonly description: string;
}

export interface VehicleInfoLegacy extends VehicleInfoCommon {
  readonly layout: 'legacy59';
  readonly wheels: number;
  readonly axles: number;
  /** 轴距 (dm). */
  readonly wheelbase: number;
  /** 载重 kg (trucks) or 座位数 (passenger). */
  readonly loadOrSeats: number;
  /** 发动机号 (GBK/ASCII, 0x00 padded). */
  readonly engineNumber: string;
}

export interface VehicleInfoV79 extends VehicleInfoCommon {
  readonly layout: 'v79';
  readonly ratedLoadKg: number;
  readonly curbWeightKg: number;
  readonly totalWeightKg: number;
  readonly seats: number;
  readonly vin: string;
  /** 16 B reserved, hex. */
  readonly reserved: string;
}

export type VehicleInfo = VehicleInfoLegacy | VehicleInfoV79;

function decodeCommon(bytes: Uint8Array, descriptionOffset: number): VehicleInfoCommon {
  return {
    plate: decodeGbk(F, bytes, 0, 12),
    plateColour: plateColourOf(readUint(bytes, 12, 2)),
    vehicleClass: vehicleClassOf(bytes[14]!),
    vehicleUserType: bytes[15]!,
    length: readUint(bytes, 16, 2),
    width: bytes[18]!,
    height: bytes[19]!,
    description: decodeGbk(F, bytes, descriptionOffset, 16),
  };
}

export function decodeVehicleInfo(bytes: Uint8Array, layout: VehicleInfoLayout): VehicleInfo {
  requireFileLength(F, bytes, [VEHICLE_INFO_LENGTH[layout]]);
  if (layout === 'legacy59') {
    return {
      layout,
      ...decodeCommon(bytes, 27),
      wheels: bytes[20]!,
      axles: bytes[21]!,
      wheelbase: readUint(bytes, 22, 2),
      loadOrSeats: readUint(bytes, 24, 3),
      engineNumber: decodeGbk(F, bytes, 43, 16),
    };
  }
  return {
    layout,
    ...decodeCommon(bytes, 47),
    ratedLoadKg: readUint(bytes, 20, 3),
    curbWeightKg: readUint(bytes, 23, 3),
    totalWeightKg: readUint(bytes, 26, 3),
    seats: bytes[29]!,
    vin: decodeGbk(F, bytes, 30, 17),
    reserved: bytesToHex(bytes.subarray(63, 79)),
  };
}

function putUint(out: Uint8Array, off: number, len: number, value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** (8 * len)) {
    throw new CodecError(F, off, `${name} ${value} does not fit in ${len} byte(s)`);
  }
  writeUint(out, off, value, len);
}

export function encodeVehicleInfo(info: VehicleInfo): Uint8Array {
  const out = new Uint8Array(VEHICLE_INFO_LENGTH[info.layout]);
  out.set(encodeGbk(F, info.plate, 0, 12), 0);
  putUint(out, 12, 2, info.plateColour.raw, 'plateColour');
  putUint(out, 14, 1, info.vehicleClass.raw, 'vehicleClass');
  putUint(out, 15, 1, info.vehicleUserType, 'vehicleUserType');
  putUint(out, 16, 2, info.length, 'length');
  putUint(out, 18, 1, info.width, 'width');
  putUint(out, 19, 1, info.height, 'height');
  if (info.layout === 'legacy59') {
    putUint(out, 20, 1, info.wheels, 'wheels');
    putUint(out, 21, 1, info.axles, 'axles');
    putUint(out, 22, 2, info.wheelbase, 'wheelbase');
    putUint(out, 24, 3, info.loadOrSeats, 'loadOrSeats');
    out.set(encodeGbk(F, info.description, 27, 16), 27);
    out.set(encodeGbk(F, info.engineNumber, 43, 16), 43);
    return out;
  }
  putUint(out, 20, 3, info.ratedLoadKg, 'ratedLoadKg');
  putUint(out, 23, 3, info.curbWeightKg, 'curbWeightKg');
  putUint(out, 26, 3, info.totalWeightKg, 'totalWeightKg');
  putUint(out, 29, 1, info.seats, 'seats');
  out.set(encodeGbk(F, info.vin, 30, 17), 30);
  out.set(encodeGbk(F, info.description, 47, 16), 47);
  if (!/^[0-9A-Fa-f]{32}$/.test(info.reserved)) throw new CodecError(F, 63, 'reserved must be 32 hex digits');
  out.set(hexToBytes(info.reserved), 63);
  return out;
}
