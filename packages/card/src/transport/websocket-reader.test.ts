import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { ReaderBridgeServer } from '../bridge/reader-bridge-server';
import { CardAbsentError, CardIoError, ReaderError } from '../reader/errors';
import type { Reader, ReaderEvent } from '../reader/reader';
import { ReaderCommandError } from '../reader/reader-errors-extra';
import { ScriptedTestCard } from './scripted-test-card';
import { SimulatedReader } from './simulated-reader';
import { type BridgeClientOptions, ReaderBridgeClient, type WebSocketConstructor } from './websocket-reader';

const WS = WebSocket as unknown as WebSocketConstructor;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function bridge(readers: Record<string, Reader>, extra: { token?: string; port?: number } = {}) {
  const server = new ReaderBridgeServer({ readers, ...extra });
  const { url, port } = await server.start();
  cleanups.push(() => server.close());
  return { server, url, port };
}

function client(url: string, options: BridgeClientOptions = {}) {
  const c = new ReaderBridgeClient(url, { WebSocket: WS, timeoutMs: 2000, ...options });
  cleanups.push(() => c.close());
  return c;
}

function nextEvent(reader: { on(e: ReaderEvent, l: () => void): () => void }, event: ReaderEvent) {
  return new Promise<void>((resolve) => {
    const off = reader.on(event, () => {
      off();
      resolve();
    });
  });
}

describe('websocket reader over the reader bridge', () => {
  it('lists slots, connects, transmits and forwards presence events', async () => {
    const cardSlot = new SimulatedReader(new ScriptedTestCard(), { name: 'TEST card slot' });
    const psamSlot = new SimulatedReader(undefined, { name: 'TEST psam slot' });
    const { url } = await bridge({ card: cardSlot, psam: psamSlot });
    const c = client(url);
    const slots = await c.open();
    expect(slots).toEqual([
      { slot: 'card', name: 'TEST card slot', present: true },
      { slot: 'psam', name: 'TEST psam slot', present: false },
    ]);
    const card = c.reader('card');
    expect(card.isCardPresent()).toBe(true);
    expect(bytesToHex(await card.connect())).toBe('3B021450');
    expect(bytesToHex(await card.transmit(hexToBytes('805C000204')))).toBe('000003E89000');

    const psam = c.reader('psam');
    await expect(psam.connect()).rejects.toBeInstanceOf(CardAbsentError);
    const present = nextEvent(psam, 'present');
    psamSlot.insert(new ScriptedTestCard());
    await present;
    expect(psam.isCardPresent()).toBe(true);

    const absent = nextEvent(card, 'absent');
    cardSlot.remove();
    await absent;
    await expect(card.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(CardAbsentError);
    await card.disconnect();
  });

  it('a card pulled during a bridged command is a CardIoError', async () => {
    const testCard = new ScriptedTestCard();
    const slot = new SimulatedReader(testCard);
    const { url } = await bridge({ card: slot });
    const reader = client(url).reader('card');
    await reader.connect();
    slot.tearOn((cmd) => cmd[1] === 0x54, 'after');
    await expect(reader.transmit(hexToBytes('8054010000'))).rejects.toBeInstanceOf(CardIoError);
    expect(testCard.counter).toBe(99);
  });

  it('refuses short commands before they leave the client', async () => {
    const { url } = await bridge({ card: new SimulatedReader(new ScriptedTestCard()) });
    const reader = client(url).reader('card');
    await reader.connect();
    await expect(reader.transmit(Uint8Array.of(0x00, 0xa4))).rejects.toBeInstanceOf(ReaderCommandError);
  });

  it('a transmit the bridge never answers times out as a CardIoError', async () => {
    const stuck: Reader = {
      name: 'TEST stuck',
      kind: 'simulated',
      connect: async () => Uint8Array.of(0x3b, 0x00),
      transmit: () => new Promise<Uint8Array>(() => {}),
      disconnect: async () => {},
      isCardPresent: () => true,
      on: () => () => {},
    };
    const { url } = await bridge({ card: stuck });
    const reader = client(url, { timeoutMs: 150 }).reader('card');
    await reader.connect();
    const error = await reader.transmit(hexToBytes('805C000204')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardIoError);
    expect((error as Error).message).toMatch(/timed out/);
  });

  it('checks the shared token', async () => {
    const { url } = await bridge(
      { card: new SimulatedReader(new ScriptedTestCard()) },
      { token: 'TEST-token' },
    );
    const bad = client(url, { token: 'wrong' });
    const error = await bad.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReaderError);
    expect((error as ReaderError).code).toBe('READER_UNAVAILABLE');
    const good = client(url, { token: 'TEST-token' });
    expect((await good.open()).length).toBe(1);
  });

  it('gives a slot to one client at a time and releases it when that client leaves', async () => {
    const { url } = await bridge({ card: new SimulatedReader(new ScriptedTestCard()) });
    const first = client(url);
    const second = client(url);
    await first.reader('card').connect();
    const error = await second
      .reader('card')
      .connect()
      .catch((e: unknown) => e);
    expect((error as ReaderError).messageZh).toMatch(/占用/);
    first.close();
    await expect
      .poll(() =>
        second
          .reader('card')
          .connect()
          .then(bytesToHex, () => 'busy'),
      )
      .toBe('3B021450');
  });

  it('answers malformed frames with BAD_REQUEST instead of dropping the link', async () => {
    const { url } = await bridge({ card: new SimulatedReader(new ScriptedTestCard()) });
    const raw = new WebSocket(url);
    cleanups.push(() => raw.close());
    await new Promise((resolve) => raw.once('open', resolve));
    const reply = new Promise<string>((resolve) => raw.once('message', (d) => resolve(d.toString())));
    raw.send('{not json');
    expect(JSON.parse(await reply)).toMatchObject({ type: 'error', code: 'BAD_REQUEST' });
  });

  it('fails pending commands on link loss, then reconnects and serves again', async () => {
    const slot = new SimulatedReader(new ScriptedTestCard(), { latencyMs: 300 });
    const first = await bridge({ card: slot });
    const c = client(first.url, { reconnect: { initialDelayMs: 50, maxDelayMs: 100 } });
    const reader = c.reader('card');
    await reader.connect();
    const absent = nextEvent(reader, 'absent');
    const pending = reader.transmit(hexToBytes('805C000204'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await first.server.close();
    await expect(pending).rejects.toBeInstanceOf(CardIoError);
    await absent;
    expect(reader.isCardPresent()).toBe(false);

    const present = nextEvent(reader, 'present');
    await bridge({ card: new SimulatedReader(new ScriptedTestCard()) }, { port: first.port });
    await present;
    // The old card session is gone: transmit without connect is refused, connect starts a new one.
    await expect(reader.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(CardIoError);
    await reader.connect();
    expect(bytesToHex(await reader.transmit(hexToBytes('805C000204')))).toBe('000003E89000');
  });

  it('reports an unreachable bridge as READER_UNAVAILABLE', async () => {
    const c = client('ws://127.0.0.1:1', { timeoutMs: 300, reconnect: false });
    const error = await c.open().catch((e: unknown) => e);
    expect((error as ReaderError).code).toBe('READER_UNAVAILABLE');
  });
});
