import { CardAbsentError, CardIoError } from '../reader/errors';
import type { ApduCard, Reader, ReaderEvent } from '../reader/reader';
import { assertSendableCommand } from '../reader/reader-errors-extra';
import { ReaderEvents } from './reader-events';

export interface SimulatedReaderOptions {
  name?: string;
  /** Delay per transmit, so a test (or the training UI) can pull the card while a command is in flight. */
  latencyMs?: number;
}

/**
 * Where a scripted tear cuts the exchange: `before` the card sees the command (it did not run) or
 * `after` the card ran it and before the response came back (it ran, the terminal cannot know).
 */
export type TearPoint = 'before' | 'after';

interface ScriptedTear {
  match: (command: Uint8Array) => boolean;
  at: TearPoint;
}

/**
 * An in-process reader slot holding a software ApduCard: used for training, the demo, tests, and the
 * PSAM slot. Insertion and removal are explicit; removal while a command is in flight is a tear.
 */
export class SimulatedReader implements Reader {
  readonly name: string;
  readonly kind = 'simulated' as const;
  private card: ApduCard | undefined;
  private powered = false;
  private readonly events = new ReaderEvents();
  private readonly latencyMs: number;
  private tears: ScriptedTear[] = [];
  /** Bumped on every removal, so an in-flight transmit can tell the card it started with is gone. */
  private generation = 0;

  constructor(card?: ApduCard, options: SimulatedReaderOptions = {}) {
    this.name = options.name ?? 'Simulated reader';
    this.latencyMs = options.latencyMs ?? 0;
    if (card) this.card = card;
  }

  /** Puts a card in the field (replacing nothing: remove first). Emits `present`. */
  insert(card: ApduCard): void {
    if (this.card) this.remove();
    this.card = card;
    this.events.emit('present');
  }

  /** Pulls the card out of the field. Its volatile state is lost (powerOff). Emits `absent`. */
  remove(): void {
    const card = this.card;
    if (!card) return;
    this.card = undefined;
    this.generation++;
    if (this.powered) card.powerOff();
    this.powered = false;
    this.events.emit('absent');
  }

  /** The card currently in the field, if any (for tests and the training UI). */
  get currentCard(): ApduCard | undefined {
    return this.card;
  }

  /**
   * Arms a one-shot tear: the next command for which `match` is true removes the card, before or after
   * the card processes it; the transmit rejects with CardIoError.
   */
  tearOn(match: (command: Uint8Array) => boolean, at: TearPoint = 'after'): void {
    this.tears.push({ match, at });
  }

  isCardPresent(): boolean {
    return this.card !== undefined;
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    return this.events.on(event, listener);
  }

  async connect(): Promise<Uint8Array> {
    const card = this.card;
    if (!card) throw new CardAbsentError(`${this.name}: no card`);
    const atr = card.powerOn();
    this.powered = true;
    return atr;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    assertSendableCommand(command);
    const card = this.card;
    if (!card) throw new CardAbsentError(`${this.name}: no card`);
    if (!this.powered) throw new CardIoError(`${this.name}: card not connected`);
    const generation = this.generation;
    const tearIndex = this.tears.findIndex((t) => t.match(command));
    const tear = tearIndex >= 0 ? this.tears.splice(tearIndex, 1)[0] : undefined;
    if (tear?.at === 'before') {
      this.remove();
      throw new CardIoError(`${this.name}: card removed before the command`);
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (generation !== this.generation)
      throw new CardIoError(`${this.name}: card removed during the command`);
    const response = card.transmit(command);
    if (tear?.at === 'after') {
      this.remove();
      throw new CardIoError(`${this.name}: card removed before the response`);
    }
    if (response.length < 2) throw new CardIoError(`${this.name}: response without status word`);
    return response;
  }

  async disconnect(): Promise<void> {
    if (this.card && this.powered) this.card.powerOff();
    this.powered = false;
  }
}
