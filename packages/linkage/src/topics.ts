import { parseLaneId, parseStationId, stationIdOf } from '@tollpad/domain';
import { type LinkageResult, linkFail } from './errors';

/**
 * The MQTT topic scheme (PROTOCOL.md): `{root}/v1/{stationId}/lanes/{laneId}/{channel}`.
 * The version sits in the topic so a v2 payload can live beside v1 during a rollout.
 */
export const PROTOCOL_VERSION = 'v1';
export const DEFAULT_TOPIC_ROOT = 'tollpad';

export type Channel =
  | 'display'
  | 'barrier/command'
  | 'barrier/result'
  | 'barrier/state'
  | 'vehicle'
  | 'status';

export interface ChannelSpec {
  readonly direction: 'station→lane' | 'lane→station';
  readonly qos: 0 | 1;
  /** Retained channels give a late subscriber the current state; commands are never retained. */
  readonly retain: boolean;
}

export const CHANNELS: Readonly<Record<Channel, ChannelSpec>> = {
  display: { direction: 'station→lane', qos: 1, retain: false },
  'barrier/command': { direction: 'station→lane', qos: 1, retain: false },
  'barrier/result': { direction: 'lane→station', qos: 1, retain: false },
  'barrier/state': { direction: 'lane→station', qos: 1, retain: true },
  vehicle: { direction: 'lane→station', qos: 1, retain: false },
  status: { direction: 'lane→station', qos: 1, retain: true },
};

const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];

export function isChannel(text: string): text is Channel {
  return (CHANNEL_NAMES as string[]).includes(text);
}

/** A root is one or more plain topic levels: no wildcards, no empty level, no leading `$`. */
export function checkTopicRoot(root: string): LinkageResult<string> {
  const levels = root.split('/');
  const bad =
    root.length === 0 ||
    root.length > 128 ||
    root.startsWith('$') ||
    levels.some((l) => l.length === 0 || /[+#]/.test(l) || l.includes('\u0000'));
  if (bad) return linkFail('CONFIG_INVALID', 'topicRoot', `MQTT主题前缀“${root}”不合法`);
  return { ok: true, value: root };
}

export function laneTopic(root: string, stationId: string, laneId: string, channel: Channel): string {
  return `${root}/${PROTOCOL_VERSION}/${stationId}/lanes/${laneId}/${channel}`;
}

/** Wildcard subscription for one channel of every lane of a station. */
export function stationSubscription(root: string, stationId: string, channel: Channel): string {
  return `${root}/${PROTOCOL_VERSION}/${stationId}/lanes/+/${channel}`;
}

export interface LaneTopic {
  readonly stationId: string;
  readonly laneId: string;
  readonly channel: Channel;
}

/** Parses a topic received from the broker; anything outside the scheme is a typed error, not a throw. */
export function parseLaneTopic(root: string, topic: string): LinkageResult<LaneTopic> {
  const head = `${root}/${PROTOCOL_VERSION}/`;
  if (!topic.startsWith(head))
    return linkFail('TOPIC_INVALID', 'topic', `主题不属于本协议：“${topic.slice(0, 200)}”`);
  const parts = topic.slice(head.length).split('/');
  const [stationId, lanes, laneId, ...rest] = parts;
  const channel = rest.join('/');
  if (stationId === undefined || lanes !== 'lanes' || laneId === undefined || !isChannel(channel)) {
    return linkFail('TOPIC_INVALID', 'topic', `主题结构不符：“${topic.slice(0, 200)}”`);
  }
  const station = parseStationId(stationId, 'topic.stationId');
  if (!station.ok) return linkFail('TOPIC_INVALID', 'topic.stationId', station.error.reason);
  const lane = parseLaneId(laneId, 'topic.laneId');
  if (!lane.ok) return linkFail('TOPIC_INVALID', 'topic.laneId', lane.error.reason);
  if (stationIdOf(laneId) !== stationId) {
    return linkFail('TOPIC_INVALID', 'topic.laneId', `车道${laneId}不属于收费站${stationId}`);
  }
  return { ok: true, value: { stationId, laneId, channel } };
}
