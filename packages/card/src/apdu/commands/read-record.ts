import { encodeCommand } from '../apdu';

/** READ RECORD n of SFI: 00 B2 n (sfi<<3 | 4) Le. 0019 → 00B201CC2B, 0018 → 00B2nnC417. */
export function readRecord(record: number, sfi: number, le: number): Uint8Array {
  return encodeCommand({ cla: 0x00, ins: 0xb2, p1: record, p2: ((sfi & 0x1f) << 3) | 4, le });
}
