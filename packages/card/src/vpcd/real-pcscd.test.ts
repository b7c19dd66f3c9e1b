import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ReaderBridgeServer } from '../bridge/reader-bridge-server';
import { CardIoError } from '../reader/errors';
import { PcscContext, type PcscReader } from '../transport/pcsc-reader';
import { fromHex, ScriptedTestCard, toHex } from '../transport/scripted-test-card';
import { ReaderBridgeClient, type WebSocketConstructor } from '../transport/websocket-reader';
import { VpcdCardServer } from './vpcd-card-server';

/**
 * The real PC/SC stack: pcscd + vsmartcard's vpcd driver, a software card served through vpcd, read
 * through the pcsc transport and through the reader bridge + websocket transport. CI installs the
 * packages (scripts/ensure-system-deps.sh); when they are missing this test FAILS, it does not skip.
 */

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const READER = 'Virtual PCD 00 00';

let pcscd: ChildProcess | undefined;
let context: PcscContext;
let reader: PcscReader;
const card = new ScriptedTestCard();
const vpcd = new VpcdCardServer(card);

function pcscdRunning(): boolean {
  try {
    execFileSync('pidof', ['pcscd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

beforeAll(async () => {
  const missing = ['/usr/sbin/pcscd', VPCD_DRIVER].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `PC/SC test needs pcscd and vsmartcard-vpcd (missing ${missing.join(', ')}); ` +
        'run scripts/ensure-system-deps.sh or apt-get install pcscd vsmartcard-vpcd libpcsclite-dev',
    );
  }
  if (!pcscdRunning()) {
    pcscd = spawn('/usr/sbin/pcscd', ['--foreground'], { stdio: 'ignore' });
  }
  context = await PcscContext.open({ pollMs: 100 });
  reader = await context.waitForReader(READER, 10_000);
});

afterAll(async () => {
  vpcd.remove();
  context?.close();
  if (pcscd?.pid) {
    pcscd.kill('SIGTERM');
    await new Promise((resolve) => pcscd?.once('exit', resolve));
  }
});

describe('real pcscd through vpcd', () => {
  it('reads a virtual card through the pcsc transport', async () => {
    await vpcd.insert();
    await until(() => reader.isCardPresent(), 'card present in pcscd');
    const atr = await reader.connect();
    expect(toHex(atr)).toBe('3B021450');
    expect(toHex(await reader.transmit(fromHex('00A40000021001')))).toBe('6F0A840831303031545445539000');
    expect(toHex(await reader.transmit(fromHex('805C000204')))).toBe('000003E89000');
  });

  it('a card torn mid-command is a CardIoError, and the card is found again after re-insertion', async () => {
    vpcd.tearOn((c) => c[1] === 0x54, 'after');
    const before = card.counter;
    await expect(reader.transmit(fromHex('8054010000'))).rejects.toBeInstanceOf(CardIoError);
    expect(card.counter).toBe(before - 1);
    await until(() => !reader.isCardPresent(), 'card absent in pcscd');
    await vpcd.insert(); // waits out the 1 s re-insertion pause
    await until(() => reader.isCardPresent(), 'card present again', 8000);
    await reader.connect();
    expect(toHex(await reader.transmit(fromHex('805C000204')))).toBe('000003E89000');
    await reader.disconnect();
  });

  it('reads the same card through the reader bridge and the websocket transport', async () => {
    const server = new ReaderBridgeServer({ readers: { card: reader } });
    const { url } = await server.start();
    const client = new ReaderBridgeClient(url, { WebSocket: WebSocket as unknown as WebSocketConstructor });
    try {
      const slots = await client.open();
      expect(slots).toEqual([{ slot: 'card', name: READER, present: true }]);
      const remote = client.reader('card');
      expect(toHex(await remote.connect())).toBe('3B021450');
      expect(toHex(await remote.transmit(fromHex('00B0950004')))).toBe('C9C2CEF79000');
      await remote.disconnect();
    } finally {
      client.close();
      await server.close();
    }
  });
});
