import { describe, expect, it } from 'vitest';
import { deltaChain, isNewer, type ListVersionInfo, nextVersionLabel } from './list-versions';

const v = (version: string, type: 'full' | 'delta', baseVersion: string | null): ListVersionInfo => ({
  version,
  type,
  baseVersion,
  entryCount: 0,
  added: 0,
  removed: 0,
  source: 'local',
  bytes: 0,
  createdAt: '2026-11-23T08:00:00.000Z',
});

describe('status-list version labels', () => {
  it('labels a version with its 5-minute slot in Beijing time', () => {
    // 08:03Z is 16:03 in Beijing: the 16:00 slot.
    expect(nextVersionLabel(new Date('2026-11-23T08:03:00Z'), 5, undefined)).toBe('202611231600');
  });

  it('takes the first free slot after the version in force, so versions always increase', () => {
    const at = new Date('2026-11-23T08:03:00Z');
    expect(nextVersionLabel(at, 5, '202611231600')).toBe('202611231605');
    expect(nextVersionLabel(at, 5, '202611231610')).toBe('202611231615');
    expect(nextVersionLabel(at, 5, '202611231555')).toBe('202611231600');
  });

  it('compares labels of equal length as timestamps, and counts any other different label as newer', () => {
    expect(isNewer('202611231605', '202611231600')).toBe(true);
    expect(isNewer('202611231600', '202611231605')).toBe(false);
    expect(isNewer('202611231600', '202611231600')).toBe(false);
    expect(isNewer('v2', '202611231600')).toBe(true);
  });

  it('follows the delta chain after a version by its base links, skipping deltas of another base', () => {
    const all = [
      v('a', 'full', null),
      v('b', 'delta', 'a'),
      v('x', 'delta', 'q'),
      v('c', 'delta', 'b'),
      v('d', 'delta', 'c'),
    ];
    expect(deltaChain(all, 'b').map((i) => i.version)).toEqual(['c', 'd']);
    expect(deltaChain(all, 'a').map((i) => i.version)).toEqual(['b', 'c', 'd']);
    expect(deltaChain(all, 'd')).toEqual([]);
  });
});
