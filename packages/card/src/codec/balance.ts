/**
 * The purse balance (4 B). Account cards (记账卡) may overdraw, so their balance is a signed int32:
 * the reference's 4294950230 is −17066 fen. Stored-value cards never go below zero and read unsigned.
 */
import type { Fen } from '@tollpad/domain';
import type { CardKind } from './coded';
import { CodecError } from './errors';

export function decodeBalance(raw: number, kind: CardKind): Fen {
  if (!Number.isInteger(raw) || raw < 0 || raw > 0xffffffff)
    throw new CodecError('0002', 0, `not a uint32: ${raw}`);
  return (kind === 'account' ? raw | 0 : raw) as Fen;
}

export function encodeBalance(balance: number): number {
  if (!Number.isInteger(balance) || balance < -0x80000000 || balance > 0xffffffff) {
    throw new CodecError('0002', 0, `balance out of range: ${balance}`);
  }
  return balance >>> 0;
}
