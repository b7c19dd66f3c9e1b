import { describe, expect, it } from 'vitest';
import { foldCpcCryptogram } from '../../cpc/auth-cryptogram';
import { bytesToHex, hexToBytes } from '../hex';
import { CardStatusError } from '../status';
import { PSAM_ENCRYPT_STATUS, parsePsamEncrypt, psamEncrypt } from './psam-encrypt';

describe('PSAM ENCRYPT and the host fold', () => {
  it('sends 80 FA 00 00 10 ‖ R ‖ 00×8 and folds E to F (cpc-card.md §9 step 6)', () => {
    expect(bytesToHex(psamEncrypt(hexToBytes('3A5C7E9102468ACE')))).toBe(
      '80FA0000103A5C7E9102468ACE0000000000000000',
    );
    const e = parsePsamEncrypt(hexToBytes('6319EBD1DF53AAAD97F17AAB5FB5F7A1'));
    expect(bytesToHex(foldCpcCryptogram(e))).toBe('F4E8917A80E65D0C');
  });

  it('refuses a challenge or an answer of the wrong length', () => {
    expect(() => psamEncrypt(new Uint8Array(4))).toThrow(expect.objectContaining({ code: 'APDU_FORMAT' }));
    expect(() => parsePsamEncrypt(new Uint8Array(8))).toThrow(
      expect.objectContaining({ code: 'RESPONSE_FORMAT' }),
    );
  });

  it('reads 6985 as no key delivered', () => {
    expect(new CardStatusError(0x6985, 'PSAM ENCRYPT', PSAM_ENCRYPT_STATUS).code).toBe(
      'CONDITIONS_NOT_SATISFIED',
    );
    expect(new CardStatusError(0x6700, 'PSAM ENCRYPT', PSAM_ENCRYPT_STATUS).code).toBe('WRONG_LENGTH');
  });
});
