import {
  type CardSnapshot,
  ExitPurchase,
  encodeBalance,
  hexToBytes,
  MemoryJournal,
  type PendingEntry,
  PsamDriver,
  paymentOnlyDecision,
  pollingWaiter,
} from '@tollpad/card';
import { issueCard, VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import { type CpcExitRecord, checkExitRecord, type Fen, PAY_TYPE } from '@tollpad/domain';
import type { CpcCommit, CpcEtcCardPayment } from '@tollpad/station-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpcExitSteps, uploadTestPhoto } from '../testing/cpc-payment-rig';
import { debitIntentOf, psamSerialHex, purchaseProofOf } from '../testing/exit-bodies';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD } from '../testing/world';

/** The driver's TEST ETC card on the handheld's reader, this terminal's TEST PSAM, and the card journal. */
async function driverCard(o: {
  serial: number;
  balance: number;
  validUntil?: string;
  internalNumber?: string;
  clock: () => Date;
}) {
  const issued = issueCard({
    ...(o.internalNumber ? { internalNumber: o.internalNumber } : {}),
    plate: '苏E12345',
    colour: 0,
    class: 1,
    cardType: 'stored-value',
    algorithm: o.serial % 2 === 0 ? '3des' : 'sm4',
    balance: o.balance,
    serial: o.serial,
    ...(o.validUntil ? { validUntil: o.validUntil } : {}),
  });
  const reader = new VirtualReader('card');
  reader.insert(issued.card);
  const psamReader = new VirtualReader('psam');
  psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TEST_WORLD.psam) }));
  const psam = new PsamDriver(psamReader);
  await psam.open();
  const journal = new MemoryJournal();
  const purchaseWith = (announce: (e: PendingEntry) => Promise<void>) =>
    new ExitPurchase({
      card: reader,
      psam,
      journal: {
        writePending: async (e) => {
          await journal.writePending(e);
          await announce(e);
        },
        markDone: (e, r) => journal.markDone(e, r),
        markNotDebited: (e) => journal.markNotDebited(e),
      },
      waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }),
      config: { clock: o.clock },
    });
  return { issued, reader, journal, purchaseWith };
}

/** The ETC-card payment intent, from the card's read and the journal entry written just before DEBIT. */
function intentOf(snap: CardSnapshot, e: PendingEntry): CpcEtcCardPayment {
  return {
    payment: 'etc-card',
    ...debitIntentOf(e),
    card: { ef0015: snap.raw0015, ef0019: snap.raw0019, balance: encodeBalance(snap.balance ?? 0) },
  };
}

/** The intent for a card only read (its first purchase, announced at a fixed TEST time): never debited. */
async function readIntent(
  card: Awaited<ReturnType<typeof driverCard>>,
  amount: number,
  balanceBefore: number,
): Promise<CpcEtcCardPayment> {
  const snap = await card.purchaseWith(async () => {}).readCard();
  return intentOf(snap, {
    id: 'x',
    cardNumber: card.issued.cardNumber,
    atc: 0,
    amount: amount as Fen,
    terminalId: TEST_WORLD.psam,
    terminalSerial: 1,
    datetime: '20261123160000',
    algorithm: '3des',
    ef0019: snap.raw0019,
    balanceBefore: balanceBefore as Fen,
  });
}

