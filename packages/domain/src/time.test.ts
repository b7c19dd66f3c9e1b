import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beijingBatch,
  beijingCompact,
  beijingDate,
  fromBeijingSeconds,
  parseBeijingCompact,
  toBeijingSeconds,
  toIsoBeijing,
} from './time';

describe('Beijing time', () => {
  it('matches the card-file example: UNIX 0x552BE903 is the trade time 20150413160419', () => {
    // card-and-obu.md §1.6: the file value is Beijing wall-clock seconds.
    const d = fromBeijingSeconds(0x552be903);
    expect(beijingCompact(d)).toBe('20150413160419');
    expect(toBeijingSeconds(d)).toBe(0x552be903);
  });
  it('formats records in ISO-8601 with +08:00', () => {
    const d = new Date('2024-01-17T07:23:08Z');
    expect(toIsoBeijing(d)).toBe('2024-01-17T15:23:08+08:00');
    expect(beijingBatch(d)).toBe('2024011715');
    expect(beijingDate(new Date('2024-01-17T16:30:00Z'))).toBe('2024-01-18');
  });
  it('parses compact times and refuses impossible ones', () => {
    expect(parseBeijingCompact('20240117122342')).toEqual({
      ok: true,
      value: new Date('2024-01-17T04:23:42Z'),
    });
    expect(parseBeijingCompact('20240230120000').ok).toBe(false);
    expect(parseBeijingCompact('2024013112', 't', 'batch').ok).toBe(true);
    expect(parseBeijingCompact('2024013124', 't', 'batch').ok).toBe(false);
    const r = parseBeijingCompact('2024-01-17', 'enTime');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('enTime');
  });
  it('round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 946684800, max: 4102444800 }), (s) => {
        const d = new Date(s * 1000);
        expect(parseBeijingCompact(beijingCompact(d))).toEqual({ ok: true, value: d });
        expect(fromBeijingSeconds(toBeijingSeconds(d)).getTime()).toBe(d.getTime());
      }),
    );
  });
});
