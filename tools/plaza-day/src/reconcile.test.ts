import { describe, expect, it } from 'vitest';
import { allOk, type CardFact, type ReconcileInput, reconcile } from './reconcile';

const card = (
  n: number,
  debits: { atc: number; amount: number }[],
  vehicle: number | null = n,
): CardFact => ({
  cardNo: `990100000000000000${String(n).padStart(2, '0')}`,
  vehicle,
  initialBalance: 10_000,
  finalBalance: 10_000 - debits.reduce((a, d) => a + d.amount, 0),
  debits,
});
const rec = (c: CardFact, atc: number, amount: number, id: string) => ({
  tradeId: id,
  cardNo: c.cardNo,
  atc,
  transFee: amount,
  fee: amount,
});

function world(): ReconcileInput {
  const a = card(1, [{ atc: 3, amount: 500 }]);
  const b = card(2, [{ atc: 0, amount: 1250 }]);
  const c = card(3, []); // cancelled before the debit
  const by = card(50, [], null);
  const rs = [rec(a, 3, 500, 'T1'), rec(b, 0, 1250, 'T2')];
  return {
    cards: [a, b, c, by],
    stationRecords: rs,
    centreRecords: rs.map((r) => ({ ...r, tacVerified: true })),
    shiftTotals: [
      { shiftId: 's1', vehicles: 1, amount: 500 },
      { shiftId: 's2', vehicles: 1, amount: 1250 },
    ],
    clearing: { records: 2, transFee: 1750, fee: 1750 },
    outbox: { backlog: 0, rejected: 0 },
    debitPending: 0,
  };
}

const line = (i: ReconcileInput, id: string) => reconcile(i).find((l) => l.id === id)!;

describe('reconcile', () => {
  it('is all true for a consistent day', () => {
    const lines = reconcile(world());
    expect(lines.map((l) => [l.id, l.ok])).toEqual([
      ['vehicle-at-most-once', true],
      ['debit-station-record', true],
      ['debit-centre-record', true],
      ['extime-is-debit-time', true],
      ['card-balances', true],
      ['totals', true],
      ['outbox-empty', true],
      ['no-debit-pending', true],
      ['tac-verified', true],
    ]);
    expect(allOk(lines)).toBe(true);
    expect(line(world(), 'vehicle-at-most-once').detail).toContain('1 not debited');
  });

  it('catches a vehicle debited twice (with both records present)', () => {
    const w = world();
    const twice = card(4, [
      { atc: 1, amount: 300 },
      { atc: 2, amount: 300 },
    ]);
    w.cards = [...w.cards, twice];
    w.stationRecords = [...w.stationRecords, rec(twice, 1, 300, 'T3'), rec(twice, 2, 300, 'T4')];
    expect(line(w, 'vehicle-at-most-once').ok).toBe(false);
    expect(line(w, 'debit-station-record').ok).toBe(true);
  });

  it('catches a debit without a centre record, and a duplicated station record', () => {
    const w = world();
    w.centreRecords = w.centreRecords.slice(0, 1);
    expect(line(w, 'debit-centre-record').detail).toContain('1 missing');
    w.stationRecords = [...w.stationRecords, { ...w.stationRecords[0]!, tradeId: 'T9' }];
    expect(line(w, 'debit-station-record').ok).toBe(false);
    expect(line(w, 'debit-station-record').detail).toContain('1 duplicated');
  });

  it('catches a record with no debit behind it, and a wrong amount', () => {
    const w = world();
    w.stationRecords = [...w.stationRecords, rec(w.cards[2]!, 0, 700, 'T5')];
    expect(line(w, 'debit-station-record').detail).toContain('1 without a debit');
    const v = world();
    v.centreRecords = [{ ...v.centreRecords[0]!, transFee: 501 }, v.centreRecords[1]!];
    expect(line(v, 'debit-centre-record').detail).toContain('1 amount mismatches');
  });

  it('checks balances against the station records and the card log, to the fen', () => {
    const w = world();
    w.cards = w.cards.map((c, i) => (i === 1 ? { ...c, finalBalance: c.finalBalance - 1 } : c));
    expect(line(w, 'card-balances').ok).toBe(false);
    const v = world();
    v.cards = [...v.cards.slice(0, 3), { ...v.cards[3]!, finalBalance: 9_000 }];
    expect(line(v, 'card-balances').detail).toContain('1 differ');
    expect(line(v, 'vehicle-at-most-once').ok).toBe(true);
  });

  it('catches a fen of difference between shifts, station and clearing', () => {
    const w = world();
    w.shiftTotals = [{ shiftId: 's1', vehicles: 2, amount: 1751 }];
    expect(line(w, 'totals').ok).toBe(false);
    const v = world();
    v.clearing = { ...v.clearing, fee: 1749 };
    expect(line(v, 'totals').ok).toBe(false);
    const u = world();
    u.clearing = { ...u.clearing, records: 3 };
    expect(line(u, 'totals').ok).toBe(false);
  });

  it('flags a stuck outbox, a pending debit and an unverified TAC', () => {
    const w = world();
    w.outbox = { backlog: 1, rejected: 0 };
    w.debitPending = 2;
    w.centreRecords = [{ ...w.centreRecords[0]!, tacVerified: false }, w.centreRecords[1]!];
    expect(line(w, 'outbox-empty').ok).toBe(false);
    expect(line(w, 'no-debit-pending').ok).toBe(false);
    expect(line(w, 'tac-verified').ok).toBe(false);
    expect(allOk(reconcile(w))).toBe(false);
    expect(allOk([])).toBe(false);
  });
});