/** A CPC exit paid by the driver's ETC card (payments.md §6), through the station's HTTP API. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: paying a CPC exit with the driver's ETC card`, () => {
    let h: Harness;
    let photo: string;

    const clock = () => h.clock.now;
    const { collector, priced } = cpcExitSteps({
      h: () => h,
      cpcId: (serial) => `3700EC0A${String(serial).padStart(8, '0')}`,
      photo: () => photo,
    });

    const recordsOf = async (txnId: string) =>
      h.station.services.db.db
        .selectFrom('exit_records')
        .select(['trade_id', 'record_json'])
        .where('txn_id', '=', txnId)
        .execute();

    /** Intent → DEBIT on the card (the intent is announced from the journal just before it). */
    async function payByCard(id: string, amount: number, card: Awaited<ReturnType<typeof driverCard>>) {
      let tradeId = '';
      let snap: CardSnapshot | undefined;
      const m = card.purchaseWith(async (e) => {
        if (!snap) throw new Error('TEST: no snapshot');
        const r = await collector('POST', `/exits/${id}/debit-intent`, intentOf(snap, e));
        expect(r.statusCode, r.body).toBe(200);
        tradeId = r.json().tradeId as string;
      });
      snap = await m.readCard();
      const outcome = await m.purchase(snap, paymentOnlyDecision(snap, amount as Fen));
      return { tradeId, outcome, snap };
    }

    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
      photo = await uploadTestPhoto(h);
    });
    afterAll(async () => {
      await h?.close();
    });

    it('debit → CPC exit flag → one commit with both: one record, payType 4, transPayType 2, the card trade; a replay answers the same record', async () => {
      const { id, amount } = await priced();
      const card = await driverCard({ serial: 901, balance: 100_000, clock });
      const { tradeId, outcome, snap } = await payByCard(id, amount, card);
      // The card pays only: its own 0019 is untouched, its purse moved by exactly the fee.
      const after = await card.purchaseWith(async () => {}).readCard();
      expect(after.raw0019).toBe(snap.raw0019);
      expect(after.balance).toBe(100_000 - amount);
      const body: CpcCommit = { tradeId, cardWrite: 'written', etcCard: purchaseProofOf(outcome) };
      const c = await collector('POST', `/exits/${id}/commit`, body);
      expect(c.statusCode, c.body).toBe(201);
      const record = c.json().record as CpcExitRecord;
      expect(checkExitRecord(record).ok).toBe(true);
      expect(record).toMatchObject({
        mediaType: 2,
        payType: PAY_TYPE.ETC_CARD,
        transPayType: 2,
        cardId: card.issued.cardNumber,
        cardNet: '9901',
        etcCardType: 1,
        tac: outcome.tac.toUpperCase(),
        transFee: amount,
        fee: amount,
        transType: '09',
        terminalNo: TEST_WORLD.psam,
        terminalTransNo: psamSerialHex(outcome.terminalSerial),
        cardTransNo: outcome.atcBefore,
        preBalance: 100_000,
        postBalance: 100_000 - amount,
      });
      // No ETC discount: the non-ETC fee as 【算费】 priced it.
      expect(record.discountFee).toBe(0);
      const again = await collector('POST', `/exits/${id}/commit`, body);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().replayed).toBe(true);
      // The same trade with another TAC is not a replay.
      const forged = await collector('POST', `/exits/${id}/commit`, {
        ...body,
        etcCard: { ...body.etcCard, tac: '00000000' },
      });
      expect(forged.json().code).toBe('STN_ERR_EXIT_COMMIT_CONFLICT');
      expect(await recordsOf(id)).toHaveLength(1);
    });

    it('one card trade makes one record: another CPC exit announced and committed with a committed exit’s purchase (same PSAM serial, same TAC) is refused', async () => {
      const a = await priced();
      const card = await driverCard({ serial: 907, balance: 100_000, clock });
      const paid = await payByCard(a.id, a.amount, card);
      const proof = purchaseProofOf(paid.outcome);
      const first = await collector('POST', `/exits/${a.id}/commit`, {
        tradeId: paid.tradeId,
        cardWrite: 'written',
        etcCard: proof,
      });
      expect(first.statusCode, first.body).toBe(201);
      // Another vehicle's CPC exit, "paid" by announcing the same purchase again (its entry, its serial).
      const b = await priced();
      const [entry] = [...card.journal.entries.values()].map((e) => e.entry);
      if (!entry) throw new Error('TEST: no journal entry');
      const intent = await collector('POST', `/exits/${b.id}/debit-intent`, intentOf(paid.snap, entry));
      if (intent.statusCode === 200) {
        const again = await collector('POST', `/exits/${b.id}/commit`, {
          tradeId: intent.json().tradeId,
          cardWrite: 'written',
          etcCard: proof,
        });
        expect(again.json().code, again.body).toBe('STN_ERR_EXIT_PROOF_MISMATCH');
      } else expect(intent.statusCode, intent.body).toBeGreaterThanOrEqual(400);
      expect(await recordsOf(b.id)).toHaveLength(0);
      expect(await recordsOf(a.id)).toHaveLength(1);
    });

    it('a proof whose card ATC is not the announced one is refused (the TAC does not cover it, so only the station can); the genuine proof then commits', async () => {
      const { id, amount } = await priced();
      const card = await driverCard({ serial: 908, balance: 100_000, clock });
      const { tradeId, outcome } = await payByCard(id, amount, card);
      const proof = purchaseProofOf(outcome);
      const off = await collector('POST', `/exits/${id}/commit`, {
        tradeId,
        cardWrite: 'written',
        etcCard: { ...proof, cardTransNo: proof.cardTransNo + 1 },
      });
      expect(off.json().code, off.body).toBe('STN_ERR_EXIT_PROOF_MISMATCH');
      expect(await recordsOf(id)).toHaveLength(0);
      const ok = await collector('POST', `/exits/${id}/commit`, {
        tradeId,
        cardWrite: 'written',
        etcCard: proof,
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().record.cardTransNo).toBe(outcome.atcBefore);
    });

    it('a stored-value balance below the fee is refused before any trade ID (special 27, 请车主以其他方式缴费); cash then pays', async () => {
      const { id, amount } = await priced();
      const card = await driverCard({ serial: 902, balance: amount - 100, clock });
      const refused = await collector(
        'POST',
        `/exits/${id}/debit-intent`,
        await readIntent(card, amount, amount - 100),
      );
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json().code).toBe('STN_ERR_PAY_ETC_CARD_BALANCE_LOW');
      expect(refused.json().message).toContain('请车主以其他方式缴费');
      expect(refused.json().message).toContain('27');
      const t = await collector('GET', `/exits/${id}`);
      expect(t.json().state).toBe('priced');
      const cash = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'cash', amount });
      expect(cash.statusCode, cash.body).toBe(200);
      const c = await collector('POST', `/exits/${id}/commit`, {
        tradeId: cash.json().tradeId,
        cardWrite: 'written',
      });
      expect(c.statusCode, c.body).toBe(201);
      expect(c.json().record.payType).toBe(PAY_TYPE.CASH);
      expect(c.json().record.tac).toBeUndefined();
    });

    it('an expired card is refused (STN_ERR_PAY_ETC_CARD_REFUSED); a card proof for a cash exit is refused', async () => {
      const { id, amount } = await priced();
      const card = await driverCard({ serial: 903, balance: 100_000, validUntil: '20250101', clock });
      const refused = await collector(
        'POST',
        `/exits/${id}/debit-intent`,
        await readIntent(card, amount, 100_000),
      );
      expect(refused.json().code, refused.body).toBe('STN_ERR_PAY_ETC_CARD_REFUSED');
      const cash = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'cash', amount });
      const c = await collector('POST', `/exits/${id}/commit`, {
        tradeId: cash.json().tradeId,
        cardWrite: 'written',
        etcCard: {
          tac: '01020304',
          psamTerminalNo: TEST_WORLD.psam,
          terminalTransNo: '00000001',
          cardTransNo: 1,
          preBalance: 100_000,
          postBalance: 100_000 - amount,
          algorithm: 1,
        },
      });
      expect(c.json().code, c.body).toBe('STN_ERR_EXIT_PROOF_MISMATCH');
      expect(await recordsOf(id)).toHaveLength(0);
    });

    it('a card on the card status list is refused before any trade ID (STN_ERR_PAY_ETC_CARD_REFUSED), the card untouched', async () => {
      const { id, amount } = await priced();
      const card = await driverCard({
        serial: 906,
        balance: 100_000,
        internalNumber: TEST_WORLD.listedCardId.slice(4),
        clock,
      });
      expect(card.issued.cardNumber).toBe(TEST_WORLD.listedCardId);
      let announced = 0;
      let snap: CardSnapshot | undefined;
      const m = card.purchaseWith(async (e) => {
        if (!snap) throw new Error('TEST: no snapshot');
        announced += 1;
        const r = await collector('POST', `/exits/${id}/debit-intent`, intentOf(snap, e));
        expect(r.json().code, r.body).toBe('STN_ERR_PAY_ETC_CARD_REFUSED');
        expect(r.json().message).toContain('请车主以其他方式缴费');
        // The handheld sends no DEBIT when the station refuses.
        throw new Error('TEST: refused');
      });
      snap = await m.readCard();
      await expect(m.purchase(snap, paymentOnlyDecision(snap, amount as Fen))).rejects.toThrow('refused');
      expect(announced).toBe(1);
      expect((await collector('GET', `/exits/${id}`)).json().state).toBe('priced');
      expect((await card.purchaseWith(async () => {}).readCard()).balance).toBe(100_000);
    });

    it('the commit’s answer lost after the debit: the card proves the debit (GET TRANSACTION PROVE) → recover → exactly one record', async () => {
      const { id, amount } = await priced();
      const card = await driverCard({ serial: 904, balance: 100_000, clock });
      const { tradeId, outcome } = await payByCard(id, amount, card);
      // The handheld reloaded: only the journal's entry is left; the card is asked again (the PSAM session is gone).
      const [entry] = [...card.journal.entries.values()].map((e) => e.entry);
      if (!entry) throw new Error('TEST: no journal entry');
      const proved = await card.purchaseWith(async () => {}).recoverPending(entry);
      expect(proved.status).toBe('debited');
      if (proved.status !== 'debited') return;
      expect(proved.outcome.tac).toBe(outcome.tac);
      const commit: CpcCommit = { tradeId, cardWrite: 'written', etcCard: purchaseProofOf(proved.outcome) };
      const r1 = await collector('POST', `/exits/${id}/recover`, { outcome: 'debited', commit });
      expect(r1.statusCode, r1.body).toBe(200);
      // The lost first answer arrives as a retry, and the recovery is retried: the same one record.
      const r2 = await collector('POST', `/exits/${id}/commit`, commit);
      expect(r2.statusCode, r2.body).toBe(200);
      expect(r2.json().replayed).toBe(true);
      const r3 = await collector('POST', `/exits/${id}/recover`, { outcome: 'debited', commit });
      expect(r3.statusCode, r3.body).toBe(200);
      // "Not debited" cannot undo a debited, committed card payment.
      const undo = await collector('POST', `/exits/${id}/recover`, {
        outcome: 'not-debited',
        cardAtc: entry.atc,
      });
      expect(undo.statusCode).toBeGreaterThanOrEqual(400);
      const rows = await recordsOf(id);
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]?.record_json ?? '{}').payType).toBe(4);
    });

    it('announced but never debited: the card proves its ATC unchanged → not-debited (a wrong ATC is refused) → another method pays, one record', async () => {
      const { id, amount } = await priced();
      const card = await driverCard({ serial: 905, balance: 100_000, clock });
      let snap: CardSnapshot | undefined;
      // The handheld announces, then dies before DEBIT leaves it.
      const m = card.purchaseWith(async (e) => {
        if (!snap) throw new Error('TEST: no snapshot');
        const r = await collector('POST', `/exits/${id}/debit-intent`, intentOf(snap, e));
        expect(r.statusCode, r.body).toBe(200);
        throw new Error('TEST: the handheld crashed before DEBIT');
      });
      snap = await m.readCard();
      await expect(m.purchase(snap, paymentOnlyDecision(snap, amount as Fen))).rejects.toThrow('crashed');
      const [entry] = [...card.journal.entries.values()].map((e) => e.entry);
      if (!entry) throw new Error('TEST: no journal entry');
      const proved = await card.purchaseWith(async () => {}).recoverPending(entry);
      expect(proved.status).toBe('not-debited');
      // Cash is refused while the card payment is pending, and "not debited" needs the card's own word.
      const early = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'cash', amount });
      expect(early.statusCode).toBe(409);
      const bare = await collector('POST', `/exits/${id}/recover`, { outcome: 'not-debited' });
      expect(bare.json().code, bare.body).toBe('STN_ERR_EXIT_PROOF_MISMATCH');
      const wrong = await collector('POST', `/exits/${id}/recover`, {
        outcome: 'not-debited',
        cardAtc: entry.atc + 1,
      });
      expect(wrong.json().code, wrong.body).toBe('STN_ERR_EXIT_PROOF_MISMATCH');
      const undone = await collector('POST', `/exits/${id}/recover`, {
        outcome: 'not-debited',
        cardAtc: entry.atc,
      });
      expect(undone.statusCode, undone.body).toBe(200);
      expect(undone.json().transaction.state).toBe('priced');
      const cash = await collector('POST', `/exits/${id}/debit-intent`, { payment: 'cash', amount });
      expect(cash.statusCode, cash.body).toBe(200);
      const c = await collector('POST', `/exits/${id}/commit`, {
        tradeId: cash.json().tradeId,
        cardWrite: 'written',
      });
      expect(c.statusCode, c.body).toBe(201);
      expect(await recordsOf(id)).toHaveLength(1);
      const after = await card.purchaseWith(async () => {}).readCard();
      expect(after.balance).toBe(100_000);
    });
  });
}
