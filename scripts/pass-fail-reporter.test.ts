import { describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import { countResults } from './pass-fail-reporter';

// Minimal stand-ins with the shape of Vitest's TestModule: only the members the reporter reads.
function mod(state: string, tests: string[]): TestModule {
  return {
    state: () => state,
    children: { allTests: () => tests.map((s) => ({ result: () => ({ state: s }) })) },
  } as unknown as TestModule;
}

describe('pass/fail reporter', () => {
  it('counts passed, failed and skipped tests', () => {
    expect(
      countResults([mod('passed', ['passed', 'passed', 'skipped']), mod('failed', ['failed', 'passed'])]),
    ).toEqual({
      passed: 3,
      failed: 1,
      skipped: 1,
    });
  });
  it('counts a failed file whose tests were all skipped (hook failure) or absent (load failure)', () => {
    expect(countResults([mod('failed', ['skipped', 'skipped']), mod('failed', [])])).toEqual({
      passed: 0,
      failed: 2,
      skipped: 2,
    });
  });
});
