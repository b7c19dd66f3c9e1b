import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CpcExit } from '../cpc/cpc-exit';
import { PsamDriver } from '../psam/psam-driver';
import { TEST_TERMINAL_ID } from '../purchase/test-rig';
import { pollingWaiter } from '../purchase/waiting';
import { issueTestCpc, testCpcFiles } from '../sim/test-cpc';
import type { VirtualCpc } from '../sim/virtual-cpc';
import { VirtualPsam } from '../sim/virtual-psam';
import type { ChildPcscReader } from './pcsc-in-child';
import { openRealPcscd, PCSC_LOCK_WAIT_MS, type RealPcscd, until } from './real-pcscd-harness';
import { VPCD_DEFAULT_PORT, VpcdCardServer } from './vpcd-card-server';

/**
 * A TEST CPC (VirtualCpc, cpc-card.md §9's card) on vpcd's first reader and a TEST virtual PSAM on its second:
 * the CPC exit reads, authenticates and writes through the real pcscd and the pcsc transport, and a tear
 * right after the card committed the UPDATE is found by the re-read. When pcscd or vpcd is missing this test
 * FAILS, it does not skip (real-pcscd-harness.ts).
 */

let pcsc: RealPcscd;
let cardReader: ChildPcscReader;
let psamReader: ChildPcscReader;
let cpc: VirtualCpc = issueTestCpc();
const cardVpcd = new VpcdCardServer(cpc);
const psamVpcd = new VpcdCardServer(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }), {
  port: VPCD_DEFAULT_PORT + 1,
});

/** Pulls the card in the reader and puts `next` in (vpcd's 1 s re-insertion pause included). */
async function swapCard(next: VirtualCpc): Promise<void> {
  cardVpcd.remove();
  await until(() => !cardReader.isCardPresent(), 'card absent');
  cpc = next;
  cardVpcd.setCard(next);
  await cardVpcd.insert();
  await until(() => cardReader.isCardPresent(), 'card present');
}

async function cpcExit(sleep?: () => Promise<void>): Promise<CpcExit> {
  const psam = new PsamDriver(psamReader);
  await psam.open();
  return new CpcExit({
    card: cardReader,
    psam,
    waiter: pollingWaiter({ attempts: 60, intervalMs: 100, ...(sleep ? { sleep } : {}) }),
  });
}

const flags = (card: VirtualCpc) => bytesToHex(card.file('entry').subarray(23, 25));

beforeAll(async () => {
  pcsc = await openRealPcscd();
  ({ cardReader, psamReader } = pcsc);
  await cardVpcd.insert();
  await psamVpcd.insert();
  await until(() => cardReader.isCardPresent() && psamReader.isCardPresent(), 'CPC and PSAM present');
}, PCSC_LOCK_WAIT_MS + 60_000);

afterAll(async () => {
  cardVpcd.remove();
  psamVpcd.remove();
  await pcsc?.close();
});

describe('a CPC through the real pcscd and vpcd', () => {
  it('refuses an UPDATE without external authentication (raw APDUs through PC/SC)', async () => {
    await cardReader.connect();
    expect(bytesToHex(await cardReader.transmit(hexToBytes('00A4000002DF01')))).toBe('9000');
    expect(bytesToHex(await cardReader.transmit(hexToBytes('00D68117020202')))).toBe('6982');
    expect(bytesToHex(await cardReader.transmit(hexToBytes('00B0811702')))).toBe('01019000');
    await cardReader.disconnect();
    expect(cpc.writes).toHaveLength(0);
  });

  it('reads the five files, authenticates through the PSAM and writes the exit', async () => {
    const exit = await cpcExit();
    const files = await exit.read();
    const expected = testCpcFiles();
    for (const name of ['sysInfo', 'baseInfo', 'entry', 'pass', 'feeBlocks'] as const) {
      expect(bytesToHex(files[name]), name).toBe(bytesToHex(expected[name]));
    }
    const out = await exit.close();
    expect(out).toMatchObject({ outcome: 'written', attempts: 1, recovered: false, verified: true });
    expect(flags(cpc)).toBe('0202');
    expect(cpc.writes).toEqual([{ file: 'entry', offset: 23, data: '0202' }]);
    // The next power-up reports the radio off (MF/EF02 byte 1), through PC/SC too.
    await cardReader.disconnect();
    await cardReader.connect();
    await cardReader.transmit(hexToBytes('00A40000023F00'));
    expect(bytesToHex(await cardReader.transmit(hexToBytes('00B0820002')))).toBe('50009000');
    await cardReader.disconnect();
  });

  it('a tear right after the card committed the UPDATE (0-byte PC/SC answer) is found written on re-insertion', async () => {
    await swapCard(issueTestCpc({ cpcId: '6201012345678902' }));
    let reinserting: Promise<void> | undefined;
    const exit = await cpcExit(async () => {
      reinserting ??= cardVpcd.insert(); // the collector puts the card back
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    await exit.read();
    cardVpcd.tearOn((c) => c[1] === 0xd6, 'after');
    const out = await exit.close();
    expect(reinserting).toBeDefined();
    await reinserting;
    expect(out).toMatchObject({ outcome: 'written', recovered: true, attempts: 1, radioState: 0 });
    expect(cpc.writes).toHaveLength(1);
    expect(flags(cpc)).toBe('0202');
  });

  it('a tear before the UPDATE reached the card: the retry writes it once', async () => {
    await swapCard(issueTestCpc({ cpcId: '6201012345678903' }));
    let reinserting: Promise<void> | undefined;
    const exit = await cpcExit(async () => {
      reinserting ??= cardVpcd.insert();
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    await exit.read();
    cardVpcd.tearOn((c) => c[1] === 0xd6, 'before');
    const out = await exit.close();
    await reinserting;
    expect(out).toMatchObject({ outcome: 'written', recovered: false, attempts: 2 });
    expect(cpc.writes).toHaveLength(1);
    expect(flags(cpc)).toBe('0202');
  });
});
