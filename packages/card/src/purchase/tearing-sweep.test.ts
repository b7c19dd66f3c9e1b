import { describe, expect, it } from 'vitest';
import { verifyTac } from '../fixtures/test-keys';
import type { TearPoint } from '../transport/simulated-reader';
import { chargeDecision, exitWithRereads, makeRig, type Rig } from './test-rig';

const INITIAL = 50_000;
const AMOUNT = 3_210;

/** The invariant after any interruption: at most one debit, the balance matches, every TAC verifies. */
function checkCard(r: Rig, expectedDebits: number) {
  expect(r.card.debits).toHaveLength(expectedDebits);
  expect(r.card.balance).toBe(INITIAL - AMOUNT * expectedDebits);
  for (const d of r.card.debits) {
    expect(
      verifyTac({
        algorithm: r.card.state.keys.algorithm,
        issuerId: r.issuerId,
        cardNumber: r.cardNumber,
        amount: d.amount,
        terminalId: d.terminalId,
        terminalSerial: d.terminalSerial,
        datetime: d.datetime,
        tac: d.tac,
      }),
    ).toBe(true);
  }
}

const combos = (['3des', 'sm4'] as const).flatMap((algorithm) =>
  (['stored-value', 'account'] as const).map((cardType) => ({ algorithm, cardType })),
);

describe('tearing sweep: every cut point × before/after commit × 3DES/SM4 × stored-value/account', () => {
  for (const { algorithm, cardType } of combos) {
    it(`${algorithm} ${cardType}`, async () => {
      // Count the card APDUs of an uninterrupted exit first.
      const clean = await makeRig({ algorithm, cardType, balance: INITIAL });
      await clean.exit.exit(() => chargeDecision(AMOUNT));
      const apdus = clean.cardReader.sent.length;
      expect(apdus).toBe(cardType === 'account' ? 6 : 7);
      let cases = 0;
      for (let cut = 1; cut <= apdus; cut++) {
        for (const when of ['before', 'after'] as TearPoint[]) {
          const r = await makeRig({ algorithm, cardType, balance: INITIAL });
          r.cardReader.armTear(cut, when);
          const out = await exitWithRereads(r, AMOUNT);
          checkCard(r, 1);
          expect(out.tac).toBe(r.card.debits[0]!.tac);
          expect(out.balanceAfter).toBe(INITIAL - AMOUNT);
          expect(r.journal.pending()).toEqual([]);
          expect(r.journal.done()).toHaveLength(1);
          // DEBIT torn after commit is the one case that must have been recovered by GET TRANSACTION PROVE.
          if (cut === apdus && when === 'after') expect(out.recovered).toBe(true);
          cases++;
        }
      }
      expect(cases).toBe(apdus * 2);
    });
  }

  it('a second tear during recovery still converges (DEBIT torn, then each recovery APDU torn)', async () => {
    for (const first of ['before', 'after'] as TearPoint[]) {
      for (let second = 1; second <= 3; second++) {
        for (const when of ['before', 'after'] as TearPoint[]) {
          let reinserts = 0;
          const r = await makeRig({
            algorithm: 'sm4',
            cardType: 'stored-value',
            balance: INITIAL,
            onPoll: (reader) => {
              if (!reader.removedCard || reader.isCardPresent()) return;
              reader.insert(reader.removedCard);
              if (++reinserts === 1) reader.armTear(second, when);
            },
          });
          r.cardReader.armTear(7, first);
          const out = await r.exit.exit(() => chargeDecision(AMOUNT));
          checkCard(r, 1);
          expect(out.tac).toBe(r.card.debits[0]!.tac);
          expect(r.journal.pending()).toEqual([]);
        }
      }
    }
  });

  it('card never returns → CardNotReturnedError with the entry pending; recoverPending finishes later', async () => {
    for (const when of ['before', 'after'] as TearPoint[]) {
      let away = true;
      const r = await makeRig({
        algorithm: '3des',
        cardType: 'account',
        balance: INITIAL,
        onPoll: (reader) => {
          if (!away && reader.removedCard && !reader.isCardPresent()) reader.insert(reader.removedCard);
        },
      });
      r.cardReader.armTear(6, when);
      const err = await r.exit.exit(() => chargeDecision(AMOUNT)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CARD_NOT_RETURNED' });
      const [entry] = r.journal.pending();
      expect(entry).toBeDefined();
      away = false;
      const rec = await r.exit.recoverPending(entry!);
      if (when === 'after') {
        expect(rec.status).toBe('debited');
        if (rec.status === 'debited') expect(rec.outcome.tac).toBe(r.card.debits[0]!.tac);
        checkCard(r, 1);
      } else {
        expect(rec.status).toBe('not-debited');
        checkCard(r, 0);
      }
      expect(r.journal.pending()).toEqual([]);
    }
  });

  it('recoverPending after a PSAM restart: TAC proven, MAC2 unverifiable (mac2Verified false)', async () => {
    const r = await makeRig({
      algorithm: '3des',
      cardType: 'stored-value',
      balance: INITIAL,
      onPoll: () => {},
    });
    r.cardReader.armTear(7, 'after');
    await expect(r.exit.exit(() => chargeDecision(AMOUNT))).rejects.toMatchObject({
      code: 'CARD_NOT_RETURNED',
    });
    // The handheld restarts: the PSAM is reset and reopened; the journal survives.
    await r.psam.open();
    r.cardReader.insert(r.cardReader.removedCard!);
    const rec = await r.exit.recoverPending(r.journal.pending()[0]!);
    expect(rec).toMatchObject({ status: 'debited', outcome: { mac2Verified: false, recovered: true } });
    checkCard(r, 1);
  });
});
