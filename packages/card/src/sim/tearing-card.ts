/**
 * Tear injection at the card side, for any transport (websocket bridge, vpcd → pcscd): wraps an ApduCard and,
 * at the Nth command from arming, either drops it (before: not applied) or applies it (after: committed) and
 * then answers nothing and stays mute until the next power-on — to the terminal, the card left the field.
 * (In-process tests can use VirtualReader.armTear, which also makes isCardPresent() false.)
 */

import type { ApduCard } from '../reader/reader';
import type { TearPoint } from '../transport/simulated-reader';

export class TearingCard implements ApduCard {
  private remaining = 0;
  private when: TearPoint = 'after';
  private mute = false;
  /** Commands that reached the wrapped card. */
  delivered = 0;

  constructor(readonly inner: ApduCard) {}

  /** Cuts at the `nth` command from now (1 = the next one). */
  arm(nth: number, when: TearPoint): void {
    this.remaining = nth;
    this.when = when;
  }

  powerOn(): Uint8Array {
    this.mute = false;
    return this.inner.powerOn();
  }

  powerOff(): void {
    this.inner.powerOff();
  }

  transmit(command: Uint8Array): Uint8Array {
    if (this.mute) return new Uint8Array(0);
    if (this.remaining > 0 && --this.remaining === 0) {
      if (this.when === 'after') {
        this.delivered++;
        this.inner.transmit(command);
      }
      this.inner.powerOff(); // the field is gone: volatile state (open purchase) is lost
      this.mute = true;
      return new Uint8Array(0);
    }
    this.delivered++;
    return this.inner.transmit(command);
  }
}
