import { STATION_ERROR_CODES } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { stationAction, UNKNOWN_STATION_ACTION } from './errors';

describe('station error actions', () => {
  it.each(STATION_ERROR_CODES)('%s tells the collector a next step of its own, in Chinese', (code) => {
    const action = stationAction(code);
    expect(action).not.toBe(UNKNOWN_STATION_ACTION);
    expect(action).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a paid trip or an exited CPC is not charged again', () => {
    expect(stationAction('STN_ERR_EXIT_PASS_PAID')).toContain('请勿重复收费');
    expect(stationAction('STN_ERR_EXIT_CPC_ALREADY_EXITED')).toContain('请勿重复收费');
  });

  it('a code this handheld does not know still gets a next step', () => {
    expect(stationAction('STN_ERR_FROM_A_NEWER_STATION')).toBe(UNKNOWN_STATION_ACTION);
  });
});
