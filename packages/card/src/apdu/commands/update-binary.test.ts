import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../hex';
import { CardStatusError } from '../status';
import { UPDATE_BINARY_STATUS, updateBinarySfi } from './update-binary';

describe('UPDATE BINARY by SFI', () => {
  it('writes DF01/EF01 bytes 23–24 as 00 D6 81 17 02 02 02 (cpc-card.md §6)', () => {
    expect(bytesToHex(updateBinarySfi(1, 0x17, hexToBytes('0202')))).toBe('00D68117020202');
    expect(bytesToHex(updateBinarySfi(4, 0xfd, new Uint8Array(3)))).toBe('00D684FD03000000');
  });

  it('refuses an offset an SFI command cannot carry, and empty data', () => {
    expect(() => updateBinarySfi(4, 276, new Uint8Array(1))).toThrow(
      expect.objectContaining({ code: 'APDU_FORMAT' }),
    );
    expect(() => updateBinarySfi(1, 0, new Uint8Array(0))).toThrow(
      expect.objectContaining({ code: 'APDU_FORMAT' }),
    );
  });

  it('reads 6982 as security status not satisfied (no external authentication)', () => {
    expect(new CardStatusError(0x6982, 'UPDATE', UPDATE_BINARY_STATUS).code).toBe('SECURITY_STATUS');
    expect(new CardStatusError(0x6b00, 'UPDATE', UPDATE_BINARY_STATUS).code).toBe('WRONG_OFFSET');
    expect(new CardStatusError(0x6581, 'UPDATE', UPDATE_BINARY_STATUS).code).toBe('MEMORY_FAILURE');
  });
});
