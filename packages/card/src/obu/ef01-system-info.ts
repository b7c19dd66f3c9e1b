/**
 * OBU MF/EF01 系统信息 (27 B) [S5 PKG_DATA, S1, S3 B2 frame]. Read in the VST and from the ESAM.
 */
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { decodeBcdDate, encodeBcdDate } from '../codec/bcd';
import { CodecError, requireFileLength } from '../codec/errors';
import { decodeGbk } from '../codec/gbk';

const F = 'OBU-EF01';
export const OBU_SYSTEM_INFO_LENGTH = 27;

/** [I] 拆卸状态: 0x01 installed/activated, 0x00 removed (tampered). No source gives the values directly. */
export const OBU_TAMPER_INSTALLED = 0x01;
export const OBU_TAMPER_REMOVED = 0x00;

export interface ObuSystemInfo {
  /** 合同服务提供商 (8 B hex); bytes 0–3 ×2 are the OBU key factor. */
  readonly provider: string;
  /** Provider bytes 0–3 as GBK (e.g. 万集), '' when not text. */
  readonly providerName: string;
  readonly contractType: number;
  /** 0x16 = a version-2 OBU [S5]. */
  readonly contractVersion: number;
  /** 合同序列号 (8 B hex): with provider[0..3]×2 the vehicle-info key factor. */
  readonly contractSerial: string;
  readonly signedDate: string; // YYYYMMDD
  readonly expiryDate: string; // YYYYMMDD
  /** 拆卸状态 raw byte. */
  readonly tamperStatus: number;
}

/** True when the 拆卸状态 byte says the OBU was removed from the windscreen [I]. */
export function isObuRemoved(info: ObuSystemInfo): boolean {
  return info.tamperStatus === OBU_TAMPER_REMOVED;
}

export function decodeObuSystemInfo(bytes: Uint8Array): ObuSystemInfo {
  requireFileLength(F, bytes, [OBU_SYSTEM_INFO_LENGTH]);
  let providerName = '';
  try {
    providerName = decodeGbk(F, bytes, 0, 4);
  } catch {
    // Provider codes need not be text.
  }
  return {
    provider: bytesToHex(bytes.subarray(0, 8)),
    providerName,
    contractType: bytes[8]!,
    contractVersion: bytes[9]!,
    contractSerial: bytesToHex(bytes.subarray(10, 18)),
    signedDate: decodeBcdDate(F, bytes, 18),
    expiryDate: decodeBcdDate(F, bytes, 22),
    tamperStatus: bytes[26]!,
  };
}

function putHex(out: Uint8Array, off: number, len: number, hex: string, name: string): void {
  if (hex.length !== len * 2 || !/^[0-9A-Fa-f]*$/.test(hex)) {
    throw new CodecError(F, off, `${name} must be ${len * 2} hex digits, got "${hex}"`);
  }
  out.set(hexToBytes(hex), off);
}

function putByte(out: Uint8Array, off: number, value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff)
    throw new CodecError(F, off, `${name} out of range`);
  out[off] = value;
}

export function encodeObuSystemInfo(info: ObuSystemInfo): Uint8Array {
  const out = new Uint8Array(OBU_SYSTEM_INFO_LENGTH);
  putHex(out, 0, 8, info.provider, 'provider');
  putByte(out, 8, info.contractType, 'contractType');
  putByte(out, 9, info.contractVersion, 'contractVersion');
  putHex(out, 10, 8, info.contractSerial, 'contractSerial');
  out.set(encodeBcdDate(F, info.signedDate, 18), 18);
  out.set(encodeBcdDate(F, info.expiryDate, 22), 22);
  putByte(out, 26, info.tamperStatus, 'tamperStatus');
  return out;
}