describe('exTime against the card debit time', () => {
  it('flags a record whose exTime is not the datetime the card was debited with', () => {
    const w = world();
    w.cards = w.cards.map((c) => ({
      ...c,
      debits: c.debits.map((d) => ({ ...d, datetime: '20261124053000' })),
    }));
    w.stationRecords = w.stationRecords.map((r) => ({ ...r, exTimeBeijing: '20261124053000' }));
    expect(line(w, 'extime-is-debit-time').ok).toBe(true);
    w.stationRecords = [{ ...w.stationRecords[0]!, exTimeBeijing: '20261124053001' }, w.stationRecords[1]!];
    const l = line(w, 'extime-is-debit-time');
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('2 records compared, 1 differ');
    w.centreRefusals = { CTR_ERR_RECORD_TAC_MISMATCH: 1 };
    expect(line(w, 'debit-centre-record').detail).toContain('1 × CTR_ERR_RECORD_TAC_MISMATCH');
  });
});

describe('a mixed day', () => {
  const cpc = {
    tradeId: 'T3',
    medium: 'cpc' as const,
    cardNo: '3701990000000007',
    atc: -1,
    transFee: 0,
    fee: 900,
  };

  it('follows the ETC debits on the ETC records only and counts the CPC records in the totals', () => {
    const w = world();
    w.stationRecords = [...w.stationRecords, cpc];
    w.centreRecords = [...w.centreRecords, { ...cpc, tacVerified: true }];
    w.shiftTotals = [...w.shiftTotals, { shiftId: 's3', vehicles: 1, amount: 900 }];
    w.clearing = { records: 3, transFee: 1750, fee: 2650 };
    expect(reconcile(w).filter((l) => !l.ok)).toEqual([]);
    expect(line(w, 'debit-station-record').detail).toContain('2 debits, 2 records');
    expect(line(w, 'tac-verified').detail).toContain('1 records with no card trade (CPC)');
  });

  it('still finds a CPC record the centre clearing lacks', () => {
    const w = world();
    w.stationRecords = [...w.stationRecords, cpc];
    w.shiftTotals = [...w.shiftTotals, { shiftId: 's3', vehicles: 1, amount: 900 }];
    expect(line(w, 'totals').ok).toBe(false);
  });
});
