import { describe, expect, it } from 'vitest';
import {
  nextPollAt,
  pollDelayMs,
  pollScheduleProblems,
  pollTimes,
  SC_POLL,
  TOLLPAD_POLL,
} from './poll-schedule';

describe('poll schedule', () => {
  it('tollpad: first poll 5 s after USER_PAYING, then every 3 s, none after 60 s from the first send', () => {
    const times = pollTimes(TOLLPAD_POLL, 0, 1_000);
    expect(times.slice(0, 3)).toEqual([6_000, 9_000, 12_000]);
    expect(times.at(-1)).toBe(60_000);
    expect(times).toHaveLength(19);
  });

  it('SC: 6, 5, 4, 3, 2 s, then every 2 s', () => {
    expect(pollTimes(SC_POLL, 0, 0).slice(0, 7)).toEqual([
      6_000, 11_000, 15_000, 18_000, 20_000, 22_000, 24_000,
    ]);
    expect(pollDelayMs(SC_POLL, 10)).toBe(2_000);
  });

  it('nextPollAt says expired once the next poll would fall after the deadline', () => {
    expect(
      nextPollAt({ schedule: TOLLPAD_POLL, firstSentAtMs: 0, userPayingAtMs: 58_000, pollsDone: 0 }),
    ).toBe('expired');
    expect(nextPollAt({ schedule: TOLLPAD_POLL, firstSentAtMs: 0, userPayingAtMs: 0, pollsDone: 1 })).toBe(
      8_000,
    );
  });

  it('is configurable, and a malformed setting is named', () => {
    expect(pollScheduleProblems(TOLLPAD_POLL)).toEqual([]);
    expect(
      pollTimes({ ...TOLLPAD_POLL, firstDelaysMs: [1_000], thenEveryMs: 1_000, deadlineMs: 3_000 }, 0, 0),
    ).toEqual([1_000, 2_000, 3_000]);
    expect(
      pollScheduleProblems({ ...TOLLPAD_POLL, thenEveryMs: 0, firstDelaysMs: [-1], resolveQueries: 0 }),
    ).toEqual([
      'firstDelaysMs: positive integers (ms)',
      'thenEveryMs: a positive integer (ms)',
      'resolveQueries: at least 1',
    ]);
  });
});
