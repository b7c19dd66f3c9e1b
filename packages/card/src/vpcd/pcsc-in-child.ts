import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CardAbsentError, CardIoError } from '../reader/errors';
import type { Reader, ReaderEvent } from '../reader/reader';
import {
  ReaderCommandError,
  ReaderTimeoutError,
  ReaderUnavailableError,
} from '../reader/reader-errors-extra';
import { ReaderEvents } from '../transport/reader-events';

/**
 * pcsclite in a child process, for tests that serve virtual cards through vpcd from their own thread.
 *
 * Why: pcsclite holds a reader's mutex for the whole of a transmit, and its status monitor wakes the
 * event loop with a callback that takes the same mutex (also for "no change"). When the card answering
 * that transmit is a VpcdCardServer on the same thread, the blocked loop can never answer pcscd: the
 * process hangs with no timer left to fail the test. With pcsclite in a child, only the child waits
 * (a worker thread will not do: pcsclite's addon calls into the main isolate).
 */
export type HostCall =
  | { op: 'open' | 'connect' | 'disconnect'; name: string }
  | { op: 'transmit'; name: string; hex: string }
  | { op: 'close' };

export type HostRequest = HostCall & { id: number };

export type HostReply =
  | { type: 'presence'; name: string; present: boolean }
  | { type: 'reply'; id: number; ok: true; value: string | null }
  | { type: 'reply'; id: number; ok: false; name: string; message: string };

const ERRORS: Record<string, new (message: string) => Error> = {
  CardIoError,
  CardAbsentError,
  ReaderUnavailableError,
  ReaderTimeoutError,
  ReaderCommandError,
};

export class PcscInChild {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: string | null) => void; reject: (e: Error) => void }
  >();
  private readonly presence = new Map<string, boolean>();
  private readonly readers = new Map<string, ChildPcscReader>();
  private exited = false;

  constructor() {
    this.child = fork(fileURLToPath(new URL('./pcsc-child-host.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: HostReply) => this.receive(m));
    this.child.on('error', (error) => this.failAll(error));
    this.child.on('exit', () => {
      this.exited = true;
      this.failAll(new ReaderUnavailableError('PC/SC child exited'));
    });
  }

  /** Waits (≤ 10 s) for the reader to appear and returns it as a Reader. */
  async reader(name: string): Promise<ChildPcscReader> {
    await this.call({ op: 'open', name });
    let reader = this.readers.get(name);
    if (!reader) {
      reader = new ChildPcscReader(name, this);
      this.readers.set(name, reader);
    }
    return reader;
  }

  /** @internal */
  isPresent(name: string): boolean {
    return this.presence.get(name) ?? false;
  }

  /** @internal */
  call(request: HostCall): Promise<string | null> {
    if (this.exited) return Promise.reject(new ReaderUnavailableError('PC/SC child exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...request, id });
    });
  }

  /** Closes PC/SC in the child (≤ 2 s, then it is killed) and waits for it to end. */
  async close(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await Promise.race([
      this.call({ op: 'close' }).catch(() => null),
      new Promise((r) => setTimeout(r, 2000)),
    ]);
    if (!this.exited) this.child.kill('SIGKILL');
    await exited;
  }

  private receive(m: HostReply): void {
    if (m.type === 'presence') {
      const was = this.presence.get(m.name) ?? false;
      this.presence.set(m.name, m.present);
      if (was !== m.present) this.readers.get(m.name)?.emit(m.present ? 'present' : 'absent');
      return;
    }
    const waiter = this.pending.get(m.id);
    if (!waiter) return;
    this.pending.delete(m.id);
    if (m.ok) waiter.resolve(m.value);
    else {
      const error = new (ERRORS[m.name] ?? Error)(m.message);
      waiter.reject(error);
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** A PC/SC reader whose PcscReader runs in the child; `isCardPresent()` is the child's, ≤ 20 ms late. */
export class ChildPcscReader implements Reader {
  readonly kind = 'pcsc' as const;
  private readonly events = new ReaderEvents();

  constructor(
    readonly name: string,
    private readonly host: PcscInChild,
  ) {}

  /** @internal */
  emit(event: ReaderEvent): void {
    this.events.emit(event);
  }

  on(event: ReaderEvent, listener: () => void): () => void {
    return this.events.on(event, listener);
  }

  isCardPresent(): boolean {
    return this.host.isPresent(this.name);
  }

  async connect(): Promise<Uint8Array> {
    return Buffer.from((await this.host.call({ op: 'connect', name: this.name })) ?? '', 'hex');
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const hex = Buffer.from(command).toString('hex');
    return new Uint8Array(
      Buffer.from((await this.host.call({ op: 'transmit', name: this.name, hex })) ?? '', 'hex'),
    );
  }

  async disconnect(): Promise<void> {
    await this.host.call({ op: 'disconnect', name: this.name });
  }
}
