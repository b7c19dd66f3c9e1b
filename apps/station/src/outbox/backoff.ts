/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a fleet of stations
 * coming back after a centre outage does not retry in lock-step. [P] base 1 s, cap 5 min; configurable.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 300_000 };

/** Delay before attempt `attempts + 1`, given how many attempts already failed (≥ 1). */
export function backoffDelayMs(attempts: number, policy: BackoffPolicy, random: () => number = Math.random) {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  const half = exp / 2;
  return Math.round(half + random() * half);
}
