import { describe, expect, it } from 'vitest';
import {
  arrearsLine,
  type CentreInspection,
  greenBanLine,
  greenLine,
  noCardEvidenceLine,
} from './reconcile-cases';
import type { PaidRecordFact } from './reconcile-payments';
import type { EvidenceFact, GreenFact, PaybackFact } from './served-vehicle';

const rec = (tradeId: string, o: Partial<PaidRecordFact> = {}): PaidRecordFact => ({
  tradeId,
  medium: 'none',
  kind: 'exit',
  txnId: `x-${tradeId}`,
  passId: `P-${tradeId}`,
  cpcId: '',
  payType: 1,
  fee: 1_000,
  writeFailed: false,
  ...o,
});

describe('every no-card exit has its evidence', () => {
  const ev = (tradeId: string, o: Partial<EvidenceFact> = {}): EvidenceFact => ({
    tradeId,
    passages: 3,
    source: 'centre',
    gantries: 3,
    photos: 2,
    ...o,
  });

  it('is true when each no-card record’s path is served by the centre with every reported gantry and a photo', () => {
    const l = noCardEvidenceLine([rec('T1'), rec('T2'), rec('C1', { medium: 'cpc' })], [ev('T1'), ev('T2')]);
    expect(l.ok).toBe(true);
    expect(l.detail).toContain('2 no-card records: 2 paths served (6 gantries of 6 reported, 4 photos)');
  });

  it('finds a record without a path, a path short of a gantry, one the station made alone, one without a photo', () => {
    const records = [rec('T1'), rec('T2'), rec('T3'), rec('T4')];
    const l = noCardEvidenceLine(records, [
      ev('T1', { gantries: null, error: 'STN_ERR_EXIT_NOT_FOUND' }),
      ev('T2', { gantries: 2 }),
      ev('T3', { source: 'station' }),
      ev('T4', { photos: 0 }),
    ]);
    expect(l.ok).toBe(false);
    expect(l.detail).toContain(
      '1 without a path (1 × STN_ERR_EXIT_NOT_FOUND), 1 missing a reported gantry, 1 not fitted by the centre, 1 without a photo',
    );
  });
});

describe('every green-channel pass has its inspection at the centre', () => {
  const g = (passed: boolean, tradeId: string | null): GreenFact => ({
    inspectionId: `i-${tradeId}`,
    result: passed ? 'pass' : 'fail',
    passed,
    tradeId,
  });
  const free = (t: string) => rec(t, { medium: 'cpc', fee: 0, greenPass: true });
  const held = (entries: [string, CentreInspection | null][]) => new Map(entries);

  it('is true when each free record has its passed inspection at the centre', () => {
    const l = greenLine(
      [free('G1'), rec('G2', { medium: 'cpc' })],
      [g(true, 'G1'), g(false, 'G2')],
      held([['G1', { passed: true, photos: 3 }]]),
      0,
    );
    expect(l.ok).toBe(true);
    expect(l.detail).toContain('2 inspections (1 passed, 1 failed or mixed); 1 free records');
  });

  it('finds a pass the centre holds no inspection for, one it lists uninspected, and a failed inspection that exited free', () => {
    expect(greenLine([free('G1')], [g(true, 'G1')], held([['G1', null]]), 0).detail).toContain(
      '1 without an inspection at the centre',
    );
    expect(greenLine([free('G1')], [g(true, 'G1')], held([['G1', { passed: true, photos: 3 }]]), 1).ok).toBe(
      false,
    );
    const l = greenLine([free('G1')], [g(false, 'G1')], held([['G1', { passed: true, photos: 3 }]]), 0);
    expect(l.detail).toContain('1 failed inspections exited free');
  });
});

describe('no banned plate left free', () => {
  const banned = (passed: boolean, tradeId: string | null): GreenFact => ({
    inspectionId: `i-${tradeId}`,
    result: 'pass',
    passed,
    banned: true,
    tradeId,
  });

  it('is true when every banned truck judged a pass was refused it and paid', () => {
    const l = greenBanLine(
      [rec('B1', { medium: 'cpc', fee: 3_200 }), rec('G1', { medium: 'cpc', fee: 0, greenPass: true })],
      [banned(false, 'B1'), { inspectionId: 'i-G1', result: 'pass', passed: true, tradeId: 'G1' }],
    );
    expect(l.ok).toBe(true);
    expect(l.detail).toContain(
      '1 banned green trucks inspected (load judged 1 pass): 0 passed by the station, 1 exits committed, 1 paid, 0 free',
    );
  });

  it('finds a banned plate the station passed, and one that left free', () => {
    expect(greenBanLine([rec('B1', { medium: 'cpc', fee: 3_200 })], [banned(true, 'B1')]).ok).toBe(false);
    const l = greenBanLine([rec('B1', { medium: 'cpc', fee: 0, greenPass: true })], [banned(false, 'B1')]);
    expect(l.ok).toBe(false);
    expect(l.detail).toContain('0 paid, 1 free');
  });
});

describe('every arrears payback cleared exactly one entry at the centre', () => {
  const payback = (t: string, ids: string[]) =>
    rec(t, { medium: 'arrears', kind: 'arrears-payback', entryIds: ids });
  const hh = (t: string | null): PaybackFact => ({
    id: `p-${t}`,
    plate: '京A1',
    colour: 0,
    entryIds: ['E1'],
    amount: 500,
    tradeId: t,
  });
  const added = [{ entryId: 'E1' }, { entryId: 'E2' }, { entryId: 'E3' }];

  it('is true when the entries cleared are exactly the ones the paybacks named, once each', () => {
    const l = arrearsLine(
      added,
      new Set(['E3']),
      [payback('B1', ['E1']), payback('B2', ['E2'])],
      [hh('B1'), hh('B2'), hh(null)],
    );
    expect(l.ok).toBe(true);
    expect(l.detail).toContain(
      '3 entries added, 2 payback records (2000 fen): 2 entries cleared at the centre, 1 still open',
    );
  });

  it('finds an entry named twice, a payback of two entries, one cleared without a payback and one paid but open', () => {
    expect(
      arrearsLine(added, new Set(['E3']), [payback('B1', ['E1']), payback('B2', ['E1'])], []).detail,
    ).toContain('1 entries named twice');
    expect(arrearsLine(added, new Set(['E3']), [payback('B1', ['E1', 'E2'])], []).detail).toContain(
      '1 paybacks naming other than one entry',
    );
    expect(arrearsLine(added, new Set(['E3']), [payback('B1', ['E1'])], []).detail).toContain(
      '1 cleared without a payback',
    );
    expect(
      arrearsLine(added, new Set(['E1', 'E3']), [payback('B1', ['E1']), payback('B2', ['E2'])], []).detail,
    ).toContain('1 paid but still open');
    expect(
      arrearsLine(added, new Set(['E3']), [payback('B1', ['E1']), payback('B2', ['E2'])], [hh('B9')]).ok,
    ).toBe(false);
  });
});
