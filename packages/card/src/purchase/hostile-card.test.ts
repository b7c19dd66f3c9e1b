/**
 * Hostile card fuzz (after OpenSC's fuzz reader): every answer comes from the fuzzer — random bytes, wrong
 * lengths, endless 61xx/6Cxx, sometimes a plausible answer to get deeper. The exit must end with a typed error
 * (or a result), never an untyped crash or a hang, within a bounded number of APDUs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { encodeEf0015 } from '../codec/ef0015';
import { encodeEf0019 } from '../codec/ef0019';
import { PsamDriver } from '../psam/psam-driver';
import type { ApduCard } from '../reader/reader';
import { issueTestCard } from '../sim/test-card';
import { VirtualPsam } from '../sim/virtual-psam';
import { VirtualReader } from '../sim/virtual-reader';
import { ExitPurchase } from './exit-purchase';
import { MemoryJournal } from './journal';
import { chargeDecision, TEST_TERMINAL_ID, testExitRecord } from './test-rig';
import { pollingWaiter } from './waiting';

const issued = issueTestCard({ cardType: 'account', balance: 0 });
const PLAUSIBLE = [
  '9000',
  `${bytesToHex(encodeEf0015(issued.ef0015))}9000`,
  `${bytesToHex(encodeEf0019(testExitRecord(0)))}9000`,
  '000027109000',
  '00002710000100000001001A2B3C4D9000',
  'EA636009B09865B69000',
  '9406',
  '6101',
  '6C2B',
  '',
];

const responseArb = fc.oneof(
  fc.constantFrom(...PLAUSIBLE).map(hexToBytes),
  fc.uint8Array({ maxLength: 64 }),
  fc.integer({ min: 0, max: 255 }).map((n) => Uint8Array.of(0x61, n)),
  fc.integer({ min: 0, max: 255 }).map((n) => Uint8Array.of(0x6c, n)),
);

class HostileCard implements ApduCard {
  private i = 0;
  transmits = 0;
  constructor(private readonly responses: readonly Uint8Array[]) {}
  powerOn = () => Uint8Array.of(0x3b, 0x00);
  powerOff = () => {};
  transmit(): Uint8Array {
    this.transmits++;
    return this.responses[this.i++ % this.responses.length]!;
  }
}

describe('hostile card fuzz', () => {
  it('random answers end in a typed error or a result, with a bounded number of APDUs', async () => {
    const psamReader = new VirtualReader('psam');
    psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }));
    const psam = new PsamDriver(psamReader);
    await psam.open();
    await fc.assert(
      fc.asyncProperty(fc.array(responseArb, { minLength: 1, maxLength: 30 }), async (responses) => {
        const card = new HostileCard(responses);
        const reader = new VirtualReader('card');
        reader.insert(card);
        let polls = 0;
        const exit = new ExitPurchase({
          card: reader,
          psam,
          journal: new MemoryJournal(),
          waiter: pollingWaiter({
            attempts: 2,
            sleep: async () => {
              polls++;
              if (!reader.isCardPresent()) reader.insert(card);
            },
          }),
        });
        try {
          const out = await exit.exit(() => chargeDecision(0));
          expect(out.tac).toMatch(/^[0-9A-F]{8}$/);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect(typeof (e as { code?: unknown }).code).toBe('string');
          expect(typeof (e as { messageZh?: unknown }).messageZh).toBe('string');
        }
        // 3 attempts × (select + 0015 + prove rounds…) × 32 iterations per command is the worst case.
        expect(card.transmits).toBeLessThan(3 * 5 * 4 * 32 + 200);
        expect(polls).toBeLessThan(100);
      }),
      { numRuns: 400 },
    );
  });

  it('an endless 61xx card is stopped by the loop guard with a typed error', async () => {
    const psamReader = new VirtualReader('psam');
    psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }));
    const psam = new PsamDriver(psamReader);
    await psam.open();
    const card = new HostileCard([hexToBytes('61FF')]);
    const reader = new VirtualReader('card');
    reader.insert(card);
    const exit = new ExitPurchase({
      card: reader,
      psam,
      journal: new MemoryJournal(),
      waiter: pollingWaiter(),
    });
    await expect(exit.readCard()).rejects.toMatchObject({ code: 'APDU_LOOP' });
    expect(card.transmits).toBe(32);
  });

  it('a hostile PSAM (random answers to 80 70 / 80 72) ends in a typed error, never a double debit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(responseArb, { minLength: 1, maxLength: 10 }), async (responses) => {
        const open = ['9000', `${TEST_TERMINAL_ID}9000`, '99990151000119F80001010100009000', '9000'].map(
          hexToBytes,
        );
        const psamCard = new HostileCard([...open, ...responses]);
        const psamReader = new VirtualReader('psam');
        psamReader.insert(psamCard);
        const psam = new PsamDriver(psamReader);
        await psam.open();
        const own = issueTestCard({ plate: '苏A1', cardType: 'account', algorithm: 'sm4', balance: 0 });
        const reader = new VirtualReader('card');
        reader.insert(own.card);
        const exit = new ExitPurchase({
          card: reader,
          psam,
          journal: new MemoryJournal(),
          waiter: pollingWaiter({ attempts: 2, sleep: async () => {} }),
        });
        try {
          await exit.exit(() => chargeDecision(10));
        } catch (e) {
          expect(typeof (e as { code?: unknown }).code).toBe('string');
          expect(typeof (e as { messageZh?: unknown }).messageZh).toBe('string');
        }
        expect(own.card.debits.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
