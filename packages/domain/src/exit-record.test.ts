import { describe, expect, it } from 'vitest';
import { checkExitRecord } from './exit-record';
import { cpcWorkedExampleRecord } from './fixtures/cpc-worked-record';
import { shandongExampleRecord } from './fixtures/shandong-record';
import { parseExitTradeId, parsePassId } from './ids';

describe('exit record schema', () => {
  it('accepts the real Shandong example, whose IDs parse', () => {
    const rec = shandongExampleRecord();
    expect(checkExitRecord(rec)).toEqual({ ok: true, value: rec });
    expect(parseExitTradeId(rec.id).ok).toBe(true);
    expect(parsePassId(rec.passId).ok).toBe(true);
  });

  const cases: Array<[string, (r: Record<string, unknown>) => void, string]> = [
    ['fractional fee', (r) => (r.fee = 88.1), 'fee'],
    ['unsafe balance', (r) => (r.preBalance = 2 ** 60), 'preBalance'],
    ['bad TAC', (r) => (r.tac = 'XYZ'), 'tac'],
    ['unknown class', (r) => (r.vehicleType = 5), 'vehicleType'],
    ['unknown field', (r) => (r.extra = 1), 'record'],
    ['missing field', (r) => delete r.passId, 'record'],
    ['transFee ≠ fee', (r) => (r.transFee = 8000), 'transFee'],
    ['payFee ≠ fee + discounts', (r) => (r.discountFee = 400), 'payFee'],
    ['balance arithmetic', (r) => (r.postBalance = -25000), 'postBalance'],
    ['trade ID from another lane', (r) => (r.id = 'G002237001003020109202024011715322746'), 'id'],
    ['colour 9 on the actual plate', (r) => (r.vehicleId = '默A00000_9'), 'vehicleId'],
  ];
  it.each(cases)('refuses %s and names the field', (_name, mutate, field) => {
    const rec = shandongExampleRecord() as unknown as Record<string, unknown>;
    mutate(rec);
    const r = checkExitRecord(rec);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('RECORD_INVALID');
      if (field !== 'record') expect(r.error.field).toBe(field);
    }
  });
});

describe('CPC exit record schema', () => {
  it('accepts the worked example of cpc-card.md §9, whose IDs parse', () => {
    const rec = cpcWorkedExampleRecord();
    expect(checkExitRecord(rec)).toEqual({ ok: true, value: rec });
    expect(parseExitTradeId(rec.id).ok).toBe(true);
    expect(rec.passId).toHaveLength(36);
  });

  const cases: Array<[string, (r: Record<string, unknown>) => void, string]> = [
    ['an ETC card trade field', (r) => (r.tac = '0A1B2C3D'), 'record'],
    ['no mediaNo', (r) => delete r.mediaNo, 'record'],
    ['mediaNo not a CPC ID', (r) => (r.mediaNo = '62010123456789'), 'mediaNo'],
    ['battery above 100', (r) => (r.cpcElec = 101), 'cpcElec'],
    ['payType 5 (none in the national table)', (r) => (r.payType = 5), 'payType'],
    ['cpcCardId of another card', (r) => (r.cpcCardId = '6201012345678902'), 'mediaNo'],
    ['PassID of another card', (r) => (r.passId = '020000620101234567890220240510073000'), 'mediaNo'],
    ['payFee ≠ fee + discounts', (r) => (r.discountFee = 400), 'payFee'],
  ];
  it.each(cases)('refuses %s', (_name, mutate, field) => {
    const rec = cpcWorkedExampleRecord() as unknown as Record<string, unknown>;
    mutate(rec);
    const r = checkExitRecord(rec);
    expect(r.ok).toBe(false);
    if (!r.ok && field !== 'record') expect(r.error.field).toBe(field);
  });
});
