/**
 * An in-memory Reader slot for virtual cards, with tear injection: cut the field at the Nth APDU either
 * before the card processes it (nothing applied) or after (applied, response lost). The card is then out of
 * the field until `insert` puts it (or another card) back — exactly what a collector's hand does.
 */
import { CardAbsentError, CardIoError } from '../reader/errors';
import type { ApduCard, Reader, ReaderEvent } from '../reader/reader';

export type TearPoint = 'before' | 'after';

export class VirtualReader implements Reader {
  readonly kind = 'simulated' as const;
  private card: ApduCard | null = null;
  private connected = false;
  private lastRemoved: ApduCard | null = null;
  private tear: { remaining: number; when: TearPoint } | null = null;
  private readonly listeners = new Map<ReaderEvent, Set<() => void>>();
  /** Every C-APDU that reached this slot, hex (for tests and the bench's APDU count). */
  readonly sent: Uint8Array[] = [];

  constructor(readonly name = 'virtual') {}

  insert(card: ApduCard): void {
    this.card = card;
    this.connected = false;
    this.emit('present');
  }

  /** Takes the card out of the field (its volatile state is lost). Returns it. */
  remove(): ApduCard | null {
    const card = this.card;
    if (card) {
      card.powerOff();
      this.lastRemoved = card;
    }
    this.card = null;
    this.connected = false;
    if (card) this.emit('absent');
    return card;
  }

  /** The card most recently pulled out (by `remove` or a tear). */
  get removedCard(): ApduCard | null {
    return this.lastRemoved;
  }

  get currentCard(): ApduCard | null {
    return this.card;
  }

  /** Cuts the field at the `nth` transmitted APDU from now (1 = the next one). */
  armTear(nth: number, when: TearPoint): void {
    this.tear = { remaining: nth, when };
  }

  disarmTear(): void {
    this.tear = null;
  }

  get tearPending(): boolean {
    return this.tear !== null;
  }

  async connect(): Promise<Uint8Array> {
    if (!this.card) throw new CardAbsentError();
    const atr = this.card.powerOn();
    this.connected = true;
    return atr;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (!this.card) throw new CardAbsentError();
    if (!this.connected) throw new CardIoError('card not powered: connect() first');
    this.sent.push(command.slice());
    if (this.tear && --this.tear.remaining <= 0) {
      const when = this.tear.when;
      this.tear = null;
      if (when === 'after') this.card.transmit(command);
      this.remove();
      throw new CardIoError(`field cut ${when} the card processed the command (simulated tear)`);
    }
    return this.card.transmit(command);
  }

  async disconnect(): Promise<void> {
    this.card?.powerOff();
    this.connected = false;
  }

  isCardPresent(): boolean {
    return this.card !== null;
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit(event: ReaderEvent): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}
