import { hexToBytes, type PendingEntry, PsamDriver } from '@tollpad/card';
import { VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import type { CpcEtcCardPayment, Recovery } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import type { ExitTxn } from '../api/types';
import { EtcPayCardDesk } from '../card/etc-pay-card-desk';
import type { ReaderHub } from '../card/reader-hub-types';
import { issueDriverCard } from '../card/training-cards';
import { TrainingReader } from '../card/training-reader';
import { HandheldError } from '../errors';
import { MemoryJournal } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';
import { type EtcCardPayDeps, etcCardProof, payByEtcCard, recoverEtcCard } from './etc-card-pay';

const PSAM_NO = '0151000119F8'; // TEST PSAM terminal number
const TXN = 'txn-TEST-card-1';
const AMOUNT = 12_900;
const REQ = { txnId: TXN, cpcId: '3700EEEE00000001', amount: AMOUNT };

/** The driver's TEST card on the handheld's (training) reader, the TEST PSAM, the CPC journal, a station stub. */
function rig(cardId: 'driver-card' | 'driver-card-low' = 'driver-card') {
  const card = issueDriverCard(cardId);
  if (!card) throw new Error('TEST: no driver card');
  const reader = new TrainingReader(
    () => undefined,
    () => undefined,
  );
  reader.insert(card);
  const hub = { reader: () => reader } as unknown as ReaderHub;
  const psamSlot = new VirtualReader('psam');
  psamSlot.insert(new VirtualPsam({ terminalId: hexToBytes(PSAM_NO) }));
  const psam = new PsamDriver(psamSlot);
  const opened = psam.open().then(() => psam);
  const payCard = new EtcPayCardDesk(hub, () => opened, '2019', { attempts: 3, intervalMs: 5 });
  const journal = new MemoryJournal<PendingCpcWrite>();
  const intents: CpcEtcCardPayment[] = [];
  const recoveries: Recovery[] = [];
  let refuse: HandheldError | null = null;
  const client = {
    async cpcPaymentIntent(_id: string, body: unknown) {
      // The purchase's entry is durable in the journal before the station hears of it.
      expect((await journal.get(TXN))?.etcCard?.phase).toBe('intent');
      if (refuse) throw refuse;
      intents.push(body as CpcEtcCardPayment);
      return {
        txn: { id: TXN } as ExitTxn,
        tradeId: 'G90013700100202010010202611231600000001',
        payment: null,
      };
    },
    async recover(_id: string, body: Recovery) {
      recoveries.push(body);
      return { id: TXN, state: 'priced' } as ExitTxn;
    },
  } as unknown as EtcCardPayDeps['client'];
  const deps: EtcCardPayDeps = { client, payCard, journal, laneId: 'G90013700100202010010' };
  return {
    card,
    reader,
    deps,
    journal,
    intents,
    recoveries,
    refuseWith: (e: HandheldError) => {
      refuse = e;
    },
  };
}

describe('【ETC卡支付】 the driver’s own ETC card pays a CPC exit (payment only)', () => {
  it('reads, announces the intent with the card’s files from the journal entry, debits once; the card’s 0019 unchanged; the proof matches', async () => {
    const r = rig();
    const before = await r.deps.payCard.read();
    expect(before.summary).toMatchObject({ cardKind: 'stored-value', balance: 50_000 });
    const paid = await payByEtcCard(r.deps, REQ, before);
    expect(r.intents).toHaveLength(1);
    expect(r.intents[0]).toMatchObject({
      payment: 'etc-card',
      amount: AMOUNT,
      cardId: before.summary.cardNo,
      psamTerminalNo: PSAM_NO,
      card: before.payload,
    });
    const after = await r.deps.payCard.read();
    expect(after.payload.ef0019).toBe(before.payload.ef0019);
    expect(after.summary.balance).toBe(50_000 - AMOUNT);
    const proof = etcCardProof(paid.outcome);
    expect(proof).toMatchObject({
      preBalance: 50_000,
      postBalance: 50_000 - AMOUNT,
      psamTerminalNo: PSAM_NO,
    });
    expect(proof.terminalTransNo).toBe(r.intents[0]?.terminalTransNo);
    // The journal keeps the debit's proof until the commit is done.
    const kept = await r.journal.get(TXN);
    expect(kept).toMatchObject({ method: 'etc-card', tradeId: paid.tradeId, etcCard: { phase: 'resolved' } });
    expect(kept?.etcCard?.outcome).toMatchObject({ debited: true, result: { tac: paid.outcome.tac } });
  });

  it('a stored-value balance below the fee is refused before anything is sent: 请车主以其他方式缴费, the card untouched', async () => {
    const r = rig('driver-card-low');
    const read = await r.deps.payCard.read();
    const e = await payByEtcCard(r.deps, REQ, read).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HandheldError);
    expect((e as HandheldError).message).toContain('27');
    expect((e as HandheldError).action).toContain('请车主以其他方式缴费');
    expect(r.intents).toHaveLength(0);
    expect(await r.journal.get(TXN)).toBeUndefined();
    expect((await r.deps.payCard.read()).summary.balance).toBe(500);
  });

  it('the station refuses the card (e.g. its status list): no DEBIT, nothing left in the journal', async () => {
    const r = rig();
    r.refuseWith(
      new HandheldError('STN_ERR_PAY_ETC_CARD_REFUSED', '该ETC卡不能用于支付', '请车主以其他方式缴费', {
        status: 422,
      }),
    );
    const read = await r.deps.payCard.read();
    await expect(payByEtcCard(r.deps, REQ, read)).rejects.toThrow('不能用于支付');
    expect(await r.journal.get(TXN)).toBeUndefined();
    expect((await r.deps.payCard.read()).summary.balance).toBe(50_000);
  });

  it('a reload after DEBIT reached the card: the same card proves the debit (one debit, the same TAC)', async () => {
    const r = rig();
    const read = await r.deps.payCard.read();
    // The field goes at DEBIT after the card committed, and the card is not put back in time.
    r.reader.fault = { step: 'debit', action: 'pull' };
    await expect(payByEtcCard(r.deps, REQ, read)).rejects.toThrow();
    const pending = await r.journal.get(TXN);
    expect(pending?.etcCard?.phase).toBe('intent');
    r.reader.insert(r.card);
    const rec = await recoverEtcCard(r.deps, pending as PendingCpcWrite);
    expect(rec.status).toBe('debited');
    if (rec.status !== 'debited') return;
    expect(rec.paid.outcome.balanceAfter).toBe(50_000 - AMOUNT);
    expect(r.card.debits).toHaveLength(1);
    expect(rec.paid.outcome.tac.toUpperCase()).toBe(r.card.debits[0]?.tac.toUpperCase());
    expect(r.recoveries).toHaveLength(0);
  });

  it('announced but the DEBIT never reached the card: the card proves not debited, the station is told with its ATC', async () => {
    const r = rig();
    const read = await r.deps.payCard.read();
    r.reader.fault = { step: 'init', action: 'pull' };
    // Torn before the purchase's entry: nothing was announced, nothing is pending.
    await expect(payByEtcCard(r.deps, REQ, read)).rejects.toThrow();
    expect(r.intents).toHaveLength(0);
    // An entry announced and never debited (the handheld died before DEBIT): proved by the card's ATC.
    const entry = {
      id: 'x',
      cardNumber: read.summary.cardNo,
      atc: 0,
      amount: AMOUNT,
      terminalId: PSAM_NO,
      terminalSerial: 1,
      datetime: '20261123160000',
      algorithm: '3des',
      ef0019: read.payload.ef0019,
      balanceBefore: 50_000,
    } as PendingEntry;
    const p: PendingCpcWrite = {
      txnId: TXN,
      laneId: 'G90013700100202010010',
      cpcId: REQ.cpcId,
      amount: AMOUNT,
      tradeId: 'G90013700100202010010202611231600000001',
      method: 'etc-card',
      etcCard: { cardNo: read.summary.cardNo, entry, phase: 'intent' },
      updatedAt: new Date().toISOString(),
    };
    await r.journal.put(p);
    if (!r.reader.isCardPresent()) r.reader.insert(r.card);
    const rec = await recoverEtcCard(r.deps, p);
    expect(rec.status).toBe('not-debited');
    expect(r.recoveries).toEqual([{ outcome: 'not-debited', cardAtc: 0 }]);
    expect(await r.journal.get(TXN)).toBeUndefined();
    expect((await r.deps.payCard.read()).summary.balance).toBe(50_000);
  });
});

