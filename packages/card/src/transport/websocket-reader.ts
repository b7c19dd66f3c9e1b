import { bytesToHex, hexToBytes } from '../apdu/hex';
import {
  BRIDGE_PROTOCOL_VERSION,
  type BridgeErrorCode,
  type ClientMessage,
  parseServerMessage,
  type ServerMessage,
  type SlotInfo,
} from '../bridge/bridge-protocol';
import { CardAbsentError, CardIoError, ReaderError } from '../reader/errors';
import type { Reader, ReaderEvent } from '../reader/reader';
import {
  assertSendableCommand,
  ReaderCommandError,
  ReaderTimeoutError,
  ReaderUnavailableError,
} from '../reader/reader-errors-extra';
import { ReaderEvents } from './reader-events';

/** The part of the WHATWG WebSocket this client uses; the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface BridgeClientOptions {
  /** Injected constructor (Node 20 has no global WebSocket: pass `ws`'s). Defaults to globalThis.WebSocket. */
  WebSocket?: WebSocketConstructor;
  token?: string;
  /** Per-request timeout (connect, list, transmit). */
  timeoutMs?: number;
  /** Reconnect after link loss with exponential backoff; false disables it. */
  reconnect?: false | { initialDelayMs?: number; maxDelayMs?: number };
}

const OPEN = 1;

interface Pending {
  resolve: (message: ServerMessage) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  kind: ClientMessage['type'];
}

/**
 * One websocket link to a reader bridge (see ../bridge/PROTOCOL.md), shared by the readers of its slots
 * (user card and PSAM). Isomorphic: no Node imports.
 */
export class ReaderBridgeClient {
  private socket: WebSocketLike | undefined;
  private ready = false;
  private closedByUser = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly slotInfo = new Map<string, SlotInfo>();
  private readonly readers = new Map<string, WebSocketReader>();
  private readonly waiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  /** Set when the bridge refused our hello (bad token, version): retrying would not help. */
  private refused: Error | undefined;
  private reconnectDelay: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly WebSocketImpl: WebSocketConstructor | undefined;
  readonly timeoutMs: number;
  /** Incremented on every successful (re)connection; readers compare it to detect a lost session. */
  linkEpoch = 0;

  constructor(
    readonly url: string,
    private readonly options: BridgeClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.reconnectDelay = this.reconnectInitial;
    const globalWs = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    this.WebSocketImpl = options.WebSocket ?? globalWs;
  }

  private get reconnectInitial(): number {
    return this.options.reconnect === false ? 0 : (this.options.reconnect?.initialDelayMs ?? 250);
  }

  get isOpen(): boolean {
    return this.ready;
  }

  /** Opens the link (if needed) and resolves with the bridge's slots. */
  async open(): Promise<SlotInfo[]> {
    this.closedByUser = false;
    this.refused = undefined;
    if (!this.ready) {
      if (!this.socket) this.dial();
      await this.waitReady(this.timeoutMs);
    }
    return [...this.slotInfo.values()];
  }

  /** The slots as last reported by the bridge. */
  slots(): SlotInfo[] {
    return [...this.slotInfo.values()];
  }

  /** The Reader for one slot ('card', 'psam', …); the same object on every call. */
  reader(slot: string): WebSocketReader {
    let reader = this.readers.get(slot);
    if (!reader) {
      reader = new WebSocketReader(this, slot);
      this.readers.set(slot, reader);
    }
    return reader;
  }

  async list(): Promise<SlotInfo[]> {
    const reply = await this.request({ type: 'list', id: 0 });
    if (reply.type !== 'slots') throw new ReaderUnavailableError(`unexpected reply ${reply.type}`);
    return reply.slots;
  }

  /** Closes the link for good (no reconnect). */
  close(): void {
    this.closedByUser = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const socket = this.socket;
    this.linkLost(new ReaderUnavailableError('bridge client closed'));
    socket?.close(1000, 'client closed');
  }

