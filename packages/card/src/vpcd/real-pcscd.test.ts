import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { ReaderBridgeServer } from '../bridge/reader-bridge-server';
import { PsamDriver } from '../psam/psam-driver';
import { ExitPurchase } from '../purchase/exit-purchase';
import { MemoryJournal } from '../purchase/journal';
import { chargeDecision, TEST_TERMINAL_ID } from '../purchase/test-rig';
import { pollingWaiter } from '../purchase/waiting';
import { CardIoError } from '../reader/errors';
import type { Reader } from '../reader/reader';
import { issueTestCard } from '../sim/test-card';
import { VirtualPsam } from '../sim/virtual-psam';
import { PcscContext, type PcscReader } from '../transport/pcsc-reader';
import { ReaderBridgeClient, type WebSocketConstructor } from '../transport/websocket-reader';
import { VPCD_DEFAULT_PORT, VpcdCardServer } from './vpcd-card-server';

/**
 * The real PC/SC stack: pcscd + vsmartcard's vpcd driver. A TEST-issued virtual ETC card is served on
 * vpcd's first reader and a TEST virtual PSAM on its second; reads and full exit purchases run through
 * the pcsc transport and through the reader bridge + websocket transport. CI installs the packages
 * (scripts/ensure-system-deps.sh); when they are missing this test FAILS, it does not skip.
 */

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const CARD_READER = 'Virtual PCD 00 00';
const PSAM_READER = 'Virtual PCD 00 01';

let pcscd: ChildProcess | undefined;
let context: PcscContext;
let cardReader: PcscReader;
let psamReader: PcscReader;
const issued = issueTestCard({ balance: 100_000, serial: 31 });
const cardVpcd = new VpcdCardServer(issued.card);
const psamVpcd = new VpcdCardServer(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }), {
  port: VPCD_DEFAULT_PORT + 1,
});

/**
 * vpcd has one card socket per reader and pcscd is machine-wide: two test runs at once (two engineers on
 * one box) would steal each other's card. Serialise them with a lock file holding the owner's PID.
 */
const LOCK = '/tmp/tollpad-pcscd-test.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function acquireLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return;
    } catch {
      const owner = Number(readFileSync(LOCK, 'utf8'));
      if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
        unlinkSync(LOCK); // stale: its owner died
        continue;
      }
      if (Date.now() > deadline) throw new Error(`PC/SC test: another run (PID ${owner}) holds ${LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function releaseLock(): void {
  try {
    if (Number(readFileSync(LOCK, 'utf8')) === process.pid) unlinkSync(LOCK);
  } catch {
    // Not held.
  }
}

function pcscdRunning(): boolean {
  try {
    execFileSync('pidof', ['pcscd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
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

async function purchaseOver(
  card: Reader,
  psamSlot: Reader,
  amount: number,
  waiterSleep?: () => Promise<void>,
) {
  const psam = new PsamDriver(psamSlot);
  await psam.open();
  const exit = new ExitPurchase({
    card,
    psam,
    journal: new MemoryJournal(),
    waiter: pollingWaiter({ attempts: 60, intervalMs: 100, ...(waiterSleep ? { sleep: waiterSleep } : {}) }),
  });
  return exit.exit(() => chargeDecision(amount));
}

beforeAll(async () => {
  const missing = ['/usr/sbin/pcscd', VPCD_DRIVER].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `PC/SC test needs pcscd and vsmartcard-vpcd (missing ${missing.join(', ')}); ` +
        'run scripts/ensure-system-deps.sh or apt-get install pcscd vsmartcard-vpcd libpcsclite-dev',
    );
  }
  await acquireLock(40_000);
  if (!pcscdRunning()) {
    if (process.getuid?.() !== 0) {
      throw new Error('PC/SC test: pcscd is not running and only root can start it here; start pcscd first');
    }
    pcscd = spawn('/usr/sbin/pcscd', ['--foreground'], { stdio: 'ignore' });
  }
  context = await PcscContext.open({ pollMs: 100 });
  cardReader = await context.waitForReader(CARD_READER, 10_000);
  psamReader = await context.waitForReader(PSAM_READER, 10_000);
  await cardVpcd.insert();
  await psamVpcd.insert();
  await until(() => cardReader.isCardPresent() && psamReader.isCardPresent(), 'card and PSAM present');
});

afterAll(async () => {
  cardVpcd.remove();
  psamVpcd.remove();
  context?.close();
  if (pcscd?.pid) {
    pcscd.kill('SIGTERM');
    await new Promise((resolve) => pcscd?.once('exit', resolve));
  }
  releaseLock();
});

describe('real pcscd through vpcd', () => {
  it('reads the card through the pcsc transport', async () => {
    expect((await cardReader.connect()).length).toBeGreaterThan(2);
    expect(bytesToHex(await cardReader.transmit(hexToBytes('00A40000021001'))).slice(-4)).toBe('9000');
    expect(bytesToHex(await cardReader.transmit(hexToBytes('805C000204')))).toBe('000186A09000');
    await cardReader.disconnect();
  });

  it('runs a full exit purchase through the pcsc transport', async () => {
    const before = issued.card.balance;
    const outcome = await purchaseOver(cardReader, psamReader, 1500);
    expect(outcome).toMatchObject({
      cardNumber: issued.cardNumber,
      amount: 1500,
      recovered: false,
      mac2Verified: true,
    });
    expect(issued.card.balance).toBe(before - 1500);
  });

  it('a card torn right after DEBIT (0-byte PC/SC response) is recovered once re-inserted', async () => {
    const before = issued.card.balance;
    cardVpcd.tearOn((c) => c[0] === 0x80 && c[1] === 0x54, 'after');
    let reinserting: Promise<void> | undefined;
    const outcome = await purchaseOver(cardReader, psamReader, 700, async () => {
      // The collector puts the card back (VpcdCardServer waits out pcscd's 1 s re-insertion pause).
      reinserting ??= cardVpcd.insert();
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    expect(reinserting).toBeDefined();
    await reinserting;
    expect(outcome.recovered).toBe(true);
    expect(issued.card.balance).toBe(before - 700);
    await cardReader.disconnect();
  });

  it('transmit on a torn card is a CardIoError', async () => {
    await cardReader.connect();
    cardVpcd.tearOn((c) => c[1] === 0x5c, 'before');
    await expect(cardReader.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(CardIoError);
    await until(() => !cardReader.isCardPresent(), 'card absent');
    await cardVpcd.insert();
    await until(() => cardReader.isCardPresent(), 'card present again');
  });

  it('reads and purchases through the reader bridge and the websocket transport', async () => {
    const server = new ReaderBridgeServer({
      readers: { card: cardReader, psam: psamReader },
      token: 'TEST-token',
    });
    const { url } = await server.start();
    const client = new ReaderBridgeClient(url, {
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      token: 'TEST-token',
    });
    try {
      const slots = await client.open();
      expect(slots).toEqual([
        { slot: 'card', name: CARD_READER, present: true },
        { slot: 'psam', name: PSAM_READER, present: true },
      ]);
      const remoteCard = client.reader('card');
      await remoteCard.connect();
      expect(bytesToHex(await remoteCard.transmit(hexToBytes('00A40000021001'))).slice(-4)).toBe('9000');
      await remoteCard.disconnect();
      const before = issued.card.balance;
      const outcome = await purchaseOver(remoteCard, client.reader('psam'), 2500);
      expect(outcome).toMatchObject({ amount: 2500, recovered: false, mac2Verified: true });
      expect(issued.card.balance).toBe(before - 2500);
    } finally {
      client.close();
      await server.close();
    }
  });
});
