import { CardAbsentError, CardIoError } from '../reader/errors';
import type { Reader, ReaderEvent } from '../reader/reader';
import { assertSendableCommand, ReaderUnavailableError } from '../reader/reader-errors-extra';
import { ReaderEvents } from './reader-events';

/**
 * PC/SC transport on @pokusew/pcsclite (Node-only, optional dependency, loaded lazily so a machine
 * without it gets READER_UNAVAILABLE instead of a crash at import time).
 */

/** The subset of @pokusew/pcsclite's CardReader we use (its own typings use `any`). */
interface NativeCardReader {
  name: string;
  connected: boolean;
  SCARD_SHARE_SHARED: number;
  SCARD_SHARE_EXCLUSIVE: number;
  SCARD_PROTOCOL_T0: number;
  SCARD_PROTOCOL_T1: number;
  SCARD_STATE_PRESENT: number;
  SCARD_STATE_MUTE: number;
  SCARD_LEAVE_CARD: number;
  SCARD_RESET_CARD: number;
  SCARD_UNPOWER_CARD: number;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): unknown;
  on(event: 'end' | 'error', listener: (arg?: unknown) => void): unknown;
  connect(
    options: { share_mode?: number; protocol?: number },
    cb: (err: unknown, protocol: number) => void,
  ): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(
    data: Buffer,
    resLen: number,
    protocol: number,
    cb: (err: unknown, response: Buffer) => void,
  ): void;
  close(): void;
}

interface NativePcsc {
  on(event: 'reader', listener: (reader: NativeCardReader) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  close(): void;
}

type PcscFactory = () => NativePcsc;

/** How long after a tear presence reads as absent unless pcscd reports a change first. */
const TEAR_GRACE_MS = 1500;

export interface PcscOptions {
  /** Poll period of waitForCard (pcscd can miss a quick re-insertion: do not rely on one event). */
  pollMs?: number;
  /** Exclusive by default so nothing else talks to the card during a purchase. */
  shareMode?: 'exclusive' | 'shared';
  /** For tests: a substitute for the native module. */
  factory?: PcscFactory;
}

async function loadFactory(): Promise<PcscFactory> {
  try {
    const moduleName = '@pokusew/pcsclite';
    const mod = (await import(/* @vite-ignore */ moduleName)) as { default?: unknown };
    const factory = mod.default ?? mod;
    if (typeof factory !== 'function') throw new Error('unexpected module shape');
    return factory as PcscFactory;
  } catch (error) {
    // An addon built for another Node.js names both ABIs; say what fixes it rather than only quoting dlopen.
    const rebuild = /NODE_MODULE_VERSION/.test(String(error))
      ? ' (built for another Node.js: run `npm ci` or `npm rebuild @pokusew/pcsclite` in the project root)'
      : '';
    throw new ReaderUnavailableError(
      `PC/SC driver @pokusew/pcsclite not available${rebuild}: ${String(error)}`,
    );
  }
}

/** One PC/SC context: discovers readers and hands out PcscReader objects. */
export class PcscContext {
  private readonly native = new Map<string, NativeCardReader>();
  private readonly readers = new Map<string, PcscReader>();
  private readonly readerWaiters = new Set<() => void>();
  private lastError: unknown;

  private constructor(
    private readonly pcsc: NativePcsc,
    readonly options: PcscOptions,
  ) {
    pcsc.on('reader', (reader) => {
      this.native.set(reader.name, reader);
      reader.on('end', () => {
        this.native.delete(reader.name);
        this.readers.get(reader.name)?.detach();
      });
      reader.on('error', () => {
        // Status errors surface through polling; keep the process alive.
      });
      this.readers.get(reader.name)?.attach(reader);
      for (const w of [...this.readerWaiters]) w();
    });
    pcsc.on('error', (error) => {
      this.lastError = error;
    });
  }

  /** Opens PC/SC. Rejects with ReaderUnavailableError when the native module is missing. */
  static async open(options: PcscOptions = {}): Promise<PcscContext> {
    const factory = options.factory ?? (await loadFactory());
    let pcsc: NativePcsc;
    try {
      pcsc = factory();
    } catch (error) {
      throw new ReaderUnavailableError(`PC/SC context failed: ${String(error)}`);
    }
    return new PcscContext(pcsc, options);
  }

