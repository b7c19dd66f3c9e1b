import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../hex';
import { CardStatusError, expectOk } from '../status';
import {
  EXTERNAL_AUTHENTICATE_STATUS,
  externalAuthenticate,
  externalAuthTriesLeft,
} from './external-authenticate';

const refuse = (sw: number) => {
  try {
    expectOk({ sw }, 'EXTERNAL AUTHENTICATE', EXTERNAL_AUTHENTICATE_STATUS);
  } catch (e) {
    return e as CardStatusError;
  }
  throw new Error(`${sw.toString(16)} accepted`);
};

describe('EXTERNAL AUTHENTICATE', () => {
  it('sends 00 82 00 01 08 ‖ F for UK1 (cpc-card.md §9 step 6)', () => {
    expect(bytesToHex(externalAuthenticate(hexToBytes('F4E8917A80E65D0C')))).toBe(
      '0082000108F4E8917A80E65D0C',
    );
    expect(bytesToHex(externalAuthenticate(new Uint8Array(8), 2))).toBe('00820002080000000000000000');
  });

  it('refuses a cryptogram that is not 8 bytes before anything is sent', () => {
    expect(() => externalAuthenticate(new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'APDU_FORMAT' }),
    );
  });

  it('reads 6983 as UK1 locked, 63Cx as a refusal with x tries left, 6984 as no challenge', () => {
    expect(refuse(0x6983)).toMatchObject({
      code: 'CPC_UK1_LOCKED',
      messageZh: expect.stringContaining('特情34'),
    });
    for (const sw of [0x63c2, 0x63c1, 0x63c0]) {
      const e = refuse(sw);
      expect(e).toBeInstanceOf(CardStatusError);
      expect(e.code).toBe('EXTERNAL_AUTH_FAILED');
      expect(e.messageZh).toContain(sw.toString(16).toUpperCase());
    }
    expect([0x63c2, 0x63c1, 0x63c0, 0x6983, 0x9000].map(externalAuthTriesLeft)).toEqual([
      2,
      1,
      0,
      null,
      null,
    ]);
    expect(refuse(0x6984).code).toBe('CHALLENGE_MISSING');
    expect(refuse(0x6700).code).toBe('WRONG_LENGTH');
  });
});
