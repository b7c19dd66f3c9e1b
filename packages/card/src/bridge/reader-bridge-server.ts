import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { ReaderError } from '../reader/errors';
import type { Reader } from '../reader/reader';
import { ReaderCommandError } from '../reader/reader-errors-extra';
import {
  BRIDGE_PROTOCOL_VERSION,
  type BridgeErrorCode,
  parseClientMessage,
  type ServerMessage,
  type SlotInfo,
} from './bridge-protocol';

export interface ReaderBridgeOptions {
  /** Slot name → local reader, e.g. { card: pcscCardReader, psam: pcscPsamReader }. */
  readers: Readonly<Record<string, Reader>>;
  /** Loopback by default: APDUs must not cross the network (DESIGN §4). */
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Optional shared secret the client sends in its hello. */
  token?: string;
  /** When set, browser clients whose Origin is not listed are refused at the handshake. */
  allowedOrigins?: readonly string[];
  log?: (line: string) => void;
}

interface SlotState {
  name: string;
  reader: Reader;
  owner: WebSocket | undefined;
  /** Serialises commands on one slot: a card runs one APDU at a time. */
  queue: Promise<unknown>;
}

/**
 * Serves local readers (PC/SC or simulated) to websocket clients, one client owning a slot at a time.
 * Node-only. Protocol: PROTOCOL.md beside this file.
 */
export class ReaderBridgeServer {
  private server: WebSocketServer | undefined;
  private readonly slots = new Map<string, SlotState>();
  private readonly authed = new Set<WebSocket>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(private readonly options: ReaderBridgeOptions) {
    for (const [name, reader] of Object.entries(options.readers)) {
      this.slots.set(name, { name, reader, owner: undefined, queue: Promise.resolve() });
      for (const event of ['present', 'absent'] as const) {
        this.unsubscribe.push(reader.on(event, () => this.broadcast({ type: 'event', slot: name, event })));
      }
    }
  }

  /** Starts listening; resolves with the ws:// URL. */
  async start(): Promise<{ url: string; port: number }> {
    const host = this.options.host ?? '127.0.0.1';
    const allowed = this.options.allowedOrigins;
    const server = new WebSocketServer({
      host,
      port: this.options.port ?? 0,
      maxPayload: 64 * 1024,
      verifyClient: allowed
        ? (info: { origin: string }) => !info.origin || allowed.includes(info.origin)
        : undefined,
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('connection', (socket) => this.onConnection(socket));
    const port = (server.address() as AddressInfo).port;
    const url = `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.options.log?.(`reader bridge listening on ${url}`);
    return { url, port };
  }

  async close(): Promise<void> {
    for (const off of this.unsubscribe) off();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const slot of this.slots.values()) await this.release(slot);
  }

  private slotInfos(): SlotInfo[] {
    return [...this.slots.values()].map((s) => ({
      slot: s.name,
      name: s.reader.name,
      present: s.reader.isCardPresent(),
    }));
  }

  private onConnection(socket: WebSocket): void {
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.reply(socket, {
          type: 'error',
          code: 'BAD_REQUEST',
          message: 'binary frames are not supported',
        });
        return;
      }
      void this.onMessage(socket, data.toString());
    });
    socket.on('close', () => {
      this.authed.delete(socket);
      for (const slot of this.slots.values()) {
        // The client went away mid-session: power the card down so the next owner starts clean.
        if (slot.owner === socket) void this.release(slot);
      }
    });
    socket.on('error', () => socket.terminate());
  }

  private async release(slot: SlotState): Promise<void> {
    slot.owner = undefined;
    try {
      await slot.reader.disconnect();
    } catch {
      // The card may already be gone; nothing to release then.
    }
  }

  private async onMessage(socket: WebSocket, text: string): Promise<void> {
    const message = parseClientMessage(text);
    if (!message) {
      this.reply(socket, { type: 'error', code: 'BAD_REQUEST', message: 'malformed message' });
      return;
    }
    const { id } = message;
    if (message.type === 'hello') {
      if (this.options.token !== undefined && message.token !== this.options.token) {
        this.reply(socket, { type: 'error', id, code: 'UNAUTHORIZED', message: 'bad or missing token' });
        socket.close(4401, 'unauthorized');
        return;
      }
      this.authed.add(socket);
      this.reply(socket, { type: 'hello', id, version: BRIDGE_PROTOCOL_VERSION, slots: this.slotInfos() });
      return;
    }
    if (!this.authed.has(socket)) {
      this.reply(socket, { type: 'error', id, code: 'UNAUTHORIZED', message: 'hello first' });
      return;
    }
    if (message.type === 'list') {
      this.reply(socket, { type: 'slots', id, slots: this.slotInfos() });
      return;
    }
    const slot = this.slots.get(message.slot);
    if (!slot) {
      this.reply(socket, {
        type: 'error',
        id,
        slot: message.slot,
        code: 'UNKNOWN_SLOT',
        message: 'no such slot',
      });
      return;
    }
    if (slot.owner && slot.owner !== socket) {
      this.reply(socket, { type: 'error', id, slot: slot.name, code: 'SLOT_BUSY', message: 'slot in use' });
      return;
    }
    const run = async (): Promise<ServerMessage> => {
      switch (message.type) {
        case 'connect': {
          const atr = await slot.reader.connect();
          slot.owner = socket;
          return { type: 'connected', id, slot: slot.name, atr: bytesToHex(atr) };
        }
        case 'transmit': {
          if (slot.owner !== socket) {
            return { type: 'error', id, slot: slot.name, code: 'CARD_IO', message: 'connect first' };
          }
          const rapdu = await slot.reader.transmit(hexToBytes(message.apdu));
          return { type: 'response', id, slot: slot.name, rapdu: bytesToHex(rapdu) };
        }
        case 'disconnect': {
          if (slot.owner === socket) await this.release(slot);
          return { type: 'disconnected', id, slot: slot.name };
        }
      }
    };
    const result = slot.queue.then(run).catch(
      (error: unknown): ServerMessage => ({
        type: 'error',
        id,
        slot: slot.name,
        code: errorCode(error),
        message: error instanceof Error ? error.message : String(error),
      }),
    );
    slot.queue = result;
    this.reply(socket, await result);
  }

  private reply(socket: WebSocket, message: ServerMessage): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }

  private broadcast(message: ServerMessage): void {
    for (const socket of this.authed) this.reply(socket, message);
  }
}

function errorCode(error: unknown): BridgeErrorCode {
  if (error instanceof ReaderError) return error.code;
  if (error instanceof ReaderCommandError) return 'BAD_COMMAND';
  return 'INTERNAL';
}
