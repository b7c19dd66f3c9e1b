import type { CardErrorCode } from '../../errors';
import { ApduFormatError, encodeCommand } from '../apdu';
import type { CommandStatusTable } from '../status';

/** UK1, the CPC's entry/exit external-authentication key ([I] cpc-card.md §3: P2 = 01 selects UK1). */
export const CPC_UK1 = 0x01;

/** EXTERNAL AUTHENTICATE: 00 82 00 <key> 08 ‖ F, F the 8-byte folded cryptogram of the card's challenge. */
export function externalAuthenticate(cryptogram: Uint8Array, keyId: number = CPC_UK1): Uint8Array {
  if (cryptogram.length !== 8)
    throw new ApduFormatError(`cryptogram must be 8 bytes, got ${cryptogram.length}`);
  return encodeCommand({ cla: 0x00, ins: 0x82, p1: 0x00, p2: keyId, data: cryptogram });
}

/** Tries left that a 63Cx answer reports, or null for any other status word. */
export function externalAuthTriesLeft(sw: number): number | null {
  return (sw & 0xfff0) === 0x63c0 ? sw & 0x0f : null;
}

/**
 * EXTERNAL AUTHENTICATE ([P] cpc-card.md §3 "Card answers"): 63Cx a wrong cryptogram with x tries left,
 * 6983 the key is locked (UK1: national special 34), 6984 no challenge to answer.
 */
export const EXTERNAL_AUTHENTICATE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6983, 'CPC_UK1_LOCKED'],
  [0x6984, 'CHALLENGE_MISSING'],
  [0x6700, 'WRONG_LENGTH'],
  [0x6a88, 'REFERENCED_DATA_NOT_FOUND'],
  ...Array.from({ length: 16 }, (_, x): [number, CardErrorCode] => [0x63c0 | x, 'EXTERNAL_AUTH_FAILED']),
]);
