import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../hex';
import { CardStatusError } from '../status';
import { GET_CHALLENGE_STATUS, getChallenge, parseGetChallenge } from './get-challenge';

describe('GET CHALLENGE', () => {
  it('asks 4 bytes of a PSAM and 8 of a CPC', () => {
    expect(bytesToHex(getChallenge())).toBe('0084000004');
    expect(bytesToHex(getChallenge(8))).toBe('0084000008');
    expect(bytesToHex(parseGetChallenge(hexToBytes('3A5C7E9102468ACE'), 8))).toBe('3A5C7E9102468ACE');
    expect(() => parseGetChallenge(hexToBytes('3A5C7E91'), 8)).toThrow(
      expect.objectContaining({ code: 'RESPONSE_FORMAT' }),
    );
    expect(new CardStatusError(0x6700, 'GET CHALLENGE', GET_CHALLENGE_STATUS).code).toBe('WRONG_LENGTH');
  });
});
