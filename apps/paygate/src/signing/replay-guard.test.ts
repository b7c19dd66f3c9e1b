import { describe, expect, it } from 'vitest';
import { ReplayGuard } from './replay-guard';

describe('replay guard', () => {
  const at = (s: number) => new Date(s * 1000);

  it('accepts a nonce once per merchant, within the skew', () => {
    const g = new ReplayGuard(300);
    expect(g.check('M1', 1000, 'n1', at(1000))).toBe('ok');
    expect(g.check('M1', 1000, 'n1', at(1001))).toBe('replayed');
    expect(g.check('M2', 1000, 'n1', at(1001))).toBe('ok');
    expect(g.check('M1', 1000, 'n2', at(1301))).toBe('stale');
    expect(g.check('M1', 1700, 'n3', at(1399))).toBe('stale');
  });

  it('forgets a nonce only once its timestamp would be refused anyway', () => {
    const g = new ReplayGuard(300);
    expect(g.check('M1', 1000, 'n1', at(1000))).toBe('ok');
    // Still within twice the skew: a request stamped up to 300 s ahead could carry it again.
    expect(g.check('M1', 1299, 'n1', at(1599))).toBe('replayed');
    expect(g.snapshot()).toHaveLength(1);
    expect(g.check('M1', 1601, 'n9', at(1601))).toBe('ok');
    expect(g.snapshot().map(([k]) => k)).toEqual(['M1\nn9']);
  });
});
