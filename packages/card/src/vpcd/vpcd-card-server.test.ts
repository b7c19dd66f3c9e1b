import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { ScriptedTestCard } from '../transport/scripted-test-card';
import { VpcdCardServer } from './vpcd-card-server';

/** A fake vpcd (the TCP server side), speaking its 2-byte length framing. */
async function fakeVpcd() {
  let socket: Socket | undefined;
  let buffer = Buffer.alloc(0);
  const waiters: ((frame: Buffer) => void)[] = [];
  const frames: Buffer[] = [];
  const connected: (() => void)[] = [];
  const closed: (() => void)[] = [];
  const server = createServer((s) => {
    socket = s;
    s.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const len = buffer.readUInt16BE(0);
        const frame = buffer.subarray(2, 2 + len);
        buffer = buffer.subarray(2 + len);
        const w = waiters.shift();
        if (w) w(frame);
        else frames.push(frame);
      }
    });
    s.on('close', () => {
      for (const c of closed.splice(0)) c();
    });
    for (const c of connected.splice(0)) c();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    whenConnected: () => new Promise<void>((resolve) => (socket ? resolve() : connected.push(resolve))),
    whenClosed: () => new Promise<void>((resolve) => closed.push(resolve)),
    send(payload: Uint8Array) {
      const f = Buffer.alloc(2 + payload.length);
      f.writeUInt16BE(payload.length, 0);
      f.set(payload, 2);
      socket?.write(f);
    },
    next: () =>
      new Promise<Buffer>((resolve) => (frames.length ? resolve(frames.shift()!) : waiters.push(resolve))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A scripted TEST card inserted by a server into a fake vpcd, connected; both are removed after the test. */
async function insertedCard() {
  const vpcd = await fakeVpcd();
  const card = new ScriptedTestCard();
  const server = new VpcdCardServer(card, { port: vpcd.port, reinsertDelayMs: 0 });
  cleanups.push(
    () => server.remove(),
    () => vpcd.close(),
  );
  await server.insert();
  await vpcd.whenConnected();
  return { vpcd, card, server };
}

describe('VpcdCardServer (against a fake vpcd)', () => {
  it('answers ATR requests and APDUs with length-prefixed frames', async () => {
    const { vpcd } = await insertedCard();
    vpcd.send(Uint8Array.of(0x01)); // power on: no answer expected
    vpcd.send(Uint8Array.of(0x04));
    expect(bytesToHex(await vpcd.next())).toBe('3B021450');
    vpcd.send(hexToBytes('805C000204'));
    expect(bytesToHex(await vpcd.next())).toBe('000003E89000');
  });

  it('a tear after the command runs it on the card and drops the link without answering', async () => {
    const { vpcd, card, server } = await insertedCard();
    server.tearOn((c) => c[1] === 0x54, 'after');
    const closed = vpcd.whenClosed();
    vpcd.send(hexToBytes('8054010000'));
    await closed;
    expect(server.inserted).toBe(false);
    expect(card.counter).toBe(99);
    expect(card.powered).toBe(false);
  });

  it('fails with a clear message when vpcd is not listening', async () => {
    const server = new VpcdCardServer(new ScriptedTestCard(), { port: 1, reinsertDelayMs: 0 });
    await expect(server.insert()).rejects.toThrow(/is pcscd running with vsmartcard-vpcd installed/);
  });
});
