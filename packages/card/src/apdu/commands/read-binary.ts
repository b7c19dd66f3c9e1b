import { encodeCommand } from '../apdu';

/** READ BINARY by short file identifier: 00 B0 (80|sfi) offset Le. */
export function readBinarySfi(sfi: number, offset: number, le: number): Uint8Array {
  return encodeCommand({ cla: 0x00, ins: 0xb0, p1: 0x80 | (sfi & 0x1f), p2: offset & 0xff, le });
}
