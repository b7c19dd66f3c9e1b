import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './services';

const LANE = 'G0015370010010010101';

describe('the 补缴 route', () => {
  it('opens from an exit by plate, colour and the exit, and follows an opened payback by its ID', () => {
    const open = { name: 'arrears', laneId: LANE, plate: '鲁A11801', colour: 0, exitTxnId: 'TX-1' } as const;
    expect(routeHash(open)).toBe(`#/arrears/${LANE}/new/${encodeURIComponent('鲁A11801')}/0/TX-1`);
    expect(parseRoute(routeHash(open))).toEqual(open);
    const followed = { name: 'arrears', laneId: LANE, paybackId: 'PB-1' } as const;
    expect(parseRoute(routeHash(followed))).toEqual(followed);
    // Without an exit (from home), and a colour that is not a number read as 0 (blue).
    expect(parseRoute(`#/arrears/${LANE}/new/鲁A12701/x`)).toEqual({
      name: 'arrears',
      laneId: LANE,
      plate: '鲁A12701',
      colour: 0,
    });
  });
  it('a hash without a lane, a payback or a plate goes home', () => {
    expect(parseRoute('#/arrears')).toEqual({ name: 'home' });
    expect(parseRoute(`#/arrears/${LANE}`)).toEqual({ name: 'home' });
    expect(parseRoute(`#/arrears/${LANE}/new`)).toEqual({ name: 'home' });
  });
});
