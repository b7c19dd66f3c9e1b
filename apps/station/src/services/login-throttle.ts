/**
 * Login back-off that resists guessing without letting an outsider lock someone else out.
 *
 * An account lockout keyed on the account alone hands every stranger a switch that locks the genuine
 * collector out. So the back-off is kept per (account, source), the source being the client address:
 * - Each source may fail `freeFailures` times on an account; after that it must wait before its next
 *   attempt is even checked, the wait doubling with each further failure from `baseMs` up to `maxMs`.
 *   Only that source waits: the collector at another terminal (another address) logs in at once.
 * - Against many sources guessing one account, a per-account ceiling: once the account's failures from
 *   all sources within `accountWindowMs` reach `accountCeiling`, every source gets no free failures on
 *   it, so each waits from its own first failure. The ceiling only slows: a source that has not failed is
 *   never refused, and the right password from it gets in at once.
 * - A held-back attempt is refused without counting (it could not succeed, so it tells the guesser
 *   nothing) and with the very answer a wrong password gets. An admin, or a monitor for a collector,
 *   clears an account's back-off at once.
 * Usernames, not account IDs, are the key, so an unknown username backs off exactly like a known one.
 * All thresholds are [P] configurable (LOGIN_* in config.ts).
 */
export interface LoginThrottlePolicy {
  freeFailures: number;
  baseMs: number;
  maxMs: number;
  accountCeiling: number;
  accountWindowMs: number;
}

/** What is remembered for one (username, source). */
export interface BackoffState {
  failures: number;
  blockedUntil: string | null;
}

export function isHeldBack(state: BackoffState | undefined, now: Date): boolean {
  return state?.blockedUntil != null && state.blockedUntil > now.toISOString();
}

/** The state after a checked attempt failed; `accountFailures` are the account's recent ones, all sources. */
export function afterFailure(
  p: LoginThrottlePolicy,
  state: BackoffState | undefined,
  accountFailures: number,
  now: Date,
): BackoffState & { newlyBlocked: boolean; ceiling: boolean } {
  const failures = (state?.failures ?? 0) + 1;
  const ceiling = accountFailures >= p.accountCeiling;
  const over = failures - (ceiling ? 0 : p.freeFailures);
  if (over <= 0) return { failures, blockedUntil: null, newlyBlocked: false, ceiling };
  // 2^(over-1) grows past any sane max quickly; cap the exponent so the product stays a finite number.
  const waitMs = Math.min(p.baseMs * 2 ** Math.min(over - 1, 40), p.maxMs);
  return {
    failures,
    blockedUntil: new Date(now.getTime() + waitMs).toISOString(),
    newlyBlocked: true,
    ceiling,
  };
}
