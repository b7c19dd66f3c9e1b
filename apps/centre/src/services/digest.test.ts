import { describe, expect, it } from 'vitest';
import { canonicalJson, recordDigest } from './digest';

describe('canonical JSON digest', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,"x"]},"b":1}',
    );
  });

  it('gives the same digest whatever the key order, and a different one when a value changes', () => {
    const a = recordDigest({ fee: 8810, id: 'X', listVersions: { card: '1' } });
    expect(recordDigest({ listVersions: { card: '1' }, id: 'X', fee: 8810 })).toBe(a);
    expect(recordDigest({ listVersions: { card: '1' }, id: 'X', fee: 8811 })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses non-finite numbers rather than writing null', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
  });
});
