/**
 * PBOC purse cryptography as used by ETC user cards: key diversification, purchase session key, MAC1, MAC2, TAC.
 * The algorithm follows the card's algorithm ID (INITIALIZE response byte 10).
 */

import { concatBytes, uintToBytes } from '../apdu/hex';
import { CardError } from '../errors';
import { type BlockCipher, CipherKeyError, Des, TripleDes } from './des';
import { cbcMac } from './mac';
import { ecbEncrypt, xorBytes } from './modes';
import { Sm4 } from './sm4';

export type PurseAlgorithm = '3des' | 'sm4';

/**
 * Algorithm ID → algorithm. [I] 00 = 3DES and 04 = SM4 by the PBOC convention (reference §4); configurable
 * because no ETC source states it.
 */
export const DEFAULT_ALGORITHM_IDS: Readonly<Record<number, PurseAlgorithm>> = { 0: '3des', 4: 'sm4' };

export class UnsupportedAlgorithmError extends CardError {
  constructor(readonly algorithmId: number) {
    super('CRYPTO_ALGORITHM', {
      message: `unsupported purse algorithm id 0x${algorithmId.toString(16).padStart(2, '0')}`,
    });
    this.name = 'UnsupportedAlgorithmError';
  }
}

export function algorithmFromId(
  id: number,
  table: Readonly<Record<number, PurseAlgorithm>> = DEFAULT_ALGORITHM_IDS,
): PurseAlgorithm {
  const alg = table[id];
  if (!alg) throw new UnsupportedAlgorithmError(id);
  return alg;
}

export function algorithmId(
  alg: PurseAlgorithm,
  table: Readonly<Record<number, PurseAlgorithm>> = DEFAULT_ALGORITHM_IDS,
): number {
  for (const [id, a] of Object.entries(table)) if (a === alg) return Number(id);
  throw new UnsupportedAlgorithmError(-1);
}

function invert(bytes: Uint8Array): Uint8Array {
  return bytes.map((b) => ~b & 0xff);
}

function checkFactor(factor: Uint8Array): void {
  if (factor.length !== 8) throw new CipherKeyError('diversification factor', factor.length);
}

/** 3DES: DK = 3DES_ECB(MK, F) ‖ 3DES_ECB(MK, ~F). SM4: DK = SM4_ECB(MK, F ‖ ~F). Both give 16 bytes. */
export function diversifyKey(alg: PurseAlgorithm, masterKey: Uint8Array, factor8: Uint8Array): Uint8Array {
  checkFactor(factor8);
  const block = concatBytes(factor8, invert(factor8));
  const cipher: BlockCipher = alg === '3des' ? new TripleDes(masterKey) : new Sm4(masterKey);
  return ecbEncrypt(cipher, block);
}

/**
 * Two-level diversification: level 1 with the issuer factor (0015 bytes 0–3 twice), level 2 with the card
 * number (0015 bytes 12–19). [I] The order follows S1's CPC code; the PSAM does the same from the 16 B of 8070.
 */
export function diversifyTwoLevel(
  alg: PurseAlgorithm,
  masterKey: Uint8Array,
  issuerFactor8: Uint8Array,
  cardFactor8: Uint8Array,
): Uint8Array {
  return diversifyKey(alg, diversifyKey(alg, masterKey, issuerFactor8), cardFactor8);
}

export interface SessionKeyInput {
  random: Uint8Array; // 4 B from INITIALIZE
  atc: number; // offline ATC from INITIALIZE (before the debit)
  terminalSerial: number; // PSAM transaction serial (4 B); its low 2 B enter the key
}

/**
 * Purchase session key. 3DES: SESPK = 3DES_ECB(DPK, rnd ‖ ATC ‖ termSeq[2..3]) (S1 calc_mac1).
 * SM4 [P]: SESPK16 = SM4_ECB(DPK, rnd ‖ ATC ‖ termSeq[2..3] ‖ 80 00…00) — no public source; simulator-only rule.
 */
export function purchaseSessionKey(alg: PurseAlgorithm, dpk: Uint8Array, input: SessionKeyInput): Uint8Array {
  const seq = uintToBytes(input.terminalSerial >>> 0, 4).subarray(2, 4);
  const block = concatBytes(input.random, uintToBytes(input.atc, 2), seq);
  if (alg === '3des') return ecbEncrypt(new TripleDes(dpk), block);
  const padded = new Uint8Array(16);
  padded.set(block);
  padded[8] = 0x80;
  return ecbEncrypt(new Sm4(dpk), padded);
}

function macCipher(alg: PurseAlgorithm, key: Uint8Array): BlockCipher {
  return alg === '3des' ? new Des(key) : new Sm4(key);
}

export interface Mac1Input {
  amount: number; // fen, 4 B unsigned
  transactionType: number; // 09 composite
  terminalId: Uint8Array; // 6 B
  datetime: Uint8Array; // 7 B BCD CCYYMMDDhhmmss
}

/** MAC1 over amount ‖ type ‖ termId ‖ datetime, single-DES (or SM4) CBC-MAC with the session key. */
export function computeMac1(alg: PurseAlgorithm, sessionKey: Uint8Array, input: Mac1Input): Uint8Array {
  const data = concatBytes(
    uintToBytes(input.amount >>> 0, 4),
    Uint8Array.of(input.transactionType),
    input.terminalId,
    input.datetime,
  );
  return cbcMac(macCipher(alg, sessionKey), data);
}

/** MAC2 over the amount only. [I] PBOC e-purse rule; not found in the ETC sources. */
export function computeMac2(alg: PurseAlgorithm, sessionKey: Uint8Array, amount: number): Uint8Array {
  return cbcMac(macCipher(alg, sessionKey), uintToBytes(amount >>> 0, 4));
}

/** 3DES: TAC key = DTK_left ⊕ DTK_right (single DES). SM4 [P]: the 16-byte DTK itself. */
export function tacKey(alg: PurseAlgorithm, dtk: Uint8Array): Uint8Array {
  if (alg === '3des') return xorBytes(dtk.subarray(0, 8), dtk.subarray(8, 16));
  return Uint8Array.from(dtk);
}

export interface TacInput extends Mac1Input {
  terminalSerial: number; // 4 B
}

/** TAC over amount ‖ type ‖ termId ‖ termSeq ‖ date(4) ‖ time(3) (S6 cmd_1037). */
export function computeTac(alg: PurseAlgorithm, dtk: Uint8Array, input: TacInput): Uint8Array {
  const data = concatBytes(
    uintToBytes(input.amount >>> 0, 4),
    Uint8Array.of(input.transactionType),
    input.terminalId,
    uintToBytes(input.terminalSerial >>> 0, 4),
    input.datetime,
  );
  return cbcMac(macCipher(alg, tacKey(alg, dtk)), data);
}
