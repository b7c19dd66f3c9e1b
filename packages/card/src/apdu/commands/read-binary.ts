import type { CardErrorCode } from '../../errors';
import { encodeCommand } from '../apdu';
import type { CommandStatusTable } from '../status';

/** READ BINARY by short file identifier: 00 B0 (80|sfi) offset Le. */
export function readBinarySfi(sfi: number, offset: number, le: number): Uint8Array {
  return encodeCommand({ cla: 0x00, ins: 0xb0, p1: 0x80 | (sfi & 0x1f), p2: offset & 0xff, le });
}

/** READ BINARY: no such file, an offset past its end, or reading not allowed. */
export const READ_BINARY_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6a82, 'FILE_NOT_FOUND'],
  [0x6b00, 'WRONG_OFFSET'],
  [0x6982, 'SECURITY_STATUS'],
]);
