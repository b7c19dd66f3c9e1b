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
import { ReaderBridgeClient, type WebSocketConstructor } from '../transport/websocket-reader';
import type { ChildPcscReader } from './pcsc-in-child';
import {
  CARD_READER,
  openRealPcscd,
  PCSC_LOCK_WAIT_MS,
  PSAM_READER,
  type RealPcscd,
  until,
} from './real-pcscd-harness';
import { VPCD_DEFAULT_PORT, VpcdCardServer } from './vpcd-card-server';

/**
 * The real PC/SC stack: pcscd + vsmartcard's vpcd driver. A TEST-issued virtual ETC card is served on
 * vpcd's first reader and a TEST virtual PSAM on its second; reads and full exit purchases run through
 * the pcsc transport and through the reader bridge + websocket transport. The stack and its lock are
 * real-pcscd-harness.ts; when pcscd or vpcd is missing this test FAILS, it does not skip.
 */

let pcsc: RealPcscd;
let cardReader: ChildPcscReader;
let psamReader: ChildPcscReader;
const issued = issueTestCard({ balance: 100_000, serial: 31 });
const cardVpcd = new VpcdCardServer(issued.card);
const psamVpcd = new VpcdCardServer(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }), {
  port: VPCD_DEFAULT_PORT + 1,
});

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
  pcsc = await openRealPcscd();
  ({ cardReader, psamReader } = pcsc);
  await cardVpcd.insert();
  await psamVpcd.insert();
  await until(() => cardReader.isCardPresent() && psamReader.isCardPresent(), 'card and PSAM present');
}, PCSC_LOCK_WAIT_MS + 60_000);

afterAll(async () => {
  cardVpcd.remove();
  psamVpcd.remove();
  await pcsc?.close();
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