  readerNames(): string[] {
    return [...this.native.keys()];
  }

  /**
   * Waits until a reader whose name matches appears (string = exact name or prefix), then returns its
   * Reader. Rejects with ReaderUnavailableError on timeout (pcscd not running, no such reader).
   */
  async waitForReader(match: string | RegExp = /./, timeoutMs = 5000): Promise<PcscReader> {
    const find = () =>
      this.readerNames().find((n) =>
        typeof match === 'string' ? n === match || n.startsWith(match) : match.test(n),
      );
    const deadline = Date.now() + timeoutMs;
    let name = find();
    while (!name) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const why = this.lastError ? ` (${String(this.lastError)})` : '';
        throw new ReaderUnavailableError(
          `no PC/SC reader matching ${String(match)}; have [${this.readerNames().join(', ')}]${why}`,
        );
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.readerWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 200));
        this.readerWaiters.add(done);
      });
      name = find();
    }
    return this.reader(name);
  }

  /** The Reader for a reader name (it tracks the reader across unplug/replug). */
  reader(name: string): PcscReader {
    let reader = this.readers.get(name);
    if (!reader) {
      reader = new PcscReader(name, this.options);
      this.readers.set(name, reader);
      const native = this.native.get(name);
      if (native) reader.attach(native);
    }
    return reader;
  }

  close(): void {
    for (const reader of this.readers.values()) reader.stop();
    try {
      this.pcsc.close();
    } catch {
      // Already closed.
    }
  }
}

/** A PC/SC reader slot as a Reader. */
export class PcscReader implements Reader {
  readonly kind = 'pcsc' as const;
  private nativeReader: NativeCardReader | undefined;
  private protocol: number | undefined;
  private present = false;
  /** When the last exchange broke off (a tear); presence reports are distrusted until pcscd speaks again. */
  private tornAt = 0;
  private eventSinceTear = true;
  private lastAtr: Uint8Array = new Uint8Array(0);
  private readonly events = new ReaderEvents();

  constructor(
    readonly name: string,
    private readonly options: PcscOptions = {},
  ) {}

  /** @internal */
  attach(native: NativeCardReader): void {
    this.nativeReader = native;
    // pcsclite's own status monitor (one thread, started when the reader appeared) reports every change.
    // Do NOT call get_status again: each call starts another monitor thread and pcscd context, and
    // pcscd stops accepting contexts at 200.
    native.on('status', (status) => {
      if (status.atr && status.atr.length > 0) this.lastAtr = new Uint8Array(status.atr);
      this.updatePresence(status.state);
    });
  }

  /** @internal reader unplugged */
  detach(): void {
    this.nativeReader = undefined;
    this.protocol = undefined;
    if (this.present) {
      this.present = false;
      this.events.emit('absent');
    }
  }

  /** @internal */
  stop(): void {
    const native = this.nativeReader;
    this.nativeReader = undefined;
    try {
      native?.close();
    } catch {
      // Already closed.
    }
  }

