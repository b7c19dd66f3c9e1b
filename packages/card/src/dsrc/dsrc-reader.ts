/**
 * A Reader whose card is the user card inside an OBU, reached over DSRC TransferChannel channel 1: the
 * same card APDUs and the same exit purchase run over it as over a contact(less) reader.
 */
import { CardAbsentError, CardIoError } from '../reader/errors';
import type { Reader, ReaderEvent } from '../reader/reader';
import { assertSendableCommand } from '../reader/reader-errors-extra';
import { ReaderEvents } from '../transport/reader-events';
import { DSRC_ERROR_CODES, DsrcObuError } from './dsrc-frames';
import type { ObuLink } from './obu-link';

export class DsrcReader implements Reader {
  readonly kind = 'dsrc' as const;
  private readonly events = new ReaderEvents();
  private present = false;
  private connected = false;
  private probing = false;

  constructor(
    readonly link: ObuLink,
    readonly name = 'DSRC OBU card',
  ) {}

  /**
   * Last known presence. While no card session is open, each call also starts a background beacon (if
   * none is in flight) so a caller that polls — as the purchase's recovery does — sees the OBU come back
   * into range. Never beacons during a session: BST makes the OBU reset its card.
   */
  isCardPresent(): boolean {
    if (!this.connected && !this.probing) {
      this.probing = true;
      this.link
        .beacon()
        .then(
          (vst) => this.setPresent(!vst.status.cardAbsent),
          () => this.setPresent(false),
        )
        .finally(() => {
          this.probing = false;
        });
    }
    return this.present;
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    return this.events.on(event, listener);
  }

  private setPresent(present: boolean): void {
    if (present === this.present) return;
    this.present = present;
    if (!present) this.connected = false;
    this.events.emit(present ? 'present' : 'absent');
  }

  /**
   * Beacons the OBU (BST/VST: a new session, the OBU powers its card afresh). No ATR travels over DSRC,
   * so this resolves with an empty array.
   */
  async connect(): Promise<Uint8Array> {
    let vst: Awaited<ReturnType<ObuLink['beacon']>>;
    try {
      vst = await this.link.beacon();
    } catch (error) {
      this.setPresent(false);
      throw new CardAbsentError(`${this.name}: no OBU answered (${String(error)})`);
    }
    this.setPresent(!vst.status.cardAbsent);
    if (vst.status.cardAbsent) throw new CardAbsentError(`${this.name}: OBU ${vst.obuMac} reports no card`);
    this.connected = true;
    return new Uint8Array(0);
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    assertSendableCommand(command);
    if (!this.connected) {
      throw this.present ? new CardIoError(`${this.name}: not connected`) : new CardAbsentError(this.name);
    }
    let response: Uint8Array;
    try {
      response = await this.link.transmitIcc(command);
    } catch (error) {
      this.connected = false;
      if (error instanceof DsrcObuError && error.obuCode === DSRC_ERROR_CODES.iccAbsent) {
        this.setPresent(false);
        throw new CardAbsentError(`${this.name}: card pulled from the OBU`);
      }
      // Link lost or ICC silent: the command may have run on the card. The purchase must recover.
      this.setPresent(false);
      throw new CardIoError(`${this.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.length < 2) throw new CardIoError(`${this.name}: response without status word`);
    return response;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
  }
}
