/**
 * Model-based test (fast-check commands): random sequences of insert, remove, read, purchase (with tears,
 * a wrong card during recovery, a card that stays away), low balance and recovery, against a purse model.
 * Invariant after every step: no lost and no double debit — each debit on the card matches exactly one
 * journal "done" entry (or the one entry still pending), and the balance is initial − Σ debits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../apdu/hex';
import { verifyTac } from '../fixtures/test-keys';
import { PsamDriver } from '../psam/psam-driver';
import type { VirtualEtcCard } from '../sim/etc-card';
import { issueCard } from '../sim/issuer';
import { VirtualPsam } from '../sim/virtual-psam';
import { VirtualReader } from '../sim/virtual-reader';
import type { TearPoint } from '../transport/simulated-reader';
import { ExitPurchase } from './exit-purchase';
import { MemoryJournal, type PendingEntry } from './journal';
import { chargeDecision, TEST_TERMINAL_ID } from './test-rig';
import { pollingWaiter } from './waiting';

type Present = 'own' | 'other' | 'none';

/** What the random runs actually exercised (asserted at the end so the property cannot pass vacuously). */
const seen = {
  purchases: 0,
  recoveredByProve: 0,
  insufficient: 0,
  wrongCard: 0,
  notReturned: 0,
  recoverPending: 0,
};
type Comeback = 'own' | 'wrong' | 'away';

interface Model {
  kind: 'stored-value' | 'account';
  balance: number;
  present: Present;
  pending: PendingEntry | null;
}

interface Real {
  own: VirtualEtcCard;
  other: VirtualEtcCard;
  ownNumber: string;
  otherNumber: string;
  issuerId: string;
  reader: VirtualReader;
  journal: MemoryJournal;
  exit: ExitPurchase;
  comeback: Comeback;
  initial: number;
}

function presentOf(r: Real): Present {
  const c = r.reader.currentCard;
  return c === r.own ? 'own' : c === r.other ? 'other' : 'none';
}

function checkInvariant(m: Model, r: Real): void {
  const done = r.journal.done();
  const pending = r.journal.pending();
  expect(pending.length).toBeLessThanOrEqual(1);
  const cardTacs = r.own.debits.map((d) => d.tac);
  const doneTacs = done.map((d) => d.tac);
  expect(new Set(doneTacs).size).toBe(doneTacs.length); // no double record
  for (const t of doneTacs) expect(cardTacs).toContain(t); // no record without a debit
  // Every card debit is recorded, except possibly the one still pending recovery.
  const unrecorded = r.own.debits.filter((d) => !doneTacs.includes(d.tac));
  expect(unrecorded.length).toBeLessThanOrEqual(pending.length);
  expect(r.own.balance).toBe(r.initial - r.own.debits.reduce((s, d) => s + d.amount, 0));
  if (pending.length === 0) expect(r.own.balance).toBe(m.balance);
  expect(r.other.debits).toHaveLength(0); // the wrong card is never charged
}

class InsertCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly which: 'own' | 'other') {}
  check = () => true;
  async run(m: Model, r: Real) {
    r.reader.insert(this.which === 'own' ? r.own : r.other);
    r.exit.resetSession();
    m.present = presentOf(r);
    checkInvariant(m, r);
  }
  toString = () => `insert(${this.which})`;
}

class RemoveCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    r.reader.remove();
    m.present = 'none';
    checkInvariant(m, r);
  }
  toString = () => 'remove';
}

class ReadCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.present !== 'none';
  async run(m: Model, r: Real) {
    r.exit.resetSession();
    const snap = await r.exit.readCard();
    expect(snap.ef0015.cardNumber).toBe(m.present === 'own' ? r.ownNumber : r.otherNumber);
    if (m.present === 'own' && m.pending === null && m.kind === 'stored-value')
      expect(snap.balance).toBe(m.balance);
    checkInvariant(m, r);
  }
  toString = () => 'read';
}

class PurchaseCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly amount: number,
    readonly tear: { cut: number; when: TearPoint } | null,
    readonly comeback: Comeback,
  ) {}
  check = (m: Readonly<Model>) => m.present === 'own' && m.pending === null;
  async run(m: Model, r: Real) {
    r.exit.resetSession();
    r.comeback = this.comeback;
    if (this.tear) r.reader.armTear(this.tear.cut, this.tear.when);
    try {
      seen.purchases++;
      const out = await r.exit.exit(() => chargeDecision(this.amount));
      expect(out.amount).toBe(this.amount);
      if (out.recovered) seen.recoveredByProve++;
      m.balance -= this.amount;
      expect(
        verifyTac({
          algorithm: out.algorithm,
          issuerId: r.issuerId,
          cardNumber: out.cardNumber,
          amount: out.amount,
          terminalId: out.terminalId,
          terminalSerial: out.terminalSerial,
          datetime: out.datetime,
          tac: out.tac,
        }),
      ).toBe(true);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'WRONG_CARD') seen.wrongCard++;
      if (code === 'CARD_NOT_RETURNED') seen.notReturned++;
      if (code === 'INSUFFICIENT_BALANCE') {
        seen.insufficient++;
        expect(m.kind).toBe('stored-value');
        expect(this.amount).toBeGreaterThan(m.balance);
      } else {
        // Interrupted and the original card did not come back: at most one entry stays pending.
        expect(['WRONG_CARD', 'CARD_NOT_RETURNED', 'CARD_ABSENT', 'CARD_IO']).toContain(code);
        m.pending = r.journal.pending()[0] ?? null;
      }
    } finally {
      r.reader.disarmTears();
    }
    m.present = presentOf(r);
    checkInvariant(m, r);
  }
  toString = () =>
    `purchase(${this.amount}, ${this.tear ? `${this.tear.cut}/${this.tear.when}` : '-'}, ${this.comeback})`;
}

class RecoverCommand implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.pending !== null;
  async run(m: Model, r: Real) {
    r.reader.insert(r.own);
    r.comeback = 'own';
    const entry = m.pending!;
    const res = await r.exit.recoverPending(entry);
    seen.recoverPending++;
    const debited = r.own.debits.some(
      (d) => d.atc === entry.atc + 1 && d.terminalSerial === entry.terminalSerial,
    );
    expect(res.status).toBe(debited ? 'debited' : 'not-debited');
    if (debited) m.balance -= entry.amount;
    m.pending = null;
    m.present = presentOf(r);
    checkInvariant(m, r);
  }
  toString = () => 'recoverPending';
}

const purchaseArb = fc
  .tuple(
    fc.integer({ min: 0, max: 4_000 }),
    fc.option(
      fc.record({ cut: fc.integer({ min: 1, max: 7 }), when: fc.constantFrom<TearPoint>('before', 'after') }),
      {
        nil: null,
      },
    ),
    fc.constantFrom<Comeback>('own', 'own', 'wrong', 'away'),
  )
  .map(([a, t, c]) => new PurchaseCommand(a, t, c));

// Purchases are listed three times so that they dominate the random sequences.
const commandArbs = [
  fc.constantFrom('own' as const, 'other' as const).map((w) => new InsertCommand(w)),
  fc.constant(new RemoveCommand()),
  fc.constant(new ReadCommand()),
  purchaseArb,
  purchaseArb,
  purchaseArb,
  fc.constant(new RecoverCommand()),
];

async function setup(algorithm: '3des' | 'sm4', kind: 'stored-value' | 'account', initial: number) {
  const base = {
    plate: '苏A12345',
    colour: 0,
    class: 1,
    cardType: kind,
    algorithm,
    balance: initial,
  } as const;
  const own = issueCard({ ...base, serial: 7 });
  const other = issueCard({ ...base, serial: 8 });
  const reader = new VirtualReader('card');
  reader.insert(own.card);
  const psamReader = new VirtualReader('psam');
  psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) }));
  const psam = new PsamDriver(psamReader);
  await psam.open();
  const journal = new MemoryJournal();
  const real: Real = {
    own: own.card,
    other: other.card,
    ownNumber: own.cardNumber,
    otherNumber: other.cardNumber,
    issuerId: own.ef0015.issuerId,
    reader,
    journal,
    comeback: 'own',
    initial,
    exit: undefined as unknown as ExitPurchase,
  };
  real.exit = new ExitPurchase({
    card: reader,
    psam,
    journal,
    waiter: pollingWaiter({
      attempts: 2,
      sleep: async () => {
        if (reader.isCardPresent()) return;
        if (real.comeback === 'own') reader.insert(own.card);
        else if (real.comeback === 'wrong') reader.insert(other.card);
      },
    }),
    config: { clock: () => new Date('2024-03-15T02:30:00Z') },
  });
  const model: Model = { kind, balance: initial, present: 'own', pending: null };
  return { model, real };
}

describe('model-based: random insert/remove/read/purchase/tear/wrong card/low balance', () => {
  it('never loses or doubles a debit (1,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('3des' as const, 'sm4' as const),
        fc.constantFrom('stored-value' as const, 'account' as const),
        fc.integer({ min: 0, max: 6_000 }),
        fc.commands(commandArbs, { maxCommands: 10 }),
        async (alg, kind, initial, cmds) => {
          const { model, real } = await setup(alg, kind, initial);
          await fc.asyncModelRun(() => ({ model, real }), cmds);
        },
      ),
      { numRuns: 1000 },
    );
    for (const [k, v] of Object.entries(seen)) expect(v, k).toBeGreaterThan(0);
  });
});
