import type { GreenChannelView } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { greenInputError, greenStatusLines, greenStepShown } from './green-inspection';

const view = (over: Partial<GreenChannelView['status']> = {}, inspection = null): GreenChannelView => ({
  status: { vehicleId: '鲁B6T001_1', appointment: null, ban: null, ...over },
  minPhotos: 3,
  mixedAllowed: false,
  inspection,
});

describe('【绿通查验】 on the handheld', () => {
  it('shows for kind 21, an appointment, or when opened; not for an ordinary car', () => {
    expect(greenStepShown(view(), 0, false)).toBe(false);
    expect(greenStepShown(null, 21, false)).toBe(true);
    expect(
      greenStepShown(view({ appointment: { type: 1, reason: '绿通预约', version: 'v1' } }), 0, false),
    ).toBe(true);
    expect(greenStepShown(view(), 0, true)).toBe(true);
  });

  it('asks for the cargo first, then photos from several sides', () => {
    expect(greenInputError(3, 3, 0)).toContain('货物品种');
    expect(greenInputError(2, 3, 1)).toContain('至少 3 张');
    expect(greenInputError(3, 3, 1)).toBeNull();
  });

  it('says the ban in words', () => {
    const l = greenStatusLines(view({ ban: { type: 2, reason: '多次假冒绿通', version: 'v2' } }));
    expect(l.appointment).toBe('无预约');
    expect(l.ban).toContain('多次假冒绿通');
  });
});
