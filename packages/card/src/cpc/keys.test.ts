import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { diversifyKey } from '../crypto/pboc';
import { CPC_WORKED_EXAMPLE_AUTH, CPC_WORKED_EXAMPLE_TRIP } from '../fixtures/cpc-worked-example';
import { TEST_CPC_UK1_ROOT_KEY } from '../fixtures/test-keys';
import { cpcKeyLevels, diversifyCpcKey } from './keys';

// cpc-card.md §9 (TEST data): area factor 甘肃 B8CACBE0, CPC ID 6201012345678901.
const AREA = CPC_WORKED_EXAMPLE_TRIP.area;
const CPC_ID = CPC_WORKED_EXAMPLE_TRIP.cpcId;
const { level1Key: LEVEL1, cardUk1: CARD_UK1 } = CPC_WORKED_EXAMPLE_AUTH;

describe('CPC key diversification (cpc-card.md §1, §9)', () => {
  it('the TEST root key is the one of the worked example', () => {
    expect(bytesToHex(TEST_CPC_UK1_ROOT_KEY)).toBe(CPC_WORKED_EXAMPLE_AUTH.uk1RootKey);
  });

  it('mode 2 derives area ‖ area first, then the CPC ID: §9 intermediate keys', () => {
    const [level1, card] = cpcKeyLevels(TEST_CPC_UK1_ROOT_KEY, { mode: 2, area: AREA, cpcId: CPC_ID });
    expect(bytesToHex(level1 ?? new Uint8Array())).toBe(LEVEL1);
    expect(bytesToHex(card ?? new Uint8Array())).toBe(CARD_UK1);
    expect(bytesToHex(diversifyCpcKey(TEST_CPC_UK1_ROOT_KEY, { mode: 2, area: AREA, cpcId: CPC_ID }))).toBe(
      CARD_UK1,
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
    expect(bytesToHex(diversifyCpcKey(hexToBytes(LEVEL1), { mode: 1, area: '', cpcId: CPC_ID }))).toBe(
      CARD_UK1,
    );
    expect(bytesToHex(levels[0] ?? new Uint8Array())).not.toBe(CARD_UK1);
  });

  it('the order matters: the CPC ID first (in the APDU order) gives another key', () => {
    const idFirst = diversifyKey(
      'sm4',
      diversifyKey('sm4', TEST_CPC_UK1_ROOT_KEY, hexToBytes(CPC_ID)),
      hexToBytes(AREA + AREA),
    );
    expect(bytesToHex(idFirst)).not.toBe(CARD_UK1);
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