  isSlotPresent(slot: string): boolean {
    return this.slotInfo.get(slot)?.present ?? false;
  }

  /** Sends one request and resolves with its reply; protocol errors become typed reader errors. */
  async request(message: ClientMessage): Promise<ServerMessage> {
    if (!this.ready) {
      if (this.closedByUser) throw new ReaderUnavailableError('bridge client closed');
      if (this.refused) throw this.refused;
      if (!this.socket && !this.reconnectTimer) this.dial();
      await this.waitReady(this.timeoutMs);
    }
    return this.send(message);
  }

  private send(message: ClientMessage): Promise<ServerMessage> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(new ReaderUnavailableError('bridge link is down'));
    }
    const id = this.nextId++;
    const framed = { ...message, id };
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          message.type === 'transmit'
            ? new CardIoError(`bridge transmit timed out after ${this.timeoutMs} ms`)
            : new ReaderTimeoutError(`bridge ${message.type} timed out after ${this.timeoutMs} ms`),
        );
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer, kind: message.type });
      try {
        socket.send(JSON.stringify(framed));
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new ReaderUnavailableError(`bridge send failed: ${String(error)}`));
      }
    });
  }

  private waitReady(timeoutMs: number): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.refused) return Promise.reject(this.refused);
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ReaderUnavailableError(`reader bridge ${this.url} not reachable within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private dial(): void {
    const Impl = this.WebSocketImpl;
    if (!Impl) {
      throw new ReaderUnavailableError('no WebSocket implementation (pass options.WebSocket on Node 20)');
    }
    let socket: WebSocketLike;
    try {
      socket = new Impl(this.url);
    } catch (error) {
      throw new ReaderUnavailableError(`cannot open ${this.url}: ${String(error)}`);
    }
    this.socket = socket;
    socket.onopen = () => {
      const hello: ClientMessage = { type: 'hello', id: 0, version: BRIDGE_PROTOCOL_VERSION };
      if (this.options.token !== undefined) hello.token = this.options.token;
      this.send(hello).then(
        (reply) => {
          if (reply.type !== 'hello' || socket !== this.socket) return;
          this.onHello(reply.slots);
        },
        (error: unknown) => {
          if (socket !== this.socket) return;
          this.refused = error instanceof Error ? error : new ReaderUnavailableError(String(error));
          for (const waiter of [...this.waiters]) waiter.reject(this.refused);
          socket.close(4000, 'hello failed');
        },
      );
    };
    socket.onmessage = (event) => this.onMessage(event.data);
    socket.onerror = () => {
      // onclose follows and does the bookkeeping.
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.linkLost(new CardIoError('reader bridge link lost'));
      if (this.options.reconnect === false) {
        const error = new ReaderUnavailableError(`reader bridge ${this.url} closed the link`);
        for (const waiter of [...this.waiters]) waiter.reject(error);
      }
      this.scheduleReconnect();
    };
  }

  private onHello(slots: SlotInfo[]): void {
    this.ready = true;
    this.linkEpoch++;
    this.reconnectDelay = this.reconnectInitial;
    this.slotInfo.clear();
    for (const slot of slots) this.slotInfo.set(slot.slot, slot);
    for (const waiter of [...this.waiters]) waiter.resolve();
    for (const slot of slots) if (slot.present) this.readers.get(slot.slot)?.emit('present');
  }

  private onMessage(data: unknown): void {
    const text = typeof data === 'string' ? data : String(data);
    const message = parseServerMessage(text);
    if (!message) return; // A garbled frame is dropped; the request it answered times out with a typed error.
    if (message.type === 'event') {
      const info = this.slotInfo.get(message.slot);
      if (info) info.present = message.event === 'present';
      this.readers.get(message.slot)?.emit(message.event);
      return;
    }
    if (message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return; // Late reply after a timeout.
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'error')
      pending.reject(errorFromBridge(message.code, message.message, pending.kind));
    else pending.resolve(message);
  }

  private linkLost(error: Error): void {
    const wasReady = this.ready;
    this.ready = false;
    this.socket = undefined;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      // Only a transmit can have half-run on the card; everything else is plainly unavailable.
      pending.reject(pending.kind === 'transmit' ? error : new ReaderUnavailableError(error.message));
    }
    if (wasReady) {
      for (const info of this.slotInfo.values()) {
        if (info.present) {
          info.present = false;
          this.readers.get(info.slot)?.emit('absent');
        }
      }
    }
  }

  private scheduleReconnect(): void {
    if (this.refused || this.closedByUser || this.options.reconnect === false || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, this.options.reconnect?.maxDelayMs ?? 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closedByUser) return;
      try {
        this.dial();
      } catch {
        this.scheduleReconnect();
      }
    }, delay);
  }
}

function errorFromBridge(code: BridgeErrorCode, message: string, kind: ClientMessage['type']): Error {
  switch (code) {
    case 'CARD_ABSENT':
      return new CardAbsentError(message);
    case 'CARD_IO':
      return new CardIoError(message);
    case 'READER_TIMEOUT':
      return kind === 'transmit' ? new CardIoError(message) : new ReaderTimeoutError(message);
    case 'BAD_COMMAND':
      return new ReaderCommandError(message);
    case 'UNAUTHORIZED':
      return new ReaderError('READER_UNAVAILABLE', message, '读卡器桥接认证失败，请检查令牌配置');
    case 'SLOT_BUSY':
      return new ReaderError('READER_UNAVAILABLE', message, '读卡器正被其他终端占用');
    default:
      return kind === 'transmit'
        ? new CardIoError(`${code}: ${message}`)
        : new ReaderUnavailableError(message);
  }
}

/** A Reader for one slot of a reader bridge. */
export class WebSocketReader implements Reader {
  readonly kind = 'websocket' as const;
  readonly name: string;
  private readonly events = new ReaderEvents();
  private connectedEpoch = -1;

  constructor(
    readonly client: ReaderBridgeClient,
    readonly slot: string,
  ) {
    this.name = `${client.url}#${slot}`;
  }

  /** @internal called by the client */
  emit(event: ReaderEvent): void {
    this.events.emit(event);
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    return this.events.on(event, listener);
  }

  isCardPresent(): boolean {
    return this.client.isSlotPresent(this.slot);
  }

  async connect(): Promise<Uint8Array> {
    const reply = await this.client.request({ type: 'connect', id: 0, slot: this.slot });
    if (reply.type !== 'connected') throw new ReaderUnavailableError(`unexpected reply ${reply.type}`);
    this.connectedEpoch = this.client.linkEpoch;
    return hexToBytes(reply.atr);
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    assertSendableCommand(command);
    // After a link loss the bridge has dropped our card session: the caller must reconnect (and recover).
    if (this.connectedEpoch !== this.client.linkEpoch || !this.client.isOpen) {
      throw new CardIoError(`${this.name}: card session lost, connect again`);
    }
    const reply = await this.client.request({
      type: 'transmit',
      id: 0,
      slot: this.slot,
      apdu: bytesToHex(command),
    });
    if (reply.type !== 'response') throw new CardIoError(`unexpected reply ${reply.type}`);
    const response = hexToBytes(reply.rapdu);
    if (response.length < 2) throw new CardIoError(`${this.name}: response without status word`);
    return response;
  }

  async disconnect(): Promise<void> {
    if (this.connectedEpoch !== this.client.linkEpoch || !this.client.isOpen) return;
    this.connectedEpoch = -1;
    await this.client.request({ type: 'disconnect', id: 0, slot: this.slot });
  }
}

/** Convenience: a reader for one slot over its own bridge link. */
export function createWebSocketReader(
  url: string,
  slot: string,
  options: BridgeClientOptions = {},
): WebSocketReader {
  return new ReaderBridgeClient(url, options).reader(slot);
}
