import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CardAbsentError, CardIoError } from '../reader/errors';
import { ReaderCommandError, ReaderUnavailableError } from '../reader/reader-errors-extra';
import { PcscContext } from './pcsc-reader';

/** A stand-in for @pokusew/pcsclite's CardReader: scripted answers, no pcscd. */
class FakeNativeReader extends EventEmitter {
  SCARD_SHARE_SHARED = 2;
  SCARD_SHARE_EXCLUSIVE = 1;
  SCARD_PROTOCOL_T0 = 1;
  SCARD_PROTOCOL_T1 = 2;
  SCARD_STATE_PRESENT = 0x20;
  SCARD_STATE_MUTE = 0x200;
  SCARD_LEAVE_CARD = 0;
  SCARD_RESET_CARD = 1;
  SCARD_UNPOWER_CARD = 2;
  connected = false;
  nextResponse: Buffer = Buffer.from([0x90, 0x00]);
  connectError: Error | undefined;
  sent: Buffer[] = [];
  constructor(readonly name: string) {
    super();
  }
  connect(_o: unknown, cb: (err: unknown, protocol: number) => void) {
    if (this.connectError) return cb(this.connectError, 0);
    this.connected = true;
    cb(undefined, 2);
  }
  disconnect(_d: number, cb: (err: unknown) => void) {
    this.connected = false;
    cb(undefined);
  }
  transmit(data: Buffer, _len: number, _p: number, cb: (err: unknown, r: Buffer) => void) {
    this.sent.push(data);
    cb(undefined, this.nextResponse);
  }
  close() {}
}

async function fakeContext() {
  const pcsc = new EventEmitter() as EventEmitter & { close(): void };
  pcsc.close = () => {};
  const native = new FakeNativeReader('TEST Reader 00');
  const context = await PcscContext.open({ factory: () => pcsc as never });
  pcsc.emit('reader', native);
  const reader = await context.waitForReader('TEST Reader', 1000);
  return { context, native, reader };
}

describe('PcscReader (fake native module)', () => {
  it('tracks presence from status events and emits present/absent', async () => {
    const { native, reader } = await fakeContext();
    const seen: string[] = [];
    reader.on('present', () => seen.push('present'));
    reader.on('absent', () => seen.push('absent'));
    native.emit('status', { state: 0x22, atr: Buffer.from([0x3b, 0x00]) });
    expect(reader.isCardPresent()).toBe(true);
    native.emit('status', { state: 0x12 });
    expect(seen).toEqual(['present', 'absent']);
  });

  it('treats a response shorter than 2 bytes as a tear and refuses short commands', async () => {
    const { native, reader } = await fakeContext();
    native.emit('status', { state: 0x22, atr: Buffer.from([0x3b, 0x00]) });
    expect([...(await reader.connect())]).toEqual([0x3b, 0x00]);
    await expect(reader.transmit(Uint8Array.of(0x00, 0xa4, 0x00))).rejects.toBeInstanceOf(ReaderCommandError);
    expect(native.sent).toHaveLength(0);
    native.nextResponse = Buffer.alloc(0);
    await expect(reader.transmit(Uint8Array.of(0x80, 0x5c, 0x00, 0x02, 0x04))).rejects.toBeInstanceOf(
      CardIoError,
    );
    // Right after a tear the reader reads as empty until pcscd reports again.
    expect(reader.isCardPresent()).toBe(false);
  });

  it('maps "no smart card" on connect to CardAbsentError', async () => {
    const { native, reader } = await fakeContext();
    native.connectError = new Error('SCardConnect error: No smart card inserted.(0x8010000c)');
    await expect(reader.connect()).rejects.toBeInstanceOf(CardAbsentError);
  });

  it('reports a missing reader and a broken driver as READER_UNAVAILABLE', async () => {
    const { context } = await fakeContext();
    await expect(context.waitForReader('Nope', 50)).rejects.toBeInstanceOf(ReaderUnavailableError);
    await expect(
      PcscContext.open({
        factory: () => {
          throw new Error('Cannot find module pcsclite.node');
        },
      }),
    ).rejects.toMatchObject({ code: 'READER_UNAVAILABLE' });
  });
});
