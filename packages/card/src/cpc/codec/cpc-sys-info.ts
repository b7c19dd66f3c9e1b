/** MF/EF01 系统信息 (30 B), cpc-card.md §2.2. */

import { CPC_READ_LENGTHS } from '@tollpad/domain';
import { decodeBcdDate, encodeBcdDate } from '../../codec/bcd';
import {
  asCpc,
  CPC_FILE,
  cpcCodecError,
  decodingCpc,
  hexAt,
  putHexAt,
  putUintAt,
  requireCpcLength,
} from './cpc-fields';

const F = CPC_FILE.sysInfo;
export const CPC_SYS_INFO_LENGTH = CPC_READ_LENGTHS.sysInfo;

export interface CpcSysInfo {
  /** 发行方标识, 16 hex digits: area (4 B) + 运营商标识 (2 B) + reserved + 密钥分散标识 [I]. */
  readonly issuer: string;
  /** Issuer bytes 0–3: the area factor, the province name in GBK (甘肃 = B8CACBE0), not the network number. */
  readonly area: string;
  /** 16 hex digits; the record's mediaNo. */
  readonly cpcId: string;
  readonly version: number;
  /** 合同签署日期, BCD CCYYMMDD [I] → 'YYYYMMDD'. */
  readonly signedOn: string;
  readonly expiresOn: string;
  /** Bytes 25–29 (自定义), hex; kept so an image re-encodes to the same bytes. 00s when absent. */
  readonly reserved?: string;
}

/** A file that does not decode is CPC_UNREADABLE (file, offset and reason kept). */
export function decodeCpcSysInfo(bytes: Uint8Array): CpcSysInfo {
  return decodingCpc(() => decodeSysInfo(bytes));
}

function decodeSysInfo(bytes: Uint8Array): CpcSysInfo {
  requireCpcLength(F, bytes, [CPC_SYS_INFO_LENGTH]);
  return {
    issuer: hexAt(bytes, 0, 8),
    area: hexAt(bytes, 0, 4),
    cpcId: hexAt(bytes, 8, 8),
    version: bytes[16] ?? 0,
    signedOn: asCpc(() => decodeBcdDate(F, bytes, 17)),
    expiresOn: asCpc(() => decodeBcdDate(F, bytes, 21)),
    reserved: hexAt(bytes, 25, 5),
  };
}

export function encodeCpcSysInfo(info: CpcSysInfo): Uint8Array {
  const out = new Uint8Array(CPC_SYS_INFO_LENGTH);
  putHexAt(F, out, 0, 8, info.issuer, 'issuer');
  if (info.area.toUpperCase() !== info.issuer.slice(0, 8).toUpperCase()) {
    throw cpcCodecError(F, 0, `area ${info.area} is not the start of issuer ${info.issuer}`);
  }
  putHexAt(F, out, 8, 8, info.cpcId, 'cpcId');
  putUintAt(F, out, 16, 1, info.version, 'version');
  out.set(
    asCpc(() => encodeBcdDate(F, info.signedOn, 17)),
    17,
  );
  out.set(
    asCpc(() => encodeBcdDate(F, info.expiresOn, 21)),
    21,
  );
  putHexAt(F, out, 25, 5, info.reserved ?? '0000000000', 'reserved');
  return out;
}
