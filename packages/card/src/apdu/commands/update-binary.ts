import type { CardErrorCode } from '../../errors';
import { ApduFormatError, encodeCommand } from '../apdu';
import type { CommandStatusTable } from '../status';

/** UPDATE BINARY by short file identifier: 00 D6 (80|sfi) offset Lc data (offset 0–255, ISO 7816-4). */
export function updateBinarySfi(sfi: number, offset: number, data: Uint8Array): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xff) {
    throw new ApduFormatError(`an SFI UPDATE starts at 0..255, got ${offset}`);
  }
  if (data.length === 0) throw new ApduFormatError('UPDATE BINARY needs data');
  return encodeCommand({ cla: 0x00, ins: 0xd6, p1: 0x80 | (sfi & 0x1f), p2: offset, data });
}

/** UPDATE BINARY: 6982 no (or a lost) external authentication, a write past the end, no such file. */
export const UPDATE_BINARY_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6982, 'SECURITY_STATUS'],
  [0x6b00, 'WRONG_OFFSET'],
  [0x6a82, 'FILE_NOT_FOUND'],
  [0x6700, 'WRONG_LENGTH'],
  [0x6581, 'MEMORY_FAILURE'],
]);
