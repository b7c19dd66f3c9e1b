import { describe, expect, it } from 'vitest';
import { RequestWindows } from './rate-limit';

describe('request windows', () => {
  it('counts per key within a window and starts over after it', () => {
    const w = new RequestWindows(60_000);
    expect(w.hit('s:a', 1_000)).toEqual({ count: 1, msLeft: 60_000 });
    expect(w.hit('s:a', 2_000)).toEqual({ count: 2, msLeft: 59_000 });
    expect(w.hit('s:b', 2_000).count).toBe(1);
    expect(w.hit('s:a', 61_000)).toEqual({ count: 1, msLeft: 60_000 });
  });

  it('stays bounded under a flood of distinct keys, keeping the newest', () => {
    const w = new RequestWindows(60_000);
    for (let i = 0; i < 25_000; i++) w.hit(`ip:${i}`, 1_000);
    expect(w.hit('ip:24999', 1_000).count).toBe(2);
    expect(w.hit('ip:0', 1_000).count).toBe(1);
  });
});
