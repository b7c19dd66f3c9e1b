import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import type { CommandStatusTable } from '../status';

export const MF = 0x3f00;
export const ETC_DF = 0x1001;
export const PSAM_ETC_DF = 0xdf01;

/** SELECT by file ID: 00 A4 00 00 02 fid (no Le, as the lane sources send it). */
export function selectFile(fid: number): Uint8Array {
  return encodeCommand({
    cla: 0x00,
    ins: 0xa4,
    p1: 0x00,
    p2: 0x00,
    data: Uint8Array.of(fid >> 8, fid & 0xff),
  });
}

/** SELECT: no such file, or (1001 on a locked card) the application is locked [I]. */
export const SELECT_FILE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6a82, 'FILE_NOT_FOUND'],
  [0x9303, 'APPLICATION_LOCKED'],
  [0x6a81, 'FUNCTION_NOT_SUPPORTED'],
]);

/** The CPC's DF01 (entry/exit, pass and fee files) and the PSAM's DF01 that holds the CPC keys. */
export const CPC_DF01 = 0xdf01;
