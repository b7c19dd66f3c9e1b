/** 0018 交易明细 record (23 B, cyclic, record 1 = latest). */
import { bytesToHex, hexToBytes, readUint, writeUint } from '../apdu/hex';
import { decodeBcdDate, decodeBcdTime, encodeBcd, encodeBcdDate } from './bcd';
import { CodecError, requireFileLength } from './errors';

const F = '0018';

export interface Ef0018Record {
  readonly atc: number;
  readonly overdraftLimit: number;
  readonly amount: number; // fen
  /** 02 load, 06 purchase, 09 composite. */
  readonly transactionType: number;
  readonly terminalId: string; // 12 hex
  readonly date: string; // YYYYMMDD
  readonly time: string; // hhmmss
}

export function decodeEf0018(bytes: Uint8Array): Ef0018Record {
  requireFileLength(F, bytes, [23]);
  return {
    atc: readUint(bytes, 0, 2),
    overdraftLimit: readUint(bytes, 2, 3),
    amount: readUint(bytes, 5, 4),
    transactionType: bytes[9]!,
    terminalId: bytesToHex(bytes.subarray(10, 16)),
    date: decodeBcdDate(F, bytes, 16),
    time: decodeBcdTime(F, bytes, 20),
  };
}

export function encodeEf0018(r: Ef0018Record): Uint8Array {
  const out = new Uint8Array(23);
  writeUint(out, 0, r.atc, 2);
  writeUint(out, 2, r.overdraftLimit, 3);
  writeUint(out, 5, r.amount >>> 0, 4);
  out[9] = r.transactionType & 0xff;
  if (!/^[0-9A-Fa-f]{12}$/.test(r.terminalId))
    throw new CodecError(F, 10, 'terminalId must be 12 hex digits');
  out.set(hexToBytes(r.terminalId), 10);
  out.set(encodeBcdDate(F, r.date, 16), 16);
  out.set(encodeBcd(F, r.time, 20, 3), 20);
  decodeBcdTime(F, out, 20);
  return out;
}
