import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { cpcAuthCryptogram, foldCpcCryptogram } from './auth-cryptogram';

// cpc-card.md §9 (TEST data): card UK1, challenge, PSAM answer E and the host's fold F.
const UK1 = hexToBytes('C8D6D00579DA095CB4F574F5F05CB34B');

describe('CPC external-authentication cryptogram (cpc-card.md §3, §9)', () => {
  it('folds §9 E to §9 F', () => {
    expect(bytesToHex(foldCpcCryptogram(hexToBytes('6319EBD1DF53AAAD97F17AAB5FB5F7A1')))).toBe(
      'F4E8917A80E65D0C',
    );
  });

  it("the card's check for §9's challenge is §9's F", () => {
    expect(bytesToHex(cpcAuthCryptogram(UK1, hexToBytes('3A5C7E9102468ACE')))).toBe('F4E8917A80E65D0C');
  });
});
