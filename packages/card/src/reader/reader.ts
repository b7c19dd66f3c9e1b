/**
 * One reader abstraction for every transport (simulated, websocket, pcsc, DSRC-over-OBU).
 * A reader holds one slot: the user card, or a PSAM. The exit purchase talks to two readers.
 */
export type ReaderKind = 'simulated' | 'websocket' | 'pcsc' | 'dsrc';

export type ReaderEvent = 'present' | 'absent';

export interface Reader {
  readonly name: string;
  readonly kind: ReaderKind;
  /** Powers the card and returns its ATR. Rejects with CardAbsentError when no card is there. */
  connect(): Promise<Uint8Array>;
  /**
   * Sends one C-APDU and resolves with the raw R-APDU (data + SW1 SW2). Rejects with CardIoError when
   * the card is lost mid-exchange (a tear): a response shorter than 2 bytes is such a loss.
   */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  disconnect(): Promise<void>;
  isCardPresent(): boolean;
  /** Subscribes to card insertion/removal; returns the unsubscribe function. */
  on(event: ReaderEvent, listener: () => void): () => void;
}

/**
 * The card side of any transport: what a simulator (or a vpcd/websocket bridge peer) implements.
 * Synchronous on purpose: a virtual card answers at once; transports add the asynchrony.
 */
export interface ApduCard {
  /** Power-on / reset: returns the ATR and resets volatile state (selected file, open purchase). */
  powerOn(): Uint8Array;
  /** Processes one C-APDU and returns the R-APDU (data + SW). */
  transmit(command: Uint8Array): Uint8Array;
  /** Field lost: volatile state (open composite purchase, cache) is discarded. */
  powerOff(): void;
}