  /**
   * Polls until a card is present and connectable (pcscd can miss a fast re-insertion, so recovery code
   * polls rather than waiting for one `present` event). Resolves with the ATR; CardAbsentError on timeout.
   */
  async waitForCard(timeoutMs = 10_000, pollMs = this.options.pollMs ?? 250): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.present) {
        try {
          return await this.connect();
        } catch (error) {
          if (!(error instanceof CardAbsentError) && !(error instanceof CardIoError)) throw error;
        }
      }
      if (Date.now() >= deadline) throw new CardAbsentError(`${this.name}: no card within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private updatePresence(state: number): void {
    // pcsclite reports 0 when its monitor saw no change or stopped on an error: not a presence report.
    if (state === 0) return;
    this.eventSinceTear = true;
    const native = this.nativeReader;
    const present =
      native !== undefined &&
      (state & native.SCARD_STATE_PRESENT) !== 0 &&
      (state & native.SCARD_STATE_MUTE) === 0;
    if (present === this.present) return;
    this.present = present;
    if (!present) this.protocol = undefined; // The card session died with the card.
    this.events.emit(present ? 'present' : 'absent');
  }

  /**
   * The status monitor's view, except right after a tear: pcscd reports the removal a moment later, and a
   * caller polling in between (the purchase's recovery) must not see the torn card as still there. Without
   * any event within TEAR_GRACE_MS (pcscd missed a fast re-insertion) the monitor's view is trusted again.
   */
  isCardPresent(): boolean {
    if (!this.eventSinceTear && Date.now() - this.tornAt < TEAR_GRACE_MS) return false;
    return this.present;
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    return this.events.on(event, listener);
  }

  private requireNative(): NativeCardReader {
    const native = this.nativeReader;
    if (!native) throw new ReaderUnavailableError(`PC/SC reader ${this.name} not attached`);
    return native;
  }

  async connect(): Promise<Uint8Array> {
    const native = this.requireNative();
    // pcsclite's connect is a no-op while it believes it is connected; start from a clean session.
    if (native.connected) await this.disconnectNative(native, native.SCARD_RESET_CARD);
    const shareMode =
      this.options.shareMode === 'shared' ? native.SCARD_SHARE_SHARED : native.SCARD_SHARE_EXCLUSIVE;
    // A handle left over from a torn session can hold the card for a moment after re-insertion
    // (SCARD_E_SHARING_VIOLATION): drop it and retry a few times before giving up.
    for (let attempt = 1; ; attempt++) {
      try {
        this.protocol = await new Promise<number>((resolve, reject) => {
          native.connect(
            { share_mode: shareMode, protocol: native.SCARD_PROTOCOL_T0 | native.SCARD_PROTOCOL_T1 },
            (err, protocol) => (err ? reject(err) : resolve(protocol)),
          );
        });
        break;
      } catch (err) {
        if (!/8010000B|sharing violation/i.test(String(err)) || attempt >= 4)
          throw mapConnectError(err, this.name);
        if (native.connected) await this.disconnectNative(native, native.SCARD_LEAVE_CARD);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return this.lastAtr;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    assertSendableCommand(command);
    const native = this.requireNative();
    const protocol = this.protocol;
    if (protocol === undefined || !native.connected) {
      throw this.present
        ? new CardIoError(`${this.name}: not connected`)
        : new CardAbsentError(`${this.name}`);
    }
    const response = await new Promise<Buffer>((resolve, reject) => {
      native.transmit(Buffer.from(command), 258, protocol, (err, data) => {
        if (!err) return resolve(data);
        this.markTorn();
        reject(new CardIoError(`${this.name}: ${String(err)}`));
      });
    });
    // A torn virtual card comes back as a successful 0-byte transmit; anything without SW1 SW2 is a tear.
    if (response.length < 2) {
      this.markTorn();
      throw new CardIoError(`${this.name}: ${response.length}-byte response (card lost)`);
    }
    return new Uint8Array(response);
  }

  private markTorn(): void {
    this.tornAt = Date.now();
    this.eventSinceTear = false;
    this.protocol = undefined;
    // Release the dead handle at once so it does not block the next connect.
    const native = this.nativeReader;
    if (native?.connected) void this.disconnectNative(native, native.SCARD_LEAVE_CARD);
  }

  async disconnect(): Promise<void> {
    const native = this.nativeReader;
    this.protocol = undefined;
    if (native?.connected) await this.disconnectNative(native, native.SCARD_UNPOWER_CARD);
  }

  private disconnectNative(native: NativeCardReader, disposition: number): Promise<void> {
    return new Promise<void>((resolve) => {
      native.disconnect(disposition, () => resolve()); // A failed disconnect leaves nothing to clean up.
    });
  }
}

function mapConnectError(err: unknown, name: string): Error {
  const text = String(err);
  // SCARD_E_NO_SMARTCARD 0x8010000C, SCARD_W_REMOVED_CARD 0x80100069, SCARD_E_NO_SERVICE 0x8010001D.
  if (/8010000C|80100069|removed|no smart ?card/i.test(text)) return new CardAbsentError(`${name}: ${text}`);
  if (/8010001D|8010002E|no service|no readers/i.test(text))
    return new ReaderUnavailableError(`${name}: ${text}`);
  return new CardIoError(`${name}: ${text}`);
}
