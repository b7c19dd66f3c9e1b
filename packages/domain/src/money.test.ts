import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addFen,
  type Fen,
  fen,
  formatYuan,
  mulFenRatio,
  parseFen,
  subFen,
  sumFen,
  tryFen,
  yuanToFen,
} from './money';
import { DomainError } from './result';

const bad = [0.5, 88.1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53), 1e20];

describe('money entry points refuse fractional and unsafe amounts', () => {
  it.each(bad)('fen(%s) throws MONEY_INVALID', (v) => {
    expect(() => fen(v)).toThrow(DomainError);
    try {
      fen(v, 'payFee');
    } catch (e) {
      expect((e as DomainError).code).toBe('MONEY_INVALID');
      expect((e as DomainError).field).toBe('payFee');
    }
  });
  it.each(bad)('tryFen(%s) is a typed failure', (v) => {
    const r = tryFen(v, 'fee');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('fee');
  });
  it.each(['88.1', '1e3', '', ' 5', '9007199254740993', '12345678901234567'])('parseFen(%j) fails', (s) => {
    expect(parseFen(s).ok).toBe(false);
  });
  it.each(['88.101', '1,00', 'abc', '.5', '1e2', '100000000000000.00'])('yuanToFen(%j) fails', (s) => {
    expect(yuanToFen(s).ok).toBe(false);
  });
  it('arithmetic refuses unbranded fractional inputs and unsafe results', () => {
    expect(() => addFen(0.5 as Fen, fen(1))).toThrow(DomainError);
    expect(() => subFen(fen(1), 0.25 as Fen)).toThrow(DomainError);
    expect(() => sumFen([fen(1), 1.5 as Fen])).toThrow(DomainError);
    expect(() => addFen(fen(Number.MAX_SAFE_INTEGER), fen(1))).toThrow(DomainError);
    expect(() => mulFenRatio(1.5 as Fen, 95, 100, 'half-up')).toThrow(DomainError);
    expect(() => mulFenRatio(fen(100), 0.95, 1, 'half-up')).toThrow(DomainError);
    expect(() => mulFenRatio(fen(100), 95, 0, 'half-up')).toThrow(DomainError);
  });
});

describe('money conversions', () => {
  it('parses yuan exactly', () => {
    expect(yuanToFen('88.10')).toEqual({ ok: true, value: 8810 });
    expect(yuanToFen('88.1')).toEqual({ ok: true, value: 8810 });
    expect(yuanToFen('0.07')).toEqual({ ok: true, value: 7 });
    expect(yuanToFen('-3')).toEqual({ ok: true, value: -300 });
  });
  it('formats yuan', () => {
    expect(formatYuan(fen(8810))).toBe('88.10');
    expect(formatYuan(fen(7))).toBe('0.07');
    expect(formatYuan(fen(-25876))).toBe('-258.76');
    expect(formatYuan(fen(0))).toBe('0.00');
  });
  it('yuan text round-trips for every safe amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15), max: 10 ** 15 }), (n) => {
        expect(yuanToFen(formatYuan(fen(n)))).toEqual({ ok: true, value: n });
      }),
    );
  });
  it('applies ratios with explicit rounding (the real 95% example: 9274 → 8810)', () => {
    expect(mulFenRatio(fen(9274), 95, 100, 'half-up')).toBe(8810); // 8810.3
    expect(mulFenRatio(fen(10), 95, 100, 'half-up')).toBe(10); // 9.5 rounds up
    expect(mulFenRatio(fen(10), 95, 100, 'floor')).toBe(9);
    expect(mulFenRatio(fen(11), 95, 100, 'ceil')).toBe(11); // 10.45
    expect(mulFenRatio(fen(-10), 95, 100, 'half-up')).toBe(-10);
  });
  it('sums', () => {
    expect(sumFen([fen(1), fen(2), fen(-3)])).toBe(0);
    expect(addFen(fen(8810), fen(464))).toBe(9274);
  });
});
