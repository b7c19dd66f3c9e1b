import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import type { CommandStatusTable } from '../status';

/** UPDATE CAPP DATA CACHE of 0019: 80 DC AA C8 2B + 43 B (P1 AA = record ID, P2 C8 = SFI 19, "P1 is the ID"). */
export function updateCappDataCache(record43: Uint8Array): Uint8Array {
  return encodeCommand({ cla: 0x80, ins: 0xdc, p1: 0xaa, p2: 0xc8, data: record43 });
}

/** UPDATE CAPP DATA CACHE: outside a purchase session, no such record, or a record of the wrong length. */
export const UPDATE_CAPP_DATA_CACHE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
  [0x6a83, 'RECORD_NOT_FOUND'],
  [0x6700, 'WRONG_LENGTH'],
]);
