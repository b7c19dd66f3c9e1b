import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import { concatBytes, readUint, uintToBytes } from '../hex';
import type { CommandStatusTable } from '../status';
import { requireLength } from './response-error';

export interface InitSamForPurchaseRequest {
  random: Uint8Array; // 4 B from the card
  atc: number; // 2 B from the card
  amount: number;
  transactionType: number; // 09
  datetime: Uint8Array; // 7 B BCD
  keyVersion: number; // from the card (INITIALIZE byte 9)
  algorithmId: number; // from the card (INITIALIZE byte 10)
  cardNumber8: Uint8Array; // 0015 bytes 12–19
  issuerFactor8: Uint8Array; // 0015 bytes 0–3 twice
}

/** PSAM MAC1: 80 70 00 00 24 rnd ATC amount type datetime keyVer algId cardNo(8) factor(8) 08. */
export function initSamForPurchase(r: InitSamForPurchaseRequest): Uint8Array {
  return encodeCommand({
    cla: 0x80,
    ins: 0x70,
    p1: 0x00,
    p2: 0x00,
    data: concatBytes(
      r.random,
      uintToBytes(r.atc, 2),
      uintToBytes(r.amount >>> 0, 4),
      Uint8Array.of(r.transactionType),
      r.datetime,
      Uint8Array.of(r.keyVersion, r.algorithmId),
      r.cardNumber8,
      r.issuerFactor8,
    ),
    le: 0x08,
  });
}

export function parseInitSamForPurchaseRequest(data: Uint8Array): InitSamForPurchaseRequest {
  requireLength('INIT SAM FOR PURCHASE (request)', data, 36);
  return {
    random: data.slice(0, 4),
    atc: readUint(data, 4, 2),
    amount: readUint(data, 6, 4),
    transactionType: data[10]!,
    datetime: data.slice(11, 18),
    keyVersion: data[18]!,
    algorithmId: data[19]!,
    cardNumber8: data.slice(20, 28),
    issuerFactor8: data.slice(28, 36),
  };
}

export interface InitSamForPurchaseResponse {
  terminalSerial: number;
  mac1: Uint8Array;
}

export function parseInitSamForPurchase(data: Uint8Array): InitSamForPurchaseResponse {
  requireLength('INIT SAM FOR PURCHASE', data, 8);
  return { terminalSerial: readUint(data, 0, 4), mac1: data.slice(4, 8) };
}

/** PSAM 80 70 (MAC1): 6985 before the online authorisation, an unknown key. */
export const INIT_SAM_FOR_PURCHASE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
  [0x6a88, 'REFERENCED_DATA_NOT_FOUND'],
  [0x6982, 'SECURITY_STATUS'],
]);
