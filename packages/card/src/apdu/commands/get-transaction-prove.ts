import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import { uintToBytes } from '../hex';
import type { CommandStatusTable } from '../status';
import type { PurchaseProof } from './debit-capp-purchase';
import { requireLength } from './response-error';

export const TRANSACTION_TYPE_COMPOSITE = 0x09;
export const TRANSACTION_TYPE_PURCHASE = 0x06;

/** GET TRANSACTION PROVE: 80 5A 00 type 02 ATC(2) 08. ATC = the INITIALIZE ATC + 1. */
export function getTransactionProve(atc: number, transactionType = TRANSACTION_TYPE_COMPOSITE): Uint8Array {
  return encodeCommand({
    cla: 0x80,
    ins: 0x5a,
    p1: 0x00,
    p2: transactionType,
    data: uintToBytes(atc, 2),
    le: 0x08,
  });
}

/** The answer is MAC2 ‖ TAC: the reverse of DEBIT's order (S7). */
export function parseGetTransactionProve(data: Uint8Array): PurchaseProof {
  requireLength('GET TRANSACTION PROVE', data, 8);
  return { mac2: data.slice(0, 4), tac: data.slice(4, 8) };
}

/** GET TRANSACTION PROVE: 9406, the card holds no transaction of that ATC (it was not debited). */
export const GET_TRANSACTION_PROVE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x9406, 'TRANSACTION_NOT_PROVEN'],
]);
