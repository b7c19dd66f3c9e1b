/**
 * When to query while the payer confirms on the phone, and how to resolve an unclear outcome.
 * [P] payments.md §4 tollpad: first query 5 s after a USER_PAYING answer, then every 3 s, up to 60 s after
 * the first send. [P] §5: an unknown outcome is queried up to 3 times, 3 s apart. All configurable.
 */
export interface PollSchedule {
  /** Delays before the first polls, counted from the USER_PAYING answer (ms). */
  readonly firstDelaysMs: readonly number[];
  /** Delay between polls after `firstDelaysMs` is used up (ms). */
  readonly thenEveryMs: number;
  /** Polling stops this long after the first send (ms); the outcome is then unclear and queried. */
  readonly deadlineMs: number;
  /** Queries that resolve an unclear outcome before it is left pending. */
  readonly resolveQueries: number;
  readonly resolveEveryMs: number;
}

export const TOLLPAD_POLL: PollSchedule = {
  firstDelaysMs: [5_000],
  thenEveryMs: 3_000,
  deadlineMs: 60_000,
  resolveQueries: 3,
  resolveEveryMs: 3_000,
};

/** [S SC ThreadManage.cpp] SC: 6, 5, 4, 3, 2 s, then every 2 s (deadline is the caller's OverTime). */
export const SC_POLL: PollSchedule = {
  firstDelaysMs: [6_000, 5_000, 4_000, 3_000, 2_000],
  thenEveryMs: 2_000,
  deadlineMs: 60_000,
  resolveQueries: 3,
  resolveEveryMs: 3_000,
};

/** The problems with a schedule from settings, empty when it is usable. */
export function pollScheduleProblems(schedule: PollSchedule): string[] {
  const problems: string[] = [];
  const positive = (v: number) => Number.isInteger(v) && v > 0;
  if (!schedule.firstDelaysMs.every(positive)) problems.push('firstDelaysMs: positive integers (ms)');
  if (!positive(schedule.thenEveryMs)) problems.push('thenEveryMs: a positive integer (ms)');
  if (!positive(schedule.deadlineMs)) problems.push('deadlineMs: a positive integer (ms)');
  if (!Number.isInteger(schedule.resolveQueries) || schedule.resolveQueries < 1) {
    problems.push('resolveQueries: at least 1');
  }
  if (!positive(schedule.resolveEveryMs)) problems.push('resolveEveryMs: a positive integer (ms)');
  return problems;
}

/** The delay before poll number `pollIndex` (0-based). */
export function pollDelayMs(schedule: PollSchedule, pollIndex: number): number {
  return schedule.firstDelaysMs[pollIndex] ?? schedule.thenEveryMs;
}

/**
 * The time (epoch ms) of the next poll after `pollsDone` polls, or 'expired' when it would fall after the
 * deadline (first send + deadlineMs): the caller then treats the outcome as unclear and queries to resolve.
 */
export function nextPollAt(input: {
  schedule: PollSchedule;
  firstSentAtMs: number;
  userPayingAtMs: number;
  pollsDone: number;
}): number | 'expired' {
  let at = input.userPayingAtMs;
  for (let i = 0; i <= input.pollsDone; i++) at += pollDelayMs(input.schedule, i);
  return at > input.firstSentAtMs + input.schedule.deadlineMs ? 'expired' : at;
}

/** Every poll time of a wait that never ends early, for display and tests. */
export function pollTimes(schedule: PollSchedule, firstSentAtMs: number, userPayingAtMs: number): number[] {
  const times: number[] = [];
  for (let polls = 0; ; polls++) {
    const at = nextPollAt({ schedule, firstSentAtMs, userPayingAtMs, pollsDone: polls });
    if (at === 'expired') return times;
    times.push(at);
  }
}