describe('【ETC卡支付】 a refused re-announcement keeps the pending intent recoverable', () => {
  /** A card entry as the purchase writes it before DEBIT (TEST values). */
  const entryOf = (serial: number): PendingEntry => ({
    id: `x:${serial}`,
    cardNumber: '99011234567890123456',
    atc: 7,
    amount: AMOUNT as PendingEntry['amount'],
    terminalId: PSAM_NO,
    terminalSerial: serial,
    datetime: '20261123160000',
    algorithm: '3des',
    ef0019: 'AA29'.padEnd(86, '0'),
    balanceBefore: 50_000 as PendingEntry['balanceBefore'],
  });
  const read = {
    payload: { ef0015: '00'.repeat(50), ef0019: 'AA29'.padEnd(86, '0'), balance: 50_000 },
    summary: {
      cardNo: '99011234567890123456',
      cardKind: 'stored-value' as const,
      cardTypeName: 'TEST',
      plate: '苏E12345',
      balance: 50_000,
    },
  };

  it('DEBIT torn and proved not debited, the retry’s announcement refused: the first intent stays pending at the station, so the journal keeps the card’s word (not debited) and the station is told, no stuck exit', async () => {
    const journal = new MemoryJournal<PendingCpcWrite>();
    const recoveries: Recovery[] = [];
    let announced = 0;
    const client = {
      async cpcPaymentIntent() {
        announced += 1;
        // The retry's announcement is refused (e.g. its datetime beyond the station's clock skew).
        if (announced > 1)
          throw new HandheldError('STN_ERR_EXIT_CLOCK_SKEW', '时间偏差', '请校时', { status: 422 });
        return {
          txn: { id: TXN } as ExitTxn,
          tradeId: 'G90013700100202010010202611231600000001',
          payment: null,
        };
      },
      async recover(_id: string, body: Recovery) {
        recoveries.push(body);
        return { id: TXN, state: 'priced' } as ExitTxn;
      },
    } as unknown as EtcCardPayDeps['client'];
    // The purchase's loop as the card layer runs it: entry → DEBIT torn → 9406 (not debited) → a new entry.
    const payCard = {
      read: async () => read,
      debit: async (_req: unknown, j: import('@tollpad/card').PurchaseJournal) => {
        const first = entryOf(1);
        await j.writePending(first);
        await j.markNotDebited(first);
        await j.writePending(entryOf(2));
        throw new Error('TEST: not reached');
      },
      recover: async () => {
        throw new Error('TEST: the card is not asked again for a resolved entry');
      },
    } as unknown as EtcCardPayDeps['payCard'];
    const deps: EtcCardPayDeps = { client, payCard, journal, laneId: 'G90013700100202010010' };
    await expect(payByEtcCard(deps, REQ, read)).rejects.toThrow('时间偏差');
    // The station still holds the first announcement (debit_pending): the entry must stay to void it.
    const kept = await journal.get(TXN);
    expect(kept?.etcCard).toBeDefined();
    const rec = await recoverEtcCard(deps, kept as PendingCpcWrite);
    expect(rec.status).toBe('not-debited');
    expect(recoveries).toEqual([{ outcome: 'not-debited', cardAtc: 7 }]);
  });

  it('the card refused because a cash intent whose answer was lost is pending: the cash entry stays in the journal (the exit stays to be finished)', async () => {
    const journal = new MemoryJournal<PendingCpcWrite>();
    const cash: PendingCpcWrite = {
      txnId: TXN,
      laneId: 'G90013700100202010010',
      cpcId: REQ.cpcId,
      amount: AMOUNT,
      tradeId: null,
      method: 'cash',
      updatedAt: '2026-11-23T08:00:00.000Z',
    };
    await journal.put(cash);
    const client = {
      async cpcPaymentIntent() {
        throw new HandheldError('STN_ERR_EXIT_BAD_STATE', '另一种支付待确认', '请继续处理', { status: 409 });
      },
    } as unknown as EtcCardPayDeps['client'];
    const payCard = {
      read: async () => read,
      debit: async (_req: unknown, j: import('@tollpad/card').PurchaseJournal) => {
        await j.writePending(entryOf(1));
        throw new Error('TEST: not reached');
      },
    } as unknown as EtcCardPayDeps['payCard'];
    const deps: EtcCardPayDeps = { client, payCard, journal, laneId: 'G90013700100202010010' };
    await expect(payByEtcCard(deps, REQ, read)).rejects.toThrow('另一种支付待确认');
    expect(await journal.get(TXN)).toEqual(cash);
  });
});
