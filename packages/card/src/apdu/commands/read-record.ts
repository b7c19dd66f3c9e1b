import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import type { CommandStatusTable } from '../status';

/** READ RECORD n of SFI: 00 B2 n (sfi<<3 | 4) Le. 0019 → 00B201CC2B, 0018 → 00B2nnC417. */
export function readRecord(record: number, sfi: number, le: number): Uint8Array {
  return encodeCommand({ cla: 0x00, ins: 0xb2, p1: record, p2: ((sfi & 0x1f) << 3) | 4, le });
}

/** READ RECORD: 6A83 past the last record (how a 0018 read ends), no such file, or not allowed. */
export const READ_RECORD_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6a83, 'RECORD_NOT_FOUND'],
  [0x6a82, 'FILE_NOT_FOUND'],
  [0x6982, 'SECURITY_STATUS'],
]);
