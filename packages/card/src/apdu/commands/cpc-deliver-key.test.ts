import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../hex';
import { CardStatusError } from '../status';
import { CPC_DELIVER_KEY_STATUS, cpcDeliverKey } from './cpc-deliver-key';

const cpcId = hexToBytes('6201012345678901');
const area = hexToBytes('B8CACBE0');

describe('PSAM DELIVER KEY for a CPC', () => {
  it('mode 2: 80 1A 48 44 10 ‖ CPC ID ‖ area ‖ area (cpc-card.md §9 step 6)', () => {
    expect(bytesToHex(cpcDeliverKey({ cpcId, area, mode: 2 }))).toBe(
      '801A4844106201012345678901B8CACBE0B8CACBE0',
    );
  });

  it('mode 1: Lc 08, the CPC ID only; another key by P1P2', () => {
    expect(bytesToHex(cpcDeliverKey({ cpcId, area, mode: 1 }))).toBe('801A4844086201012345678901');
    expect(bytesToHex(cpcDeliverKey({ cpcId, area, mode: 1, keyRef: 0x4845 }))).toBe(
      '801A4845086201012345678901',
    );
  });

  it('refuses factors of the wrong length', () => {
    expect(() => cpcDeliverKey({ cpcId: cpcId.subarray(0, 7), area, mode: 1 })).toThrow(
      expect.objectContaining({ code: 'APDU_FORMAT' }),
    );
    expect(() => cpcDeliverKey({ cpcId, area: area.subarray(0, 2), mode: 2 })).toThrow(
      expect.objectContaining({ code: 'APDU_FORMAT' }),
    );
  });

  it('reads its status words: no such key, wrong length, not in DF01', () => {
    expect(new CardStatusError(0x6a88, 'DELIVER KEY', CPC_DELIVER_KEY_STATUS).code).toBe(
      'REFERENCED_DATA_NOT_FOUND',
    );
    expect(new CardStatusError(0x6700, 'DELIVER KEY', CPC_DELIVER_KEY_STATUS).code).toBe('WRONG_LENGTH');
    expect(new CardStatusError(0x6985, 'DELIVER KEY', CPC_DELIVER_KEY_STATUS).code).toBe(
      'CONDITIONS_NOT_SATISFIED',
    );
  });
});
