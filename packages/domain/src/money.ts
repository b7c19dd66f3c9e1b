import { DomainError, fail, ok, type Result } from './result';

/**
 * Money is integer fen, never floats. The brand makes a plain number unusable where Fen is expected,
 * so every amount passes through one of the checked entry points below.
 */
export type Fen = number & { readonly __unit: 'fen' };

export const ZERO_FEN = 0 as Fen;

export function tryFen(value: number, field = 'amount'): Result<Fen> {
  if (typeof value !== 'number' || Number.isNaN(value)) return fail('MONEY_INVALID', field, 'not a number');
  if (!Number.isInteger(value)) return fail('MONEY_INVALID', field, `fractional fen ${value}`);
  if (!Number.isSafeInteger(value)) return fail('MONEY_INVALID', field, `unsafe integer ${value}`);
  return ok(value as Fen);
}

/** Checked conversion; throws DomainError (MONEY_INVALID) for fractional, unsafe or NaN values. */
export function fen(value: number, field = 'amount'): Fen {
  const r = tryFen(value, field);
  if (!r.ok) throw r.error;
  return r.value;
}

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Parses a decimal integer string of fen ("8810", "-25876"). */
export function parseFen(text: string, field = 'amount'): Result<Fen> {
  if (!/^-?\d{1,16}$/.test(text)) return fail('MONEY_INVALID', field, `not an integer fen amount: "${text}"`);
  return tryFen(Number(text), field);
}

/** Parses a yuan amount with at most two decimals ("88.1", "88.10", "-3") exactly, without floats. */
export function yuanToFen(text: string, field = 'amount'): Result<Fen> {
  const m = /^(-?)(\d{1,14})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return fail('MONEY_INVALID', field, `not a yuan amount with at most 2 decimals: "${text}"`);
  const [, sign, whole, frac = ''] = m;
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return tryFen(sign === '-' ? -value : value, field);
}

/** "88.10" — display form in yuan; integer arithmetic only. */
export function formatYuan(amount: Fen): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function checked(value: number, op: string): Fen {
  if (!Number.isSafeInteger(value))
    throw new DomainError('MONEY_INVALID', op, `result ${value} is not a safe integer`);
  return value as Fen;
}

export function addFen(a: Fen, b: Fen): Fen {
  return checked(fen(a, 'a') + fen(b, 'b'), 'addFen');
}

export function subFen(a: Fen, b: Fen): Fen {
  return checked(fen(a, 'a') - fen(b, 'b'), 'subFen');
}

export function sumFen(amounts: readonly Fen[]): Fen {
  let total = 0;
  for (const [i, a] of amounts.entries()) total = checked(total + fen(a, `amounts[${i}]`), 'sumFen');
  return total as Fen;
}

export type Rounding = 'half-up' | 'floor' | 'ceil';

/**
 * amount × num / den with an explicit rounding rule, in integers (e.g. the ETC 95% rate is 95/100).
 * half-up rounds halves away from zero, the usual rule for fen on toll records.
 */
export function mulFenRatio(amount: Fen, num: number, den: number, rounding: Rounding): Fen {
  fen(amount, 'amount');
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den <= 0) {
    throw new DomainError('MONEY_INVALID', 'ratio', `ratio ${num}/${den} must be integers with den > 0`);
  }
  const product = BigInt(amount) * BigInt(num);
  const d = BigInt(den);
  const neg = product < 0n;
  const abs = neg ? -product : product;
  let q = abs / d;
  const r = abs % d;
  if (rounding === 'half-up' && r * 2n >= d) q += 1n;
  else if (rounding === 'ceil' && !neg && r > 0n) q += 1n;
  else if (rounding === 'floor' && neg && r > 0n) q += 1n;
  return checked(Number(neg ? -q : q), 'mulFenRatio');
}

export function compareFen(a: Fen, b: Fen): number {
  return a - b;
}
