import { ExitPurchase, hexToBytes, MemoryJournal, PsamDriver, pollingWaiter } from '@tollpad/card';
import { blankEf0019, issueCard, VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import type { ExitRecord, Fen } from '@tollpad/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness';
import { DIALECTS } from './testing/test-db';
import { testRecord } from './testing/test-records';

const TERMINAL = '0137000099CC';
const exTime = new Date('2026-11-23T07:45:30.000Z');

/**
 * The whole chain with the card package's simulator: the PSAM is authorised through the centre, a TEST
 * card is debited by the real exit-purchase code, and the record built from that debit verifies here.
 */
describe.each(DIALECTS)('simulated debit → centre on %s', (dialect) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  for (const algorithm of ['3des', 'sm4'] as const) {
    it(`verifies the TAC of a ${algorithm} card debited through a centre-authorised PSAM`, async () => {
      const issued = issueCard({
        plate: '苏A12345',
        colour: 0,
        class: 1,
        cardType: 'stored-value',
        algorithm,
        balance: 50_000,
        serial: algorithm === 'sm4' ? 77 : 76,
      });
      const cardReader = new VirtualReader('card');
      cardReader.insert(issued.card);
      const psamReader = new VirtualReader('psam');
      psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TERMINAL), requireAuthorisation: true }));
      const psam = new PsamDriver(psamReader, {
        authoriser: {
          async authorise(req) {
            const res = await h.call('POST', '/psam/auth', {
              body: {
                laneId: 'TEST-LANE',
                terminalNo: req.terminalId,
                psamNo: req.psamSerial,
                random: req.challenge,
              },
            });
            return hexToBytes(res.json().apdu);
          },
        },
      });
      expect((await psam.open()).authorised).toBe(true);
      const purchase = new ExitPurchase({
        card: cardReader,
        psam,
        journal: new MemoryJournal(),
        waiter: pollingWaiter({ attempts: 1, sleep: async () => {} }),
        config: { clock: () => exTime },
      });
      const fee = 3456 as Fen;
      const out = await purchase.exit(() => ({
        action: 'charge',
        amount: fee,
        exit0019: { ...blankEf0019('2019'), status: 0x04, cumulativeAmount: fee },
      }));

      const station = (await h.centre.services.tariffs.activeAt()).network.stations[2]!;
      const base = testRecord({ station, exTime, serial: algorithm === 'sm4' ? 11 : 10, fee });
      const record: ExitRecord = {
        ...base,
        cardId: out.cardNumber,
        cardNet: out.cardNumber.slice(0, 4),
        passId: `01${out.cardNumber}${base.passId.slice(22)}`,
        tac: out.tac.toUpperCase(),
        terminalNo: out.terminalId.toUpperCase(),
        terminalTransNo: out.terminalSerial.toString(16).toUpperCase().padStart(8, '0'),
        cardTransNo: out.atcBefore,
        algorithmIdentifier: algorithm === 'sm4' ? 2 : 1,
        preBalance: 50_000 as Fen,
        postBalance: out.balanceAfter as Fen,
      };
      const res = await h.call('POST', '/records', {
        body: record,
        headers: { 'idempotency-key': record.id },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().tacStatus).toBe('verified');
    });
  }
});
