import { describe, expect, it } from 'vitest';
import { checkExitRecord, isNoCardRecord, type NoCardExitRecord } from './exit-record';
import { cpcWorkedExampleRecord } from './fixtures/cpc-worked-record';
import type { Fen } from './money';

/** TEST ONLY: a no-card exit (lost CPC, stated entry) built from the §9 CPC record's lane and times. */
function noCardRecord(patch: Partial<NoCardExitRecord> = {}): NoCardExitRecord {
  const {
    cpcCardId: _1,
    cpcElec: _2,
    cpcCardPlate: _3,
    cpcCardColor: _4,
    cpcCardVeh: _5,
    cpcCardVehStatus: _6,
    cpcCardEnNet: _7,
    cpcCardEnStation: _8,
    cpcCardEnTime: _9,
    cpcCardProCount: _10,
    mediaNo: _11,
    cardTotalAmount: _12,
    enTollStationHex: _13,
    enTime: _14,
    ...base
  } = cpcWorkedExampleRecord();
  return {
    ...base,
    mediaType: 9,
    passId: `030${base.exTollLaneId}20240510090600`,
    exitFeeType: 6,
    payFee: 10_800 as Fen,
    fee: 10_800 as Fen,
    originFee: 10_800 as Fen,
    provinceCount: 0,
    noCardCount: 1,
    specialType: '36',
    noCardReason: 'lost',
    cardCost: 4000 as Fen,
    feeRule: 'NOCARD.STATED',
    statedEntry: '61010203',
    ...patch,
  };
}

describe('the no-card exit record (cpc-card.md §5.4)', () => {
  it('passes as mediaType 9 with PassID 030 + lane + exit time, and is told apart by its reason', () => {
    const r = checkExitRecord(noCardRecord());
    expect(r.ok).toBe(true);
    expect(r.ok && isNoCardRecord(r.value)).toBe(true);
    expect(isNoCardRecord(cpcWorkedExampleRecord())).toBe(false);
  });

  it('a damaged CPC with a legible ID is mediaType 2 naming it, with special 35', () => {
    const id = '6201012345678901';
    const damaged = noCardRecord({
      mediaType: 2,
      mediaNo: id,
      passId: `020000${id}20240510090600`,
      noCardReason: 'damaged',
      specialType: '35',
    });
    expect(checkExitRecord(damaged).ok).toBe(true);
  });

  it.each([
    ['a mediaType 9 record with a mediaNo', { mediaNo: '6201012345678901' }, 'mediaNo'],
    ['a PassID of another lane', { passId: `030${'G'.repeat(21)}20240510090600` }, 'passId'],
    ['mediaType 2 for a lost card', { mediaType: 2, mediaNo: '6201012345678901' }, 'mediaNo'],
    ['a lost card without 36', { specialType: '35' }, 'specialType'],
    ['a card cost above the fee', { cardCost: 20_000 as Fen }, 'cardCost'],
    ['a card cost with no card taken', { noCardReason: 'no-card' }, 'cardCost'],
    ['an unknown reason', { noCardReason: 'stolen' as 'lost' }, 'noCardReason'],
    ['a rule that is not a no-card rule', { feeRule: 'CPC.CARD_AMOUNT' }, 'feeRule'],
    ['cash with an ETC card trade', { tac: '00000000' }, 'tac'],
  ] as const)('refuses %s', (_n, patch, field) => {
    const r = checkExitRecord(noCardRecord(patch as Partial<NoCardExitRecord>));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.field).toBe(field);
  });
});
