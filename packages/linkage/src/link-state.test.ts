import { describe, expect, it } from 'vitest';
import { LinkTracker } from './link-state';

// TEST lanes of the synthetic station.
const LANE = 'G00223700100302010910';
const LANE2 = 'G00223700100302010920';
const AT = '2024-01-17T07:30:00.000Z';
const online = (seq: number, heartbeatMs = 1000) =>
  ({ v: 1, at: AT, status: 'online', seq, heartbeatMs }) as const;
const open = { v: 1, at: AT, state: 'OPEN' } as const;

describe('LinkTracker', () => {
  it('shows a lane UNKNOWN until it is heard from', () => {
    const t = new LinkTracker();
    expect(t.watch(LANE, 0)).toMatchObject({ link: 'never', monitorState: 'UNKNOWN' });
    expect(t.onBarrierState(LANE, open, 1)).toBeUndefined();
    expect(t.get(LANE)).toMatchObject({ monitorState: 'UNKNOWN', lastReported: open });
    expect(t.onStatus(LANE, online(0), 2)).toMatchObject({ link: 'online', monitorState: 'OPEN' });
  });

  it('goes UNKNOWN on the Last Will and back on the next heartbeat', () => {
    const t = new LinkTracker();
    t.onStatus(LANE, online(0), 0);
    t.onBarrierState(LANE, { v: 1, at: AT, state: 'CLOSED' }, 0);
    expect(t.onStatus(LANE, { v: 1, at: AT, status: 'offline', cause: 'lost' }, 10)).toMatchObject({
      link: 'offline',
      monitorState: 'UNKNOWN',
      lastReported: { state: 'CLOSED' },
    });
    expect(t.onStatus(LANE, online(1), 20)).toMatchObject({ link: 'online', monitorState: 'CLOSED' });
  });

  it('goes silent after the allowed missed heartbeats, using the lane’s own period', () => {
    const t = new LinkTracker({ missedBeats: 3 });
    t.onStatus(LANE, online(0, 1000), 0);
    expect(t.tick(3000)).toEqual([]);
    expect(t.tick(3001)).toMatchObject([{ laneId: LANE, link: 'silent', monitorState: 'UNKNOWN' }]);
    expect(t.tick(9000)).toEqual([]); // reported once
    expect(t.onStatus(LANE, online(1, 1000), 9001)).toMatchObject({ link: 'online' });
  });

  it('a heartbeat keeps the link alive', () => {
    const t = new LinkTracker({ missedBeats: 2 });
    t.onStatus(LANE, online(0, 1000), 0);
    for (let now = 1000; now <= 10_000; now += 1000) {
      expect(t.onStatus(LANE, online(now / 1000, 1000), now)).toBeUndefined();
      expect(t.tick(now + 500)).toEqual([]);
    }
  });

  it('marks every lane UNKNOWN when the station loses the broker', () => {
    const t = new LinkTracker();
    t.onStatus(LANE, online(0), 0);
    t.onStatus(LANE2, online(0), 0);
    expect(t.onBrokerDown(5).map((s) => [s.laneId, s.link, s.monitorState])).toEqual([
      [LANE, 'no-broker', 'UNKNOWN'],
      [LANE2, 'no-broker', 'UNKNOWN'],
    ]);
    expect(t.tick(1_000_000)).toEqual([]);
  });

  it('reports a barrier change only when the monitor view changes', () => {
    const t = new LinkTracker();
    t.onStatus(LANE, online(0), 0);
    expect(t.onBarrierState(LANE, { v: 1, at: AT, state: 'OPENING' }, 1)).toMatchObject({
      monitorState: 'OPENING',
    });
    expect(t.onBarrierState(LANE, { v: 1, at: AT, state: 'OPENING' }, 2)).toBeUndefined();
    expect(t.all()).toHaveLength(1);
  });
});
