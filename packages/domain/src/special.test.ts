import { describe, expect, it } from 'vitest';
import { describeSpecial, formatSpecialTypes, parseSpecialTypes, SPECIAL, SPECIAL_CODES } from './special';

describe('special-situation codes', () => {
  it('every named code is in the table with a Chinese description', () => {
    for (const [name, code] of Object.entries(SPECIAL)) {
      const info = SPECIAL_CODES.get(code);
      expect(info, name).toBeDefined();
      expect(info!.description).toMatch(/[\u4e00-\u9fa5]/);
    }
  });
  it('describes known, province-defined and unknown codes', () => {
    expect(describeSpecial(27)).toBe('储值卡余额不足');
    expect(describeSpecial(150)).toBe('省定义特情150');
    expect(describeSpecial(999)).toBe('省定义特情999');
    expect(describeSpecial(99)).toBe('未知特情99');
  });
  it('formats the record field sorted and without duplicates, and parses it back', () => {
    expect(formatSpecialTypes([51, 14, 51])).toBe('14|51');
    expect(formatSpecialTypes([])).toBe('');
    expect(parseSpecialTypes('14|51')).toEqual({ ok: true, value: [14, 51] });
    expect(parseSpecialTypes('')).toEqual({ ok: true, value: [] });
    const bad = parseSpecialTypes('14||51');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toBe('specialType[1]');
  });
});
