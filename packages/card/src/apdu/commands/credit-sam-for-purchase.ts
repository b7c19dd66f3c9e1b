import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import type { CommandStatusTable } from '../status';

/** PSAM MAC2 verification: 80 72 00 00 04 MAC2. */
export function creditSamForPurchase(mac2: Uint8Array): Uint8Array {
  return encodeCommand({ cla: 0x80, ins: 0x72, p1: 0x00, p2: 0x00, data: mac2 });
}

/** PSAM 80 72 (MAC2): the card's MAC2 does not verify, or no purchase session (after a restart). */
export const CREDIT_SAM_FOR_PURCHASE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x9302, 'MAC2_INVALID'],
  [0x6988, 'MAC2_INVALID'],
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
]);
