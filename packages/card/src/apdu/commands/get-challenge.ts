import type { CardErrorCode } from '../../errors';
import type { CommandStatusTable } from '../status';
import { requireLength } from './response-error';

/** GET CHALLENGE, 4 bytes: 00 84 00 00 04. */
export function getChallenge(): Uint8Array {
  return Uint8Array.of(0x00, 0x84, 0x00, 0x00, 0x04);
}

export function parseGetChallenge(data: Uint8Array): Uint8Array {
  requireLength('GET CHALLENGE', data, 4);
  return data.slice();
}

/** GET CHALLENGE: a length other than 4 or 8. */
export const GET_CHALLENGE_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6700, 'WRONG_LENGTH'],
]);
