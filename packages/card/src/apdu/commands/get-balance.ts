import type { CardErrorCode } from '../../errors';
import { readUint } from '../hex';
import type { CommandStatusTable } from '../status';
import { requireLength } from './response-error';

/** GET BALANCE of the electronic purse: 80 5C 00 02 04. */
export function getBalance(): Uint8Array {
  return Uint8Array.of(0x80, 0x5c, 0x00, 0x02, 0x04);
}

/** The raw 4-byte balance (unsigned); codec/balance decides how to read it for the card type. */
export function parseGetBalance(data: Uint8Array): number {
  requireLength('GET BALANCE', data, 4);
  return readUint(data, 0, 4);
}

/** GET BALANCE: refused while the application is locked or unselected. */
export const GET_BALANCE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
  [0x6a81, 'FUNCTION_NOT_SUPPORTED'],
]);
