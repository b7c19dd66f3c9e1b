import { connect, type Socket } from 'node:net';
import type { ApduCard } from '../reader/reader';

/** vpcd's TCP port for the first virtual reader ("Virtual PCD 00 00"); the second listens one above. */
export const VPCD_DEFAULT_PORT = 35963;

const CONTROL_POWER_OFF = 0x00;
const CONTROL_POWER_ON = 0x01;
const CONTROL_RESET = 0x02;
const CONTROL_ATR = 0x04;

export interface VpcdCardServerOptions {
  host?: string;
  port?: number;
  /**
   * Minimum pause between a removal and the next insertion. pcscd can miss a card that comes back within
   * ~400 ms of a removal and keep reporting the reader empty; 1 s avoids it (pcsc-vpcd-notes).
   */
  reinsertDelayMs?: number;
  log?: (line: string) => void;
}

export type VpcdTearPoint = 'before' | 'after';

/**
 * Serves a software ApduCard to a real pcscd through vsmartcard's vpcd driver. vpcd is the TCP server;
 * this is its client: connecting = inserting the card, dropping the socket = pulling it (a tear when a
 * command is in flight). Node-only.
 */
export class VpcdCardServer {
  private socket: Socket | undefined;
  private buffer = Buffer.alloc(0);
  /** ATR of the last power-on; vpcd asks for it repeatedly and that must not reset the card's session. */
  private atr: Uint8Array | undefined;
  private lastRemoval = 0;
  private tear: { match: (command: Uint8Array) => boolean; at: VpcdTearPoint } | undefined;
  /** Every APDU vpcd delivered, for tests. */
  readonly commandLog: Uint8Array[] = [];

  constructor(
    private card: ApduCard,
    private readonly options: VpcdCardServerOptions = {},
  ) {}

  get inserted(): boolean {
    return this.socket !== undefined;
  }

  /** Swaps the card to serve at the next insertion (a different card in the same reader). */
  setCard(card: ApduCard): void {
    this.card = card;
  }

  /** Connects to vpcd (inserts the card); waits out the re-insertion pause first. */
  async insert(): Promise<void> {
    if (this.socket) return;
    const wait = this.lastRemoval + (this.options.reinsertDelayMs ?? 1000) - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const socket = connect({
      host: this.options.host ?? '127.0.0.1',
      port: this.options.port ?? VPCD_DEFAULT_PORT,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    }).catch((error: unknown) => {
      socket.destroy();
      throw new Error(
        `cannot reach vpcd on ${this.options.host ?? '127.0.0.1'}:${this.options.port ?? VPCD_DEFAULT_PORT} ` +
          `(is pcscd running with vsmartcard-vpcd installed?): ${String(error)}`,
      );
    });
    socket.setNoDelay(true);
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => this.onData(socket, chunk));
    socket.on('close', () => this.dropped(socket));
    socket.on('error', () => this.dropped(socket));
    this.options.log?.('vpcd: card inserted');
  }

  /** Drops the connection (pulls the card). */
  remove(): void {
    const socket = this.socket;
    if (!socket) return;
    this.dropped(socket);
    socket.destroy();
    this.options.log?.('vpcd: card removed');
  }

  /**
   * Arms a one-shot tear on the next matching APDU: `before` drops the link without running it, `after`
   * runs it on the card and drops the link instead of answering.
   */
  tearOn(match: (command: Uint8Array) => boolean, at: VpcdTearPoint = 'after'): void {
    this.tear = { match, at };
  }

  private dropped(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.lastRemoval = Date.now();
    this.atr = undefined;
    this.card.powerOff();
  }

  private onData(socket: Socket, chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 2 && this.socket === socket) {
      const length = this.buffer.readUInt16BE(0);
      if (this.buffer.length < 2 + length) return;
      const payload = new Uint8Array(this.buffer.subarray(2, 2 + length));
      this.buffer = this.buffer.subarray(2 + length);
      this.onMessage(socket, payload);
    }
  }

  private onMessage(socket: Socket, payload: Uint8Array): void {
    if (payload.length === 1) {
      switch (payload[0]) {
        case CONTROL_POWER_OFF:
          this.card.powerOff();
          this.atr = undefined;
          return;
        case CONTROL_POWER_ON:
        case CONTROL_RESET:
          this.atr = this.card.powerOn();
          return;
        case CONTROL_ATR:
          this.atr ??= this.card.powerOn();
          this.send(socket, this.atr);
          return;
        default:
          return; // Unknown control byte: vpcd expects no answer.
      }
    }
    this.commandLog.push(payload);
    const tear = this.tear?.match(payload) ? this.tear : undefined;
    if (tear) {
      this.tear = undefined;
      if (tear.at === 'after') this.card.transmit(payload);
      this.remove();
      return;
    }
    let response: Uint8Array;
    try {
      response = this.card.transmit(payload);
    } catch {
      response = Uint8Array.of(0x6f, 0x00); // A simulator bug must not hang pcscd: answer "no diagnosis".
    }
    this.send(socket, response);
  }

  private send(socket: Socket, data: Uint8Array): void {
    const frame = Buffer.alloc(2 + data.length);
    frame.writeUInt16BE(data.length, 0);
    frame.set(data, 2);
    socket.write(frame);
  }
}
