import { bytesToHex, hexToBytes } from '../apdu/hex';
import type { ApduCard } from '../reader/reader';

/**
 * A TEST-only ApduCard with a fixed answer table, for transport tests that must not depend on the full
 * card simulator. Commands are matched by upper-case hex; unknown commands answer 6D00. `80 54 …`
 * (a stand-in for DEBIT) lowers a counter by one so a test can see whether a torn command ran.
 */
export class ScriptedTestCard implements ApduCard {
  readonly log: string[] = [];
  powered = false;
  counter = 100;
  constructor(
    private readonly answers: Readonly<Record<string, string>> = DEFAULT_TEST_ANSWERS,
    readonly atr: Uint8Array = Uint8Array.of(0x3b, 0x02, 0x14, 0x50),
  ) {}

  powerOn(): Uint8Array {
    this.powered = true;
    return this.atr;
  }

  powerOff(): void {
    this.powered = false;
  }

  transmit(command: Uint8Array): Uint8Array {
    const hex = bytesToHex(command);
    this.log.push(hex);
    if (hex.startsWith('8054')) {
      this.counter--;
      return hexToBytes(`${this.counter.toString(16).padStart(8, '0')}9000`);
    }
    return hexToBytes(this.answers[hex] ?? '6D00');
  }
}

/** TEST answers: select MF/1001, a 4-byte read, GET BALANCE = 0x3E8 fen. */
export const DEFAULT_TEST_ANSWERS: Readonly<Record<string, string>> = {
  '00A40000023F00': '9000',
  '00A40000021001': '6F0A840831303031545445539000',
  '00B0950004': 'C9C2CEF79000',
  '805C000204': '000003E89000',
};
