import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import { concatBytes, readUint, uintToBytes } from '../hex';
import type { CommandStatusTable } from '../status';
import { requireLength } from './response-error';

export interface InitializePurchaseRequest {
  keyIndex: number; // 01 on every lane
  amount: number; // fen
  terminalId: Uint8Array; // 6 B
}

/** INITIALIZE FOR CAPP PURCHASE: 80 50 03 02 0B keyIdx amount(4) termId(6) 0F (P1 03 = composite, P2 02 = EP). */
export function initializeCappPurchase(req: InitializePurchaseRequest): Uint8Array {
  return encodeCommand({
    cla: 0x80,
    ins: 0x50,
    p1: 0x03,
    p2: 0x02,
    data: concatBytes(Uint8Array.of(req.keyIndex), uintToBytes(req.amount >>> 0, 4), req.terminalId),
    le: 0x0f,
  });
}

export interface InitializePurchaseResponse {
  balanceRaw: number; // 4 B as stored; see codec/balance for signed reading
  atc: number; // offline ATC before this purchase
  overdraftLimit: number; // 3 B
  keyVersion: number;
  algorithmId: number;
  random: Uint8Array; // 4 B
}

export function parseInitializeCappPurchase(data: Uint8Array): InitializePurchaseResponse {
  requireLength('INITIALIZE FOR CAPP PURCHASE', data, 15);
  return {
    balanceRaw: readUint(data, 0, 4),
    atc: readUint(data, 4, 2),
    overdraftLimit: readUint(data, 6, 3),
    keyVersion: data[9]!,
    algorithmId: data[10]!,
    random: data.slice(11, 15),
  };
}

export function encodeInitializeCappPurchaseResponse(r: InitializePurchaseResponse): Uint8Array {
  return concatBytes(
    uintToBytes(r.balanceRaw, 4),
    uintToBytes(r.atc, 2),
    uintToBytes(r.overdraftLimit, 3),
    Uint8Array.of(r.keyVersion, r.algorithmId),
    r.random,
  );
}

/** INITIALIZE FOR CAPP PURCHASE: too little balance, an unknown key index, a locked application. */
export const INITIALIZE_CAPP_PURCHASE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x9401, 'INSUFFICIENT_BALANCE'],
  [0x9403, 'KEY_INDEX_NOT_FOUND'],
  [0x6a81, 'FUNCTION_NOT_SUPPORTED'],
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
]);
