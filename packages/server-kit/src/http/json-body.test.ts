import { describe, expect, it } from 'vitest';
import { JSON_MAX_DEPTH, jsonDeeperThan } from './json-body';

const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('jsonDeeperThan', () => {
  it('counts arrays and objects inside each other, up to the bound and one past it', () => {
    expect(jsonDeeperThan(nested(3), 3)).toBe(false);
    expect(jsonDeeperThan(nested(4), 3)).toBe(true);
    expect(jsonDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(jsonDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
  });

  it('counts depth, not brackets: siblings do not add up', () => {
    expect(jsonDeeperThan(`[${Array.from({ length: 1000 }, () => '[1]').join(',')}]`, 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan(JSON.stringify({ a: '[[[[[[[[[[' }), 1)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ a: '\\"[[[[[[[[[[', b: '"{{{{{{{{' }), 1)).toBe(false);
    expect(jsonDeeperThan(`["\\\\",${nested(3)}]`, 3)).toBe(true); // an escaped backslash ends the string
  });

  it('refuses a body that never closes its brackets', () => {
    expect(jsonDeeperThan('['.repeat(100_000), JSON_MAX_DEPTH)).toBe(true);
  });
});
