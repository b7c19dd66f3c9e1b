import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { diversifyKey } from '../crypto/pboc';
import { TEST_CPC_UK1_ROOT_KEY } from '../fixtures/test-keys';
import { cpcKeyLevels, diversifyCpcKey } from './keys';

// cpc-card.md §9 (TEST data): area factor 甘肃 B8CACBE0, CPC ID 6201012345678901.
const AREA = 'B8CACBE0';
const CPC_ID = '6201012345678901';

describe('CPC key diversification (cpc-card.md §1, §9)', () => {
  it('mode 2 derives area ‖ area first, then the CPC ID: §9 intermediate keys', () => {
    const [level1, card] = cpcKeyLevels(TEST_CPC_UK1_ROOT_KEY, { mode: 2, area: AREA, cpcId: CPC_ID });
    expect(bytesToHex(level1 ?? new Uint8Array())).toBe('EFA7D2596FCA815D548423ADE44ABEB7');
    expect(bytesToHex(card ?? new Uint8Array())).toBe('C8D6D00579DA095CB4F574F5F05CB34B');
    expect(bytesToHex(diversifyCpcKey(TEST_CPC_UK1_ROOT_KEY, { mode: 2, area: AREA, cpcId: CPC_ID }))).toBe(
      'C8D6D00579DA095CB4F574F5F05CB34B',
    );
  });

  it('bytes and hex give the same key', () => {
    const hex = diversifyCpcKey(TEST_CPC_UK1_ROOT_KEY, { mode: 2, area: AREA, cpcId: CPC_ID });
    const bytes = diversifyCpcKey(TEST_CPC_UK1_ROOT_KEY, {
      mode: 2,
      area: hexToBytes(AREA),
      cpcId: hexToBytes(CPC_ID),
    });
    expect(bytes).toEqual(hex);
  });

  it('mode 1 is one level over the CPC ID: the §9 level-1 step applied to the root', () => {
    const levels = cpcKeyLevels(TEST_CPC_UK1_ROOT_KEY, { mode: 1, area: AREA, cpcId: CPC_ID });
    expect(levels).toHaveLength(1);
    // Mode 1 under the §9 level-1 key as root reproduces §9's card key: the same level function.
    expect(
      bytesToHex(
        diversifyCpcKey(hexToBytes('EFA7D2596FCA815D548423ADE44ABEB7'), { mode: 1, area: '', cpcId: CPC_ID }),
      ),
    ).toBe('C8D6D00579DA095CB4F574F5F05CB34B');
    expect(bytesToHex(levels[0] ?? new Uint8Array())).not.toBe('C8D6D00579DA095CB4F574F5F05CB34B');
  });

  it('the order matters: the CPC ID first (in the APDU order) gives another key', () => {
    const idFirst = diversifyKey(
      'sm4',
      diversifyKey('sm4', TEST_CPC_UK1_ROOT_KEY, hexToBytes(CPC_ID)),
      hexToBytes(AREA + AREA),
    );
    expect(bytesToHex(idFirst)).not.toBe('C8D6D00579DA095CB4F574F5F05CB34B');
  });

  it('a factor of the wrong length is a typed error', () => {
    expect(() => diversifyCpcKey(TEST_CPC_UK1_ROOT_KEY, { mode: 2, area: 'B8CA', cpcId: CPC_ID })).toThrow(
      expect.objectContaining({ code: 'CRYPTO_KEY_LENGTH' }),
    );
    expect(() => diversifyCpcKey(new Uint8Array(8), { mode: 1, area: AREA, cpcId: CPC_ID })).toThrow(
      expect.objectContaining({ code: 'CRYPTO_KEY_LENGTH' }),
    );
  });
});
