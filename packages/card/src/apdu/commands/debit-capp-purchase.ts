import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import { concatBytes, uintToBytes } from '../hex';
import type { CommandStatusTable } from '../status';
import { requireLength } from './response-error';

export interface DebitRequest {
  terminalSerial: number; // 4 B from the PSAM
  datetime: Uint8Array; // 7 B BCD, the same as sent to the PSAM
  mac1: Uint8Array; // 4 B
}

/** DEBIT FOR CAPP PURCHASE: 80 54 01 00 0F termSeq(4) datetime(7) MAC1(4) 08. */
export function debitCappPurchase(req: DebitRequest): Uint8Array {
  return encodeCommand({
    cla: 0x80,
    ins: 0x54,
    p1: 0x01,
    p2: 0x00,
    data: concatBytes(uintToBytes(req.terminalSerial >>> 0, 4), req.datetime, req.mac1),
    le: 0x08,
  });
}

export interface PurchaseProof {
  tac: Uint8Array;
  mac2: Uint8Array;
}

/** DEBIT answers TAC ‖ MAC2. */
export function parseDebitCappPurchase(data: Uint8Array): PurchaseProof {
  requireLength('DEBIT FOR CAPP PURCHASE', data, 8);
  return { tac: data.slice(0, 4), mac2: data.slice(4, 8) };
}

/** DEBIT FOR CAPP PURCHASE: MAC1 wrong, or no purchase initialised (nothing was debited either way). */
export const DEBIT_CAPP_PURCHASE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x9302, 'MAC_INVALID'],
  [0x6901, 'COMMAND_NOT_ACCEPTED'],
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
]);
