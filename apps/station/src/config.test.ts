import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('the CPC settings', () => {
  it('take the issuer areas and the write-failed special as given', () => {
    const c = loadConfig({ CPC_VALID_AREAS: 'b8cacbe0, C9BDB6AB', CPC_WRITE_FAILED_SPECIAL: '187' });
    expect(c.cpcValidAreas).toEqual(['B8CACBE0', 'C9BDB6AB']);
    expect(c.cpcWriteFailedSpecial).toBe(187);
    expect(loadConfig({}).cpcValidAreas).toEqual([]);
  });

  it('refuse a mistyped area list rather than accept every area', () => {
    expect(() => loadConfig({ CPC_VALID_AREAS: 'B8CACBE' })).toThrow(/CPC_VALID_AREAS/);
  });

  it('refuse a write-failed special the record cannot hold (specialType has 1–3 digits)', () => {
    for (const v of ['1523', '0', '-1', 'x']) {
      expect(() => loadConfig({ CPC_WRITE_FAILED_SPECIAL: v })).toThrow(/CPC_WRITE_FAILED_SPECIAL/);
    }
  });
});
