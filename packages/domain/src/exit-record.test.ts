import { describe, expect, it } from 'vitest';
import { checkExitRecord } from './exit-record';
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
