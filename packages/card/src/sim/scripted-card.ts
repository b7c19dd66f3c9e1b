/**
 * A Keyple-style scripted card: a list of [command hex → response hex] pairs consumed in order. Any command that
 * is not the next expected one fails the test loudly (the error names both), so tests assert the exact APDU
 * sequence byte by byte.
 */

import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CardError } from '../errors';
import type { ApduCard } from '../reader/reader';

export type ScriptStep = readonly [command: string, response: string];

export class UnexpectedApduError extends CardError {
  constructor(message: string) {
    super('SCRIPT_UNEXPECTED_APDU', { message });
    this.name = 'UnexpectedApduError';
  }
}

const norm = (hex: string) => hex.replace(/\s+/g, '').toUpperCase();

export class ScriptedApduCard implements ApduCard {
  private index = 0;
  readonly sent: string[] = [];
  constructor(
    private readonly script: readonly ScriptStep[],
    private readonly atr = '3B00',
  ) {}

  powerOn(): Uint8Array {
    return hexToBytes(this.atr);
  }

  powerOff(): void {}

  transmit(command: Uint8Array): Uint8Array {
    const got = bytesToHex(command);
    this.sent.push(got);
    const step = this.script[this.index];
    if (!step)
      throw new UnexpectedApduError(`unexpected APDU #${this.index + 1} ${got}: the script has ended`);
    if (norm(step[0]) !== got) {
      throw new UnexpectedApduError(`APDU #${this.index + 1}: expected ${norm(step[0])}, got ${got}`);
    }
    this.index++;
    return hexToBytes(step[1]);
  }

  /** True when every scripted step was consumed. */
  get done(): boolean {
    return this.index === this.script.length;
  }

  get remaining(): readonly ScriptStep[] {
    return this.script.slice(this.index);
  }
}
