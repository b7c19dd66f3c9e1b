import { describe, expect, it } from 'vitest';
import { CHANNELS, checkTopicRoot, laneTopic, parseLaneTopic, stationSubscription } from './topics';

// TEST lane of the synthetic data: station G0022370010030, lane …0910.
const STATION = 'G0022370010030';
const LANE = 'G00223700100302010910';

describe('topics', () => {
  it('builds and parses every channel', () => {
    for (const channel of Object.keys(CHANNELS) as (keyof typeof CHANNELS)[]) {
      const topic = laneTopic('tollpad', STATION, LANE, channel);
      expect(topic).toBe(`tollpad/v1/${STATION}/lanes/${LANE}/${channel}`);
      expect(parseLaneTopic('tollpad', topic)).toEqual({
        ok: true,
        value: { stationId: STATION, laneId: LANE, channel },
      });
    }
  });

  it('accepts a multi-level root and builds station wildcards', () => {
    expect(checkTopicRoot('test/run-1/tollpad').ok).toBe(true);
    expect(stationSubscription('r', STATION, 'status')).toBe(`r/v1/${STATION}/lanes/+/status`);
  });

  it.each(['', '/x', 'a//b', 'a/+', 'a/#', '$SYS', 'x'.repeat(200)])('rejects the root %j', (root) => {
    expect(checkTopicRoot(root)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
  });

  it.each([
    'other/v1/G0022370010030/lanes/G00223700100302010910/status',
    `tollpad/v2/${STATION}/lanes/${LANE}/status`,
    `tollpad/v1/${STATION}/lanes/${LANE}/unknown`,
    `tollpad/v1/${STATION}/lane/${LANE}/status`,
    `tollpad/v1/${STATION}/lanes/${LANE}`,
    `tollpad/v1/${STATION}/lanes/${LANE}/barrier`,
    `tollpad/v1/G0022370010040/lanes/${LANE}/status`,
    `tollpad/v1/${STATION}/lanes/G002237001003020109/status`,
    `tollpad/v1/XXXX/lanes/${LANE}/status`,
  ])('rejects the topic %s', (topic) => {
    expect(parseLaneTopic('tollpad', topic)).toMatchObject({ ok: false, error: { code: 'TOPIC_INVALID' } });
  });

  it('never retains commands, always retains state and status', () => {
    expect(CHANNELS['barrier/command'].retain).toBe(false);
    expect(CHANNELS.display.retain).toBe(false);
    expect(CHANNELS['barrier/state'].retain).toBe(true);
    expect(CHANNELS.status.retain).toBe(true);
  });
});
