/**
 * The simulator's reader slot: card-io's SimulatedReader plus what the tearing tests need — cut the field at
 * the Nth APDU from now (before the card processes it, or after it ran and before the answer comes back),
 * remember the pulled card so the "collector's hand" can put it back, and log every C-APDU sent.
 */
import type { ApduCard } from '../reader/reader';
import { SimulatedReader, type TearPoint } from '../transport/simulated-reader';

export class VirtualReader extends SimulatedReader {
  private lastRemoved: ApduCard | null = null;
  /** Every C-APDU that reached this slot (for tests and the bench's APDU count). */
  readonly sent: Uint8Array[] = [];

  constructor(name = 'virtual') {
    super(undefined, { name });
  }

  override remove(): void {
    if (this.currentCard) this.lastRemoved = this.currentCard;
    super.remove();
  }

  /** The card most recently pulled out (by `remove` or a tear). */
  get removedCard(): ApduCard | null {
    return this.lastRemoved;
  }

  private tearEpoch = 0;

  /** Cuts the field at the `nth` transmitted APDU from now (1 = the next one). */
  armTear(nth: number, when: TearPoint): void {
    let left = nth;
    const epoch = this.tearEpoch;
    this.tearOn(() => epoch === this.tearEpoch && --left === 0, when);
  }

  /** Cancels every tear armed so far that has not fired yet. */
  disarmTears(): void {
    this.tearEpoch++;
  }

  override async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.isCardPresent()) this.sent.push(command.slice());
    return super.transmit(command);
  }
}
