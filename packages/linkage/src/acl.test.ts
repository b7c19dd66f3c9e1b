import { describe, expect, it } from 'vitest';
import { grantsOf, identityOfUsername, laneIdentity, mqttAccess, stationIdentity, usernameOf } from './acl';
import { laneTopic, stationSubscription } from './topics';

// TEST station and lanes of the synthetic data.
const STATION = 'G0022370010030';
const LANE_A = 'G00223700100302010910';
const LANE_B = 'G00223700100302010920';
const OTHER_STATION = 'G0022370010040';
const ROOT = 'tollpad';

const station = stationIdentity(STATION);
const laneA = laneIdentity(LANE_A);
const allowed = (r: { ok: boolean }) => r.ok;

describe('the linkage ACL', () => {
  it('names identities by username and nothing else', () => {
    expect(identityOfUsername(`station-${STATION}`)).toEqual({ ok: true, value: station });
    expect(identityOfUsername(`lane-${LANE_A}`)).toEqual({ ok: true, value: laneA });
    expect(usernameOf(laneA)).toBe(`lane-${LANE_A}`);
    for (const u of [undefined, '', 'admin', `lane-${STATION}`, `station-${LANE_A}`, `station-${STATION}x`]) {
      expect(identityOfUsername(u)).toMatchObject({ ok: false, error: { code: 'MQTT_IDENTITY_INVALID' } });
    }
  });

  it('lets the station command its lanes and hear them', () => {
    expect(
      allowed(mqttAccess(ROOT, station, 'publish', laneTopic(ROOT, STATION, LANE_A, 'barrier/command'))),
    ).toBe(true);
    expect(allowed(mqttAccess(ROOT, station, 'publish', laneTopic(ROOT, STATION, LANE_B, 'display')))).toBe(
      true,
    );
    for (const c of ['status', 'barrier/state', 'barrier/result', 'vehicle'] as const) {
      expect(allowed(mqttAccess(ROOT, station, 'subscribe', stationSubscription(ROOT, STATION, c)))).toBe(
        true,
      );
      expect(allowed(mqttAccess(ROOT, station, 'subscribe', laneTopic(ROOT, STATION, LANE_A, c)))).toBe(true);
    }
  });

  it('lets a lane speak and hear only for itself', () => {
    expect(allowed(mqttAccess(ROOT, laneA, 'publish', laneTopic(ROOT, STATION, LANE_A, 'status')))).toBe(
      true,
    );
    expect(
      allowed(mqttAccess(ROOT, laneA, 'subscribe', laneTopic(ROOT, STATION, LANE_A, 'barrier/command'))),
    ).toBe(true);
  });

  it.each([
    [
      'a lane commands its own barrier',
      laneA,
      'publish',
      laneTopic(ROOT, STATION, LANE_A, 'barrier/command'),
    ],
    ['a lane commands another lane', laneA, 'publish', laneTopic(ROOT, STATION, LANE_B, 'barrier/command')],
    ['a lane writes another lane’s display', laneA, 'publish', laneTopic(ROOT, STATION, LANE_B, 'display')],
    [
      'a lane fakes another lane’s state',
      laneA,
      'publish',
      laneTopic(ROOT, STATION, LANE_B, 'barrier/state'),
    ],
    [
      'a lane hears another lane’s commands',
      laneA,
      'subscribe',
      laneTopic(ROOT, STATION, LANE_B, 'barrier/command'),
    ],
    ['a lane hears every lane', laneA, 'subscribe', stationSubscription(ROOT, STATION, 'barrier/command')],
    ['a lane hears everything', laneA, 'subscribe', '#'],
    ['a lane hears its lane with #', laneA, 'subscribe', `${ROOT}/v1/${STATION}/lanes/${LANE_A}/#`],
    ['a lane reads the station’s uplink', laneA, 'subscribe', laneTopic(ROOT, STATION, LANE_B, 'vehicle')],
    ['the station fakes a lane state', station, 'publish', laneTopic(ROOT, STATION, LANE_A, 'barrier/state')],
    [
      'the station commands another station',
      station,
      'publish',
      laneTopic(ROOT, OTHER_STATION, LANE_A, 'display'),
    ],
    ['the station publishes a wildcard', station, 'publish', `${ROOT}/v1/${STATION}/lanes/+/barrier/command`],
    ['the station hears with #', station, 'subscribe', `${ROOT}/v1/${STATION}/#`],
    ['the station under another root', station, 'publish', laneTopic('other', STATION, LANE_A, 'display')],
    ['a partial wildcard', station, 'subscribe', `${ROOT}/v1/${STATION}/lanes/G+/status`],
    ['an empty lane level', station, 'publish', `${ROOT}/v1/${STATION}/lanes//display`],
    ['a $SYS topic', station, 'subscribe', '$SYS/#'],
  ] as const)('refuses: %s', (_what, who, action, topic) => {
    expect(mqttAccess(ROOT, who, action, topic)).toMatchObject({
      ok: false,
      error: { code: 'MQTT_ACL_DENIED' },
    });
  });

  it('grants each channel once, in the direction of the channel', () => {
    expect(grantsOf(ROOT, laneA)).toContainEqual({
      action: 'subscribe',
      filter: laneTopic(ROOT, STATION, LANE_A, 'barrier/command'),
    });
    expect(
      grantsOf(ROOT, station)
        .filter((g) => g.action === 'publish')
        .map((g) => g.filter),
    ).toEqual([`${ROOT}/v1/${STATION}/lanes/+/display`, `${ROOT}/v1/${STATION}/lanes/+/barrier/command`]);
  });
});
