import { describe, expect, it } from 'vitest';
import { ENTRY_EXIT_STATUS, hasEntry } from './card-entry';

describe('hasEntry', () => {
  it('an MTC or ETC entry status with a set time is an entry', () => {
    expect(hasEntry({ status: ENTRY_EXIT_STATUS.MTC_ENTRY, time: 1 })).toBe(true);
    expect(hasEntry({ status: ENTRY_EXIT_STATUS.ETC_ENTRY, time: 1 })).toBe(true);
  });

  it('an exit status, the unknown 0x10 or a zero time is not', () => {
    expect(hasEntry({ status: ENTRY_EXIT_STATUS.ETC_EXIT, time: 1 })).toBe(false);
    expect(hasEntry({ status: ENTRY_EXIT_STATUS.MTC_EXIT, time: 1 })).toBe(false);
    expect(hasEntry({ status: 0x10, time: 1 })).toBe(false);
    expect(hasEntry({ status: ENTRY_EXIT_STATUS.ETC_ENTRY, time: 0 })).toBe(false);
  });
});
