import type { CardErrorCode } from '../../errors';
import { ApduFormatError, encodeCommand } from '../apdu';
import { concatBytes } from '../hex';
import type { CommandStatusTable } from '../status';
import { requireLength } from './response-error';

/** PSAM ENCRYPT with the delivered key: 80 FA 00 00 10 ‖ R ‖ 00×8, R the card's 8-byte challenge. */
export function psamEncrypt(challenge: Uint8Array): Uint8Array {
  if (challenge.length !== 8) throw new ApduFormatError(`challenge must be 8 bytes, got ${challenge.length}`);
  return encodeCommand({
    cla: 0x80,
    ins: 0xfa,
    p1: 0x00,
    p2: 0x00,
    data: concatBytes(challenge, new Uint8Array(8)),
  });
}

/** The PSAM answers E, 16 bytes. */
export function parsePsamEncrypt(data: Uint8Array): Uint8Array {
  requireLength('PSAM ENCRYPT', data, 16);
  return data.slice();
}

/** PSAM ENCRYPT: no key delivered first (6985), a wrong length. */
export const PSAM_ENCRYPT_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
  [0x6700, 'WRONG_LENGTH'],
  [0x6a86, 'WRONG_P1P2'],
]);
