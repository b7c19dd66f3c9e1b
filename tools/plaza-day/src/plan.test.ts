import { describe, expect, it } from 'vitest';
import { dayProfile, faultPositions, vehicleFault } from './plan';
import { Prng } from './prng';

describe('fault plan', () => {
  it('spreads process faults over the day, in order, inside the day', () => {
    const pos = faultPositions(60, 50_000, new Prng(1));
    expect(pos).toHaveLength(60);
    expect(pos).toEqual([...pos].sort((a, b) => a - b));
    expect(pos[0]!).toBeGreaterThanOrEqual(1);
    expect(pos.at(-1)!).toBeLessThanOrEqual(50_000);
    // Evenly spread: no two in the same slot's half.
    for (let i = 1; i < pos.length; i++) expect(pos[i]! - pos[i - 1]!).toBeGreaterThan(100);
    expect(faultPositions(0, 300, new Prng(1))).toEqual([]);
  });

  it('is the same for the same seed', () => {
    expect(faultPositions(5, 300, new Prng(9))).toEqual(faultPositions(5, 300, new Prng(9)));
    const a = Array.from({ length: 50 }, (_, i) =>
      vehicleFault(new Prng(i), { tearRate: 0.3, swapRate: 0.3, restartRate: 0.3 }),
    );
    const b = Array.from({ length: 50 }, (_, i) =>
      vehicleFault(new Prng(i), { tearRate: 0.3, swapRate: 0.3, restartRate: 0.3 }),
    );
    expect(a).toEqual(b);
  });

  it('draws per-vehicle faults at the requested rates', () => {
    const rng = new Prng(42);
    const counts = { tear: 0, swap: 0, 'handheld-restart': 0, none: 0 };
    for (let i = 0; i < 20_000; i++) {
      const f = vehicleFault(rng, { tearRate: 0.1, swapRate: 0.05, restartRate: 0.02 });
      counts[f ? f.kind : 'none']++;
    }
    expect(counts.tear / 20_000).toBeCloseTo(0.1, 1);
    expect(counts.swap / 20_000).toBeCloseTo(0.05, 1);
    expect(counts['handheld-restart']).toBeGreaterThan(250);
    expect(counts['handheld-restart']).toBeLessThan(550);
    const none = vehicleFault(new Prng(1), { tearRate: 0, swapRate: 0, restartRate: 0 });
    expect(none).toBeNull();
  });

  it('has peaks and a trough in the day profile', () => {
    expect(dayProfile(0.33)).toBe(1);
    expect(dayProfile(0.02)).toBeLessThan(0.5);
    expect(dayProfile(0.5)).toBeLessThan(dayProfile(0.72));
  });
});
