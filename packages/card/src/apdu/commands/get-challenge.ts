import type { CardErrorCode } from '../../errors';
import type { CommandStatusTable } from '../status';
import { requireLength } from './response-error';

/** GET CHALLENGE: 00 84 00 00 04 (PSAM authorisation), or 8 bytes before a CPC external authentication. */
export function getChallenge(length: 4 | 8 = 4): Uint8Array {
  return Uint8Array.of(0x00, 0x84, 0x00, 0x00, length);
}

export function parseGetChallenge(data: Uint8Array, length: 4 | 8 = 4): Uint8Array {
  requireLength('GET CHALLENGE', data, length);
  return data.slice();
}

/** GET CHALLENGE: a length other than 4 or 8. */
export const GET_CHALLENGE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6700, 'WRONG_LENGTH'],
]);
