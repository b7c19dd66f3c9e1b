import { encodeCommand } from '../apdu';

/** PSAM MAC2 verification: 80 72 00 00 04 MAC2. */
export function creditSamForPurchase(mac2: Uint8Array): Uint8Array {
  return encodeCommand({ cla: 0x80, ins: 0x72, p1: 0x00, p2: 0x00, data: mac2 });
}
