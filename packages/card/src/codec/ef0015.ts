/**
 * 0015 卡片发行基本数据: 43 B (legacy) or 50 B (2019+, adds 车型 at 43 [I] and 6 reserved bytes [P]).
 */
import type { PlateColour, VehicleClass } from '@tollpad/domain';
import { bytesToHex, hexToBytes, readUint, writeUint } from '../apdu/hex';
import { decodeBcd, decodeBcdDate, encodeBcd, encodeBcdDate } from './bcd';
import { type CardKind, type Coded, cardKindOf, plateColourOf, vehicleClassOf } from './coded';
import { CodecError, requireFileLength } from './errors';
import { decodeGbk, encodeGbk } from './gbk';

const F = '0015';

export interface Ef0015 {
  /** 8 B 发卡方标识, hex. Bytes 0–3 are the province name in GBK, ×2 the level-1 key factor. */
  readonly issuerId: string;
  /** Bytes 0–3 decoded as GBK for display (e.g. 陕西); '' when they are not GBK text. */
  readonly issuerName: string;
  readonly cardType: number;
  readonly cardKind: CardKind;
  readonly cardVersion: number;
  /** 卡片网络编号, 4 BCD digits. */
  readonly network: string;
  /** 卡片内部编号, 16 BCD digits. */
  readonly internalNumber: string;
  /** 20-digit card number = network + internal number. */
  readonly cardNumber: string;
  readonly validFrom: string; // YYYYMMDD
  readonly validUntil: string; // YYYYMMDD
  readonly plate: string;
  readonly userType: number;
  readonly plateColour: Coded<PlateColour>;
  /** 50-B format only. */
  readonly vehicleClass?: Coded<VehicleClass>;
  /** 50-B format only: bytes 44–49 as hex. */
  readonly reserved?: string;
}

function issuerName(bytes: Uint8Array): string {
  try {
    return decodeGbk(F, bytes, 0, 4);
  } catch {
    return '';
  }
}

export function decodeEf0015(bytes: Uint8Array): Ef0015 {
  requireFileLength(F, bytes, [43, 50]);
  const network = decodeBcd(F, bytes, 10, 2);
  const internalNumber = decodeBcd(F, bytes, 12, 8);
  const base = {
    issuerId: bytesToHex(bytes.subarray(0, 8)),
    issuerName: issuerName(bytes),
    cardType: bytes[8]!,
    cardKind: cardKindOf(bytes[8]!),
    cardVersion: bytes[9]!,
    network,
    internalNumber,
    cardNumber: network + internalNumber,
    validFrom: decodeBcdDate(F, bytes, 20),
    validUntil: decodeBcdDate(F, bytes, 24),
    plate: decodeGbk(F, bytes, 28, 12),
    userType: bytes[40]!,
    plateColour: plateColourOf(readUint(bytes, 41, 2)),
  };
  if (bytes.length === 43) return base;
  return { ...base, vehicleClass: vehicleClassOf(bytes[43]!), reserved: bytesToHex(bytes.subarray(44, 50)) };
}

export function encodeEf0015(ef: Ef0015): Uint8Array {
  const long = ef.vehicleClass !== undefined;
  const out = new Uint8Array(long ? 50 : 43);
  if (!/^[0-9A-Fa-f]{16}$/.test(ef.issuerId)) throw new CodecError(F, 0, `issuerId must be 16 hex digits`);
  out.set(hexToBytes(ef.issuerId), 0);
  out[8] = ef.cardType & 0xff;
  out[9] = ef.cardVersion & 0xff;
  out.set(encodeBcd(F, ef.network, 10, 2), 10);
  out.set(encodeBcd(F, ef.internalNumber, 12, 8), 12);
  out.set(encodeBcdDate(F, ef.validFrom, 20), 20);
  out.set(encodeBcdDate(F, ef.validUntil, 24), 24);
  out.set(encodeGbk(F, ef.plate, 28, 12), 28);
  out[40] = ef.userType & 0xff;
  writeUint(out, 41, ef.plateColour.raw & 0xffff, 2);
  if (long) {
    out[43] = ef.vehicleClass!.raw & 0xff;
    const reserved = ef.reserved ?? '000000000000';
    if (!/^[0-9A-Fa-f]{12}$/.test(reserved)) throw new CodecError(F, 44, 'reserved must be 12 hex digits');
    out.set(hexToBytes(reserved), 44);
  }
  return out;
}

/** 0015 bytes 12–19: the card factor for level-2 diversification and the 8070 card number. */
export function cardNumber8(ef: Ef0015): Uint8Array {
  return hexToBytes(ef.internalNumber);
}

/** 0015 bytes 0–3 twice: the level-1 (issuer) diversification factor. */
export function issuerFactor8(ef: Ef0015): Uint8Array {
  const head = ef.issuerId.slice(0, 8);
  return hexToBytes(head + head);
}
