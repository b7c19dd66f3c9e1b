import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id';

describe('timeOrderedId', () => {
  it('is a version-7 UUID whose first 48 bits are the milliseconds', () => {
    const id = timeOrderedId(Date.UTC(2026, 10, 24, 3, 30));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 10, 24, 3, 30));
  });

  it('sorts by creation time across milliseconds and stays unique within one', () => {
    const t = Date.UTC(2026, 10, 24);
    const ids = [t + 2, t, t + 1, t + 300_000].map((ms) => timeOrderedId(ms));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0], ids[3]]);
    const same = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(t)));
    expect(same.size).toBe(10_000);
  });
});
