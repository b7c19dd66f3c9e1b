import { describe, expect, it } from 'vitest';
import { afterFailure, isHeldBack, type LoginThrottlePolicy } from './login-throttle';

const P: LoginThrottlePolicy = {
  freeFailures: 3,
  baseMs: 1000,
  maxMs: 60_000,
  accountCeiling: 10,
  accountWindowMs: 900_000,
};
const T0 = new Date('2026-11-23T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

describe('login throttle', () => {
  it('lets a source fail its free failures, then doubles its wait up to the cap', () => {
    let s = afterFailure(P, undefined, 0, T0);
    expect(s).toMatchObject({ failures: 1, blockedUntil: null, newlyBlocked: false });
    s = afterFailure(P, s, 1, T0);
    s = afterFailure(P, s, 2, T0);
    expect(s.blockedUntil).toBeNull();
    s = afterFailure(P, s, 3, T0);
    expect(s).toMatchObject({ failures: 4, blockedUntil: at(1000), newlyBlocked: true });
    expect(isHeldBack(s, T0)).toBe(true);
    expect(isHeldBack(s, new Date(T0.getTime() + 1000))).toBe(false);
    s = afterFailure(P, s, 4, T0);
    expect(s.blockedUntil).toBe(at(2000));
    for (let i = 0; i < 100; i++) s = afterFailure(P, s, 5, T0);
    expect(s.blockedUntil).toBe(at(60_000));
  });

  it('past the account ceiling a source waits from its first failure, but is never refused before it', () => {
    expect(isHeldBack(undefined, T0)).toBe(false);
    const s = afterFailure(P, undefined, 10, T0);
    expect(s).toMatchObject({ failures: 1, blockedUntil: at(1000), ceiling: true });
  });
});
