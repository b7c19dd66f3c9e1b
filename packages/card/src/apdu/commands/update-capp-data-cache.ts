import { encodeCommand } from '../apdu';

/** UPDATE CAPP DATA CACHE of 0019: 80 DC AA C8 2B + 43 B (P1 AA = record ID, P2 C8 = SFI 19, "P1 is the ID"). */
export function updateCappDataCache(record43: Uint8Array): Uint8Array {
  return encodeCommand({ cla: 0x80, ins: 0xdc, p1: 0xaa, p2: 0xc8, data: record43 });
}
