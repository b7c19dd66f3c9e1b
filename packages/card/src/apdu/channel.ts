/**
 * CardChannel: the one way every driver talks to a card or PSAM. It wraps any transmitter (a Reader) and
 * handles the T=0 conventions: 61xx → GET RESPONSE, 6Cxx → resend with Le = xx, bounded by a loop guard so a
 * hostile card can never make it spin. A response shorter than 2 bytes is a lost card (CardIoError).
 */
import { CardError } from '../errors';
import { CardIoError } from '../reader/errors';
import type { ApduCard } from '../reader/reader';
import { ApduFormatError, leOffset, type ResponseApdu, splitResponse, withLe } from './apdu';
import { bytesToHex } from './hex';
import { type CommandStatusTable, expectOk } from './status';

export interface ApduTransmitter {
  transmit(command: Uint8Array): Promise<Uint8Array>;
}

export class ApduLoopError extends CardError {
  constructor(command: Uint8Array, limit: number) {
    super('APDU_LOOP', {
      message: `more than ${limit} GET RESPONSE / Le corrections for ${bytesToHex(command)}`,
    });
    this.name = 'ApduLoopError';
  }
}

export interface ApduExchange {
  readonly command: string;
  readonly response: string;
}

export interface CardChannelOptions {
  /** Max transmissions per logical command, 61xx and 6Cxx included (default 32). */
  maxIterations?: number;
  /** Max accumulated response data across 61xx chaining (default 4096 B). */
  maxResponseBytes?: number;
  /** Called for every raw exchange (for logs and the engineer's trace view). */
  onExchange?: (exchange: ApduExchange) => void;
}

export class CardChannel {
  /** Logical commands sent (GET RESPONSE / Le retries not included). */
  commandCount = 0;
  /** Raw transmissions, including GET RESPONSE and Le retries. */
  transmitCount = 0;
  private readonly maxIterations: number;
  private readonly maxResponseBytes: number;

  constructor(
    readonly transmitter: ApduTransmitter,
    private readonly options: CardChannelOptions = {},
  ) {
    this.maxIterations = options.maxIterations ?? 32;
    this.maxResponseBytes = options.maxResponseBytes ?? 4096;
  }

  private async raw(command: Uint8Array): Promise<Uint8Array> {
    // A command shorter than 4 bytes hangs pcscd: refuse it here, before any transport sees it.
    leOffset(command);
    this.transmitCount++;
    const resp = await this.transmitter.transmit(command);
    if (!(resp instanceof Uint8Array) || resp.length < 2) {
      throw new CardIoError(`response shorter than 2 bytes to ${bytesToHex(command)}`);
    }
    this.options.onExchange?.({ command: bytesToHex(command), response: bytesToHex(resp) });
    return resp;
  }

  /** Sends one logical command and returns data + final SW (no SW check). */
  async transmit(command: Uint8Array): Promise<ResponseApdu> {
    if (command.length < 4) throw new ApduFormatError(`command shorter than 4 bytes: ${bytesToHex(command)}`);
    this.commandCount++;
    let current = command;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < this.maxIterations; i++) {
      const { data, sw } = splitResponse(await this.raw(current));
      const sw1 = sw >> 8;
      if (sw1 === 0x6c) {
        current = withLe(current, sw & 0xff);
        continue;
      }
      if (data.length) {
        chunks.push(data);
        total += data.length;
        if (total > this.maxResponseBytes) throw new ApduLoopError(command, this.maxIterations);
      }
      if (sw1 === 0x61) {
        // GET RESPONSE; CLA 00 as on every ETC card/PSAM seen in the sources.
        current = Uint8Array.of(0x00, 0xc0, 0x00, 0x00, sw & 0xff);
        continue;
      }
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return { data: out, sw };
    }
    throw new ApduLoopError(command, this.maxIterations);
  }

  /**
   * Sends a command and requires 9000; `name` goes into the typed error, whose code the command's own
   * status table decides.
   */
  async send(command: Uint8Array, name: string, status?: CommandStatusTable): Promise<Uint8Array> {
    const resp = await this.transmit(command);
    expectOk(resp, name, status);
    return resp.data;
  }
}

/** Adapts a synchronous virtual card (simulator, scripted card) to the async transmitter used by CardChannel. */
export function apduCardTransmitter(card: ApduCard): ApduTransmitter {
  return { transmit: async (command) => card.transmit(command) };
}
