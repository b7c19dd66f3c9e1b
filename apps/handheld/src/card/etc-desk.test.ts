import { hexToBytes, PsamDriver } from '@tollpad/card';
import { VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import { describe, expect, it } from 'vitest';
import type { DebitIntent } from '../api/types';
import { MemoryJournal } from '../journal/idb-journal';
import { EtcCardDesk } from './etc-desk';
import type { ReaderHub } from './reader-hub-types';
import { issueTrainingCard, TRAINING_PROFILES } from './training-cards';
import { TrainingReader } from './training-reader';

const PSAM_NO = '0151000119F8'; // TEST PSAM terminal number
const EXIT_HEX = '37000102'; // TEST synthetic-province station

function rig(profileId = 'car') {
  const profile = TRAINING_PROFILES.find((p) => p.id === profileId)!;
  const card = issueTrainingCard(profile, EXIT_HEX, new Date());
  const reader = new TrainingReader(
    () => undefined,
    () => undefined,
  );
  reader.insert(card);
  const hub = {
    reader: () => reader,
    status: () => ({ choice: 'simulated' }),
  } as unknown as ReaderHub;
  const psamSlot = new VirtualReader('psam');
  psamSlot.insert(new VirtualPsam({ terminalId: hexToBytes(PSAM_NO) }));
  const psam = new PsamDriver(psamSlot);
  const opened = psam.open().then(() => psam);
  const journal = new MemoryJournal();
  const desk = new EtcCardDesk(hub, () => opened, journal, {
    stationHex: () => EXIT_HEX,
    laneNo: () => 1,
    layout0019: '2019',
    shortWait: { attempts: 40, intervalMs: 10 },
  });
  return { card, reader, desk, journal };
}

const request = (cardNo: string) => ({
  txnId: 'txn-TEST-1',
  laneId: 'G90013700100202010010',
  cardNo,
  amount: 12_955,
  vehicleClass: 1,
  plate: '鲁A12345',
  plateColour: 0,
});

describe('EtcCardDesk over @tollpad/card', () => {
  it('reads the card and debits it once, announcing the intent before DEBIT', async () => {
    const { card, desk, journal } = rig();
    const read = await desk.read();
    expect(read.summary.cardNo).toMatch(/^9901\d{16}$/);
    expect(read.summary.entryStation).toBe('37000101');
    const intents: DebitIntent[] = [];
    const p = await desk.purchase(request(read.summary.cardNo), {
      announce: async (intent) => {
        // The pending entry is already in the journal when the station hears of it.
        expect(await journal.get('txn-TEST-1')).toMatchObject({ phase: 'intent' });
        expect(card.debits).toHaveLength(0);
        intents.push(intent);
        return 'TRADE-TEST';
      },
    });
    expect(intents).toEqual([
      expect.objectContaining({ cardId: read.summary.cardNo, amount: 12_955, psamTerminalNo: PSAM_NO }),
    ]);
    expect(p.phase).toBe('resolved');
    expect(p.tradeId).toBe('TRADE-TEST');
    expect(p.outcome).toMatchObject({ debited: true, result: { recovered: false, amount: 12_955 } });
    expect(card.debits).toHaveLength(1);
    expect(card.balance).toBe(50_000 - 12_955);
  });

  it('a tear after DEBIT: the card comes back, the debit is proved, never sent again', async () => {
    const { card, reader, desk } = rig();
    const read = await desk.read();
    reader.fault = { step: 'debit', action: 'pull' };
    setTimeout(() => reader.insert(card), 60);
    const p = await desk.purchase(request(read.summary.cardNo), { announce: async () => 'TRADE-TEST' });
    expect(p.outcome).toMatchObject({ debited: true, result: { recovered: true } });
    expect(card.debits).toHaveLength(1);
  });

  it('a tear after DEBIT and no card in time: TornDebitError, then recovery on the same card', async () => {
    const { card, reader, desk } = rig();
    const read = await desk.read();
    reader.fault = { step: 'debit', action: 'pull' };
    const err = await desk
      .purchase(request(read.summary.cardNo), { announce: async () => 'T' })
      .catch((e) => e);
    expect(err?.name).toBe('TornDebitError');
    reader.insert(card);
    const p = await desk.recover(err.pending);
    expect(p.outcome).toMatchObject({ debited: true, result: { recovered: true } });
    expect(card.debits).toHaveLength(1);
  });

  it('the station refuses the intent: no DEBIT is sent and the journal entry is void', async () => {
    const { card, desk, journal } = rig();
    const read = await desk.read();
    const err = await desk
      .purchase(request(read.summary.cardNo), {
        announce: async () => {
          throw new Error('STN refused');
        },
      })
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect(card.debits).toHaveLength(0);
    expect(await journal.list()).toEqual([]);
  });

  it('a stored-value card below the fee is refused before INITIALIZE, in Chinese', async () => {
    const { card, desk } = rig('low-balance');
    const read = await desk.read();
    const err = await desk
      .purchase(request(read.summary.cardNo), { announce: async () => 'T' })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'CARD_INSUFFICIENT_BALANCE', message: '卡片余额不足' });
    expect(card.debits).toHaveLength(0);
  });
});
