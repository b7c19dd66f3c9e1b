/**
 * Adds the OBU vehicle-information commands to a virtual PSAM (TEST keys): 80 1A 59 03 10 ‖ factor(16)
 * diversifies the key of usage 59 index 03, then 80 FA 80 00 Lc ‖ ciphertext decrypts with it (3DES-ECB,
 * [P] model of §2.3). Every other command goes to the wrapped PSAM unchanged. Kept as a wrapper so the
 * purse PSAM (sim/virtual-psam.ts) stays independent of the OBU model.
 */
import { concatBytes } from '../apdu/hex';
import { TripleDes } from '../crypto/des';
import { ecbDecrypt } from '../crypto/modes';
import type { ApduCard } from '../reader/reader';
import { obuVehicleKey, TEST_OBU_VEHICLE_MASTER_KEY } from './vehicle-info-crypto';

const sw = (value: number, data: Uint8Array = new Uint8Array(0)) =>
  concatBytes(data, Uint8Array.of(value >> 8, value & 0xff));

export class PsamWithVehicleKey implements ApduCard {
  private sessionKey: Uint8Array | undefined;

  constructor(
    readonly inner: ApduCard,
    private readonly masterKey: Uint8Array = TEST_OBU_VEHICLE_MASTER_KEY,
  ) {}

  powerOn(): Uint8Array {
    this.sessionKey = undefined;
    return this.inner.powerOn();
  }

  powerOff(): void {
    this.sessionKey = undefined;
    this.inner.powerOff();
  }

  transmit(command: Uint8Array): Uint8Array {
    if (command[0] === 0x80 && command[1] === 0x1a) return this.diversify(command);
    if (command[0] === 0x80 && command[1] === 0xfa) return this.decrypt(command);
    return this.inner.transmit(command);
  }

  private diversify(c: Uint8Array): Uint8Array {
    this.sessionKey = undefined;
    if (c.length !== 5 + 16 || c[4] !== 0x10) return sw(0x6700);
    if (c[2] !== 0x59 || c[3] !== 0x03) return sw(0x6a88); // only the vehicle-info key is modelled
    this.sessionKey = obuVehicleKey(this.masterKey, c.subarray(5));
    return sw(0x9000);
  }

  private decrypt(c: Uint8Array): Uint8Array {
    const key = this.sessionKey;
    if (!key) return sw(0x6985);
    if (c[2] !== 0x80) return sw(0x6a86);
    const lc = c[4] ?? 0;
    const data = c.subarray(5, 5 + lc);
    if (lc === 0 || data.length !== lc || lc % 8 !== 0) return sw(0x6700);
    return sw(0x9000, ecbDecrypt(new TripleDes(key), data));
  }
}
